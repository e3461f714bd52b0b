/**
 * Retry, resolve and ignore with a reason, and replay (from the failed step or the start, with the
 * run's or the current mapping, optionally with an edited payload shown as a diff before sending).
 * Shown only to roles allowed `exceptions:act`; the API refuses anyone else regardless.
 */
import { useEffect, useState } from 'react';
import { api, ApiError } from '../../api/client';
import { lineDiff } from '../../components/line-diff';

type Simple = 'retry' | 'resolve' | 'ignore';
const OPEN_STATES = new Set(['open', 'escalated']);

export function ExceptionActions({
  id,
  status,
  payload,
  onDone,
}: {
  id: string;
  status: string;
  payload: string | undefined;
  onDone: () => void;
}) {
  const [reason, setReason] = useState('');
  const [message, setMessage] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [replaying, setReplaying] = useState(false);
  const [from, setFrom] = useState<'failed-step' | 'start'>('failed-step');
  const [mapping, setMapping] = useState<'same' | 'current'>('same');
  const [edited, setEdited] = useState(payload ?? '');
  const [showDiff, setShowDiff] = useState(false);
  // The payload arrives after the page: start the editor from it once it is there.
  useEffect(() => {
    if (payload !== undefined) setEdited((current) => (current === '' ? payload : current));
  }, [payload]);

  const send = async (action: Simple | 'replay', body: Record<string, unknown>, rawPayload?: string) => {
    setBusy(true);
    setMessage(undefined);
    try {
      // An edited payload goes as its own text, so amounts keep their digits (the API reads it losslessly).
      const rawBody =
        rawPayload === undefined ? undefined : `${JSON.stringify(body).slice(0, -1)},"payload":${rawPayload}}`;
      await api(`/v1/exceptions/${encodeURIComponent(id)}/${action}`, {
        method: 'POST',
        ...(rawBody === undefined ? { body } : { rawBody }),
      });
      setMessage(`${action} accepted`);
      setReplaying(false);
      onDone();
    } catch (e) {
      setMessage(e instanceof ApiError ? `${e.code}: ${e.message}` : String(e));
    } finally {
      setBusy(false);
    }
  };
  const withReason = () => (reason.trim() === '' ? {} : { reason: reason.trim() });
  const open = OPEN_STATES.has(status);
  const changed = payload !== undefined && edited !== payload;

  const replay = () => {
    if (changed) {
      try {
        JSON.parse(edited);
      } catch {
        setMessage('The edited payload is not valid JSON');
        return;
      }
    }
    void send('replay', { from, mapping, ...withReason() }, changed ? edited.trim() : undefined);
  };

  return (
    <section className="actions" aria-label="Actions" data-testid="exception-actions">
      <label>
        Reason
        <input
          name="reason"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          placeholder="why (kept in the audit log)"
        />
      </label>
      <div className="buttons">
        <button type="button" disabled={busy || !open} onClick={() => void send('retry', withReason())}>
          Retry
        </button>
        <button type="button" disabled={busy || !open} onClick={() => setReplaying(!replaying)}>
          Replay…
        </button>
        <button
          type="button"
          disabled={busy || !open || reason.trim() === ''}
          onClick={() => void send('resolve', withReason())}
          title="needs a reason"
        >
          Resolve
        </button>
        <button
          type="button"
          disabled={busy || !open || reason.trim() === ''}
          onClick={() => void send('ignore', withReason())}
          title="needs a reason"
        >
          Ignore
        </button>
      </div>
      {replaying ? (
        <div className="replay">
          <label>
            From
            <select value={from} onChange={(e) => setFrom(e.target.value as 'failed-step' | 'start')}>
              <option value="failed-step">the failed step</option>
              <option value="start">the start</option>
            </select>
          </label>
          <label>
            Mapping
            <select value={mapping} onChange={(e) => setMapping(e.target.value as 'same' | 'current')}>
              <option value="same">the run's version</option>
              <option value="current">the current version</option>
            </select>
          </label>
          {payload === undefined ? null : (
            <label className="wide">
              Payload (edit to replay with changes; a reason is then required)
              <textarea rows={12} value={edited} onChange={(e) => setEdited(e.target.value)} spellCheck={false} />
            </label>
          )}
          {changed ? (
            <button type="button" onClick={() => setShowDiff(!showDiff)}>
              {showDiff ? 'Hide' : 'Show'} the changes
            </button>
          ) : null}
          {changed && showDiff ? (
            <pre className="diff" data-testid="payload-diff">
              {lineDiff(payload, edited)
                .filter((l) => l.kind !== 'same')
                .map((l, i) => (
                  <div key={i} className={l.kind}>
                    {l.kind === 'added' ? '+ ' : '- '}
                    {l.text}
                  </div>
                ))}
            </pre>
          ) : null}
          <button
            type="button"
            className="danger"
            disabled={busy || (changed && (!showDiff || reason.trim() === ''))}
            onClick={replay}
          >
            Send replay
          </button>
        </div>
      ) : null}
      {message === undefined ? null : (
        <p role="status" data-testid="action-message">
          {message}
        </p>
      )}
    </section>
  );
}
