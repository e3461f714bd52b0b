/**
 * A call made on request (a button, a form), not polled: busy while it runs, its answer, or the API's
 * error message. `run` never throws, so handlers can call it without awaiting.
 */
import { useCallback, useState } from 'react';
import { ApiError } from './client';

export interface Action<T> {
  readonly busy: boolean;
  readonly result: T | undefined;
  readonly error: string | undefined;
  run(call: () => Promise<T>): Promise<T | undefined>;
}

export function useAction<T>(): Action<T> {
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const run = useCallback(async (call: () => Promise<T>) => {
    setBusy(true);
    setError(undefined);
    try {
      const answer = await call();
      setResult(answer);
      return answer;
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, result, error, run };
}
