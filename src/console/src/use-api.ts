/**
 * Server state for a page: load once, then again every LIVE_MS so new events
 * and attempt outcomes appear without reloading; `reload` after a change.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from './api';

export const LIVE_MS = 2_000;

export interface Loaded<T> {
  data: T | undefined;
  error: ApiError | null;
  reload: () => void;
}

export function useApi<T>(load: () => Promise<T>, deps: unknown[], live = true): Loaded<T> {
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
  useEffect(() => {
    setData(undefined);
    run();
    if (!live) return undefined;
    const timer = setInterval(run, LIVE_MS);
    return () => clearInterval(timer);
  }, [run, live]);
  return { data, error, reload: run };
}
