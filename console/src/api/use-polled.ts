/**
 * Live figures without reloading: polls a GET every few seconds with If-None-Match, so an unchanged
 * answer is a 304 and the page keeps what it shows (no layout shift, no flicker). Keeps the last good
 * data while a later poll fails, and says so.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { call } from './client';

export interface Polled<T> {
  readonly data: T | undefined;
  readonly error: Error | undefined;
  readonly loading: boolean;
  /** When the data was last confirmed current. */
  readonly checkedAt: Date | undefined;
  refresh(): void;
}

export function usePolled<T>(path: string | undefined, intervalMs = 5_000): Polled<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<Error | undefined>(undefined);
  const [loading, setLoading] = useState(path !== undefined);
  const [checkedAt, setCheckedAt] = useState<Date | undefined>(undefined);
  const [tick, setTick] = useState(0);
  const etag = useRef<string | undefined>(undefined);
  const currentPath = useRef(path);

  useEffect(() => {
    if (currentPath.current !== path) {
      currentPath.current = path;
      etag.current = undefined;
      setData(undefined);
      setLoading(path !== undefined);
    }
    if (path === undefined) return;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async (): Promise<void> => {
      try {
        const answer = await call<T>(path, {
          signal: controller.signal,
          ...(etag.current === undefined ? {} : { etag: etag.current }),
        });
        if (answer.status !== 304) {
          etag.current = answer.etag;
          setData(answer.data);
        }
        setError(undefined);
        setCheckedAt(new Date());
      } catch (e) {
        if (controller.signal.aborted) return;
        setError(e instanceof Error ? e : new Error(String(e)));
      } finally {
        if (!controller.signal.aborted) {
          setLoading(false);
          timer = setTimeout(() => void poll(), intervalMs);
        }
      }
    };
    void poll();
    return () => {
      controller.abort();
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [path, intervalMs, tick]);

  const refresh = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, checkedAt, refresh };
}
