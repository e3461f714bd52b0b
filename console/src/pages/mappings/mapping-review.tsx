/**
 * One mapping set version under review: its YAML, the diff against another version, its fixture cases
 * run on the hub, and approve or reject for approvers. Segregation of duties is shown: whoever
 * authored the set is told they cannot approve it (and the API refuses with LL_ERR_SEGREGATION_OF_DUTIES).
 */
import { useEffect, useState } from 'react';
import { api, ApiError } from '../../api/client';
import { lineDiff } from '../../components/line-diff';
import { useCan, useSession } from '../../session/session-context';
import type { MappingVersion } from './mapping-version';

interface TestRun {
  readonly summary: Readonly<Record<string, number>>;
  readonly results: readonly { name?: string; passed: boolean; [key: string]: unknown }[];
}

export function MappingReview({
  selected,
  versions,
  onChanged,
}: {
  selected: MappingVersion;
  versions: readonly MappingVersion[];
  onChanged: () => void;
}) {
  const { session } = useSession();
  const canApprove = useCan('mappings:approve');
  const [content, setContent] = useState<string | undefined>(undefined);
  const [other, setOther] = useState<string>('');
  const [otherContent, setOtherContent] = useState<string | undefined>(undefined);
  const [tests, setTests] = useState<TestRun | undefined>(undefined);
  const [reason, setReason] = useState('');
  const [message, setMessage] = useState<string | undefined>(undefined);

  useEffect(() => {
    setContent(undefined);
    setTests(undefined);
    setMessage(undefined);
    api<{ content: string }>(`/v1/mappings/${encodeURIComponent(selected.version)}`).then(
      (v) => setContent(v.content),
      (e: unknown) => setMessage(String(e)),
    );
  }, [selected.version]);
  useEffect(() => {
    setOtherContent(undefined);
    if (other === '') return;
    api<{ content: string }>(`/v1/mappings/${encodeURIComponent(other)}`).then(
      (v) => setOtherContent(v.content),
      (e: unknown) => setMessage(String(e)),
    );
  }, [other]);

  const act = async (path: string, body: unknown, done: string) => {
    try {
      await api(`/v1/mappings/${encodeURIComponent(selected.version)}/${path}`, { method: 'POST', body });
      setMessage(done);
      onChanged();
    } catch (e) {
      setMessage(e instanceof ApiError ? `${e.code}: ${e.message}` : String(e));
    }
  };
  const runTests = async () => {
    try {
      setTests(await api<TestRun>('/v1/mappings/test', { method: 'POST', body: { version: selected.version } }));
    } catch (e) {
      setMessage(e instanceof ApiError ? `${e.code}: ${e.message}` : String(e));
    }
  };
  const ownSet = session?.name === selected.author;
  const pending = selected.status === 'pending_approval';

  return (
    <section className="review" aria-label={`Mapping set ${selected.version}`} data-testid="mapping-review">
      <h2>
        {selected.version}{' '}
        <span className="muted">
          ({selected.status}, by {selected.author})
        </span>
      </h2>
      <div className="buttons">
        <button type="button" onClick={() => void runTests()}>
          Run its fixture cases
        </button>
        {canApprove && pending ? (
          <>
            <button
              type="button"
              disabled={ownSet}
              title={ownSet ? 'you authored this set: someone else must approve it' : undefined}
              onClick={() => void act('approve', {}, 'approved and published')}
            >
              Approve and publish
            </button>
            <input value={reason} onChange={(e) => setReason(e.target.value)} placeholder="reason to reject" />
            <button
              type="button"
              disabled={reason.trim() === ''}
              onClick={() => void act('reject', { reason: reason.trim() }, 'rejected')}
            >
              Reject
            </button>
          </>
        ) : null}
      </div>
      {canApprove && pending && ownSet ? (
        <p className="muted" data-testid="sod-note">
          Segregation of duties: you authored this set, so another approver must approve it.
        </p>
      ) : null}
      {message === undefined ? null : <p role="status">{message}</p>}
      {tests === undefined ? null : (
        <p data-testid="mapping-tests">
          Fixture cases:{' '}
          {Object.entries(tests.summary)
            .map(([k, v]) => `${v} ${k}`)
            .join(', ')}
        </p>
      )}
      <label>
        Compare with
        <select value={other} onChange={(e) => setOther(e.target.value)}>
          <option value="">(no comparison)</option>
          {versions
            .filter((v) => v.version !== selected.version)
            .map((v) => (
              <option key={v.version} value={v.version}>
                {v.version} ({v.status})
              </option>
            ))}
        </select>
      </label>
      {content === undefined ? (
        <p className="muted">Loading the set…</p>
      ) : otherContent === undefined ? (
        <pre className="payload">{content}</pre>
      ) : (
        <pre className="diff" data-testid="mapping-diff">
          {lineDiff(otherContent, content).map((l, i) => (
            <div key={i} className={l.kind}>
              {l.kind === 'added' ? '+ ' : l.kind === 'removed' ? '- ' : '  '}
              {l.text}
            </div>
          ))}
        </pre>
      )}
    </section>
  );
}
