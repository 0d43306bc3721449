/**
 * Server state for a page: load once, then again when the live stream reports
 * a change the page shows (live.ts), so new events and attempt outcomes appear
 * without reloading; `reload` after a change made here.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from './api';
import { onLiveChange, type LiveChange } from './live';

/** Changes that come together (a publish fans out to many events) cause one reload, this long after the first. */
export const LIVE_SETTLE_MS = 500;

export interface Loaded<T> {
  data: T | undefined;
  error: ApiError | null;
  reload: () => void;
}

/** Which live changes make a page load again: all, none, or those `pick` accepts. */
export type Live = boolean | ((change: Exclude<LiveChange, { kind: 'reset' }>) => boolean);

export function useApi<T>(load: () => Promise<T>, deps: unknown[], live: Live = true): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<ApiError | null>(null);
  const current = useRef(0);
  const run = useCallback(() => {
    const ticket = ++current.current;
    load().then(
      (value) => {
        if (ticket !== current.current) return;
        setData(value);
        setError(null);
      },
      (err: unknown) => {
        if (ticket !== current.current) return;
        setError(err instanceof ApiError ? err : new ApiError(0, 'InternalError', String(err)));
      },
    );
  }, deps);
  const wants = useRef(live);
  wants.current = live;
  useEffect(() => {
    setData(undefined);
    run();
    if (live === false) return undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const off = onLiveChange((change) => {
      const pick = wants.current;
      if (pick === false || (change.kind !== 'reset' && typeof pick === 'function' && !pick(change))) return;
      timer ??= setTimeout(() => {
        timer = undefined;
        run();
      }, LIVE_SETTLE_MS);
    });
    return () => {
      off();
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [run, live === false]);
  return { data, error, reload: run };
}
