/** Loading, empty and error states, the same on every page. */
import type { ReactNode } from 'react';

export function Loading({ what }: { what: string }) {
  return (
    <p className="state loading" role="status" aria-live="polite">
      Loading {what}…
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="state empty">{children}</p>;
}

export function ErrorNote({ error, what }: { error: Error; what: string }) {
  return (
    <p className="state error" role="alert">
      Could not load {what}: {error.message}
    </p>
  );
}

/** An action's refusal or failure, as the API said it. */
export function Refused({ message }: { message: string | undefined }) {
  return message === undefined ? null : (
    <p className="state error" role="alert">
      {message}
    </p>
  );
}

/**
 * The usual trio: loading before the first answer, the error (over stale data), or the content; with
 * `isEmpty` and `empty`, the empty state instead of the content when the answer holds nothing.
 */
export function Loaded<T>({
  what,
  data,
  error,
  loading,
  isEmpty,
  empty,
  children,
}: {
  what: string;
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  children: (data: T) => ReactNode;
}) {
  if (data === undefined) {
    if (error !== undefined) return <ErrorNote error={error} what={what} />;
    if (loading) return <Loading what={what} />;
    return <Empty>Nothing to show.</Empty>;
  }
  return (
    <>
      {error === undefined ? null : <ErrorNote error={error} what={`the latest ${what} (showing the last known)`} />}
      {isEmpty?.(data) === true ? <Empty>{empty ?? 'Nothing to show.'}</Empty> : children(data)}
    </>
  );
}
