/**
 * A callback's delivery latency over a chosen window: p50 and p95 attempt
 * duration per bucket from GET /v2/stats/latency, drawn as an SVG with a title
 * and description, with the same figures in a table for screen readers and
 * anyone who wants the numbers.
 */
import { useState } from 'preact/hooks';
import { api, unwrap, type GetData } from './api';
import { Loading } from './components';
import { DataTable, type Column } from './data-table';
import { when } from './format';
import { useApi } from './use-api';

type Latency = GetData<'/v2/stats/latency'>;
type Bucket = Latency['buckets'][number];

/** The windows offered, each in at most 96 buckets so the chart stays readable. */
const WINDOWS = [
  { label: 'Last hour', minutes: 60, bucketMinutes: 1 },
  { label: 'Last 6 hours', minutes: 360, bucketMinutes: 5 },
  { label: 'Last 24 hours', minutes: 1440, bucketMinutes: 15 },
] as const;

const FIGURE_COLUMNS: Column<Bucket>[] = [
  { header: 'From', cell: (b) => when(b.start) },
  { header: 'Attempts', cell: (b) => b.attempts },
  { header: 'p50', cell: (b) => `${b.p50LatencyMs} ms` },
  { header: 'p95', cell: (b) => `${b.p95LatencyMs} ms` },
];

const WIDTH = 600;
const HEIGHT = 120;

export function LatencyPanel({ callbackId }: { callbackId: number }) {
  const [choice, setChoice] = useState(0);
  const span = WINDOWS[choice] ?? WINDOWS[0];
  const latency = useApi(
    () =>
      unwrap(
        api.GET('/v2/stats/latency', {
          params: {
            query: {
              callBackQueueId: String(callbackId),
              minutes: String(span.minutes),
              bucketMinutes: String(span.bucketMinutes),
            },
          },
        }),
      ),
    [callbackId, choice],
    (change) => change.callbackId === callbackId,
  );
  return (
    <section aria-labelledby="latency-title">
      <h2 id="latency-title">Latency</h2>
      <label class="inline">
        Latency window{' '}
        <select value={String(choice)} onChange={(e) => setChoice(Number((e.currentTarget as HTMLSelectElement).value))}>
          {WINDOWS.map((w, i) => (
            <option key={w.label} value={String(i)}>
              {w.label}
            </option>
          ))}
        </select>
      </label>
      <Loading {...latency}>{(data) => <LatencyChart latency={data} label={span.label.toLowerCase()} />}</Loading>
    </section>
  );
}

const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** Runs of consecutive buckets with attempts, so a line breaks where there were none. */
function runs(buckets: Bucket[]): { index: number; bucket: Bucket }[][] {
  const all: { index: number; bucket: Bucket }[][] = [];
  let current: { index: number; bucket: Bucket }[] = [];
  buckets.forEach((bucket, index) => {
    if (bucket.p95LatencyMs === null) {
      if (current.length > 0) all.push(current);
      current = [];
    } else current.push({ index, bucket });
  });
  if (current.length > 0) all.push(current);
  return all;
}

function LatencyChart({ latency, label }: { latency: Latency; label: string }) {
  const { buckets, bucketMinutes } = latency;
  const measured = buckets.filter((b) => b.attempts > 0);
  const highest = Math.max(0, ...measured.map((b) => b.p95LatencyMs ?? 0));
  const top = Math.max(1, highest);
  const step = WIDTH / Math.max(1, buckets.length);
  const x = (index: number) => index * step + step / 2;
  const y = (value: number) => HEIGHT - 4 - (value / top) * (HEIGHT - 8);
  const per = bucketMinutes === 1 ? 'per minute' : `per ${bucketMinutes} minutes`;
  const summary =
    measured.length === 0
      ? `No attempts in the ${label}.`
      : `${plural(measured.reduce((sum, b) => sum + b.attempts, 0), 'attempt')} in the ${label}; the highest p95 was ${highest} ms.`;
  const line = (key: 'p50LatencyMs' | 'p95LatencyMs', cls: string) =>
    runs(buckets).map((run) =>
      run.length === 1 ? (
        <circle key={`${key}-${run[0]!.index}`} class={cls} cx={x(run[0]!.index)} cy={y(run[0]!.bucket[key] ?? 0)} r={2.5} />
      ) : (
        <polyline
          key={`${key}-${run[0]!.index}`}
          class={cls}
          points={run.map(({ index, bucket }) => `${x(index)},${y(bucket[key] ?? 0)}`).join(' ')}
        />
      ),
    );
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} preserveAspectRatio="none" role="img" aria-labelledby="latency-svg-title" aria-describedby="latency-svg-desc">
        <title id="latency-svg-title">{`Delivery latency ${per}, ${label}: p50 and p95 attempt duration`}</title>
        <desc id="latency-svg-desc">{summary}</desc>
        {line('p95LatencyMs', 'line-p95')}
        {line('p50LatencyMs', 'line-p50')}
      </svg>
      <figcaption>
        <span class="key key-p50">p50</span> <span class="key key-p95">p95</span> attempt duration {per}, {label}; top of
        the chart {top} ms
      </figcaption>
      {latency.sampled && (
        <p class="hint">This callback had more events than are read for the chart: the oldest buckets may miss attempts.</p>
      )}
      <details>
        <summary>Latency figures</summary>
        <DataTable
          caption={`Delivery latency ${per}, ${label}`}
          captionVisible
          columns={FIGURE_COLUMNS}
          rows={measured}
          rowKey={(b) => b.start}
          empty={<p>No attempts in this window.</p>}
        />
      </details>
    </figure>
  );
}
