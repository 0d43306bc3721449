/** Small pieces every page uses. */
import type { ComponentChildren } from 'preact';
import type { ApiError } from './api';
import { NotFound } from './pages/not-found';

export function StatusBadge({ status }: { status: string }) {
  return <span class={`badge badge-${status.toLowerCase()}`}>{status}</span>;
}

/** While loading, a line; on error, the API's message (or the not-found page for a 404). */
export function Loading<T>(props: { data: T | undefined; error: ApiError | null; children: (data: T) => ComponentChildren }) {
  if (props.error?.status === 404) return <NotFound />;
  if (props.error && props.data === undefined) {
    return (
      <p class="error" role="alert">
        {props.error.message}
      </p>
    );
  }
  if (props.data === undefined) return <p class="loading">Loading…</p>;
  return <>{props.children(props.data)}</>;
}

/** Bars per minute, delivered stacked under failed, as an accessible SVG. */
export function MinuteChart({ minutes }: { minutes: { minute: string; delivered: number; failed: number }[] }) {
  const width = 600;
  const height = 120;
  const most = Math.max(1, ...minutes.map((m) => m.delivered + m.failed));
  const bar = width / Math.max(1, minutes.length);
  const delivered = minutes.reduce((sum, m) => sum + m.delivered, 0);
  const failed = minutes.reduce((sum, m) => sum + m.failed, 0);
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${width} ${height}`} preserveAspectRatio="none" role="img" aria-label={`Deliveries per minute over the last hour: ${delivered} delivered, ${failed} failed`}>
        {minutes.map((m, i) => {
          const dh = (m.delivered / most) * height;
          const fh = (m.failed / most) * height;
          return (
            <g key={m.minute}>
              <rect class="bar-delivered" x={i * bar + 1} width={bar - 2} y={height - dh} height={dh} />
              <rect class="bar-failed" x={i * bar + 1} width={bar - 2} y={height - dh - fh} height={fh} />
            </g>
          );
        })}
      </svg>
      <figcaption>
        <span class="key key-delivered">Delivered</span> <span class="key key-failed">Failed</span> per minute, last 60
        minutes
      </figcaption>
    </figure>
  );
}
