/**
 * One exception: what failed and why, the masked payload (card numbers are masked at ingest), the
 * run's step history, its mapping version, a link to the trace, what was done so far, and the actions
 * for those allowed to act.
 */
import { useEffect, useState, type ReactNode } from 'react';
import type { ExceptionDetail } from '../../api/types';
import { usePolled } from '../../api/use-polled';
import { money, when } from '../../components/format';
import { RecordTable } from '../../components/record-table';
import { Empty, Loaded } from '../../components/states';
import { href } from '../../router';
import { useCan } from '../../session/session-context';
import { ExceptionActions } from './exception-actions';
import { runInputText } from './payload-text';

function Field({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <>
      <dt>{label}</dt>
      <dd data-testid={testId}>{children}</dd>
    </>
  );
}

function Payload({ runId, onText }: { runId: string | null; onText: (text: string | undefined) => void }) {
  const allowed = useCan('runs:read');
  const [text, setText] = useState<string | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  useEffect(() => {
    if (runId === null || !allowed) return;
    runInputText(runId).then(
      (t) => {
        setText(t);
        onText(t);
      },
      (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
    );
  }, [runId, allowed, onText]);
  if (runId === null) return <p className="muted">No run: the event itself was refused.</p>;
  if (error !== undefined) return <p className="state error">Could not load the payload: {error}</p>;
  if (text === undefined) return <p className="muted">Loading the payload…</p>;
  return (
    <pre className="payload" data-testid="payload">
      {text}
    </pre>
  );
}

export function ExceptionDetailPage({ id }: { id: string }) {
  const detail = usePolled<ExceptionDetail>(`/v1/exceptions/${encodeURIComponent(id)}`, 5_000);
  const canAct = useCan('exceptions:act');
  const [payload, setPayload] = useState<string | undefined>(undefined);
  return (
    <>
      <p>
        <a href={href('exceptions')}>← Exceptions</a>
      </p>
      <Loaded what="the exception" data={detail.data} error={detail.error} loading={detail.loading}>
        {(x) => (
          <div data-testid="exception-detail" data-status={x.status}>
            <h1>
              {x.class} exception <span className="muted">{x.id}</span>
            </h1>
            <p className="error-text" data-testid="exception-message">
              {x.code}: {x.message}
            </p>
            <dl className="fields">
              <Field label="Status" testId="exception-status">
                {x.status}
              </Field>
              <Field label="Owner">{x.owner}</Field>
              <Field label="Process">{x.process ?? '—'}</Field>
              <Field label="Entity">{x.entity ?? '—'}</Field>
              <Field label="System">{x.system ?? '—'}</Field>
              <Field label="Document">{x.documentId ?? '—'}</Field>
              <Field label="Amount">{money(x.amount)}</Field>
              <Field label="Raised">{when(x.createdAt)}</Field>
              <Field label="SLA due">{when(x.slaDueAt)}</Field>
              <Field label="Run status" testId="run-status">
                {x.run?.status ?? '—'}
              </Field>
              <Field label="Mapping version" testId="mapping-version">
                {x.run?.mappingVersion ?? '—'}
              </Field>
              <Field label="Trace">
                {x.correlationId === null ? (
                  '—'
                ) : (
                  <a href={href('trace', { q: x.correlationId })} data-testid="trace-link">
                    {x.correlationId}
                  </a>
                )}
              </Field>
            </dl>
            {canAct ? <ExceptionActions id={x.id} status={x.status} payload={payload} onDone={detail.refresh} /> : null}
            <h2>Steps</h2>
            <RecordTable
              label="Step history"
              testId="step-history"
              rows={(x.run?.steps ?? []).map((step, i) => ({ s: step, i }))}
              rowKey={(r) => String(r.i)}
              columns={[
                { header: 'Step', cell: (r) => r.s.step },
                { header: 'Attempt', cell: (r) => String(r.s.attempt ?? '') },
                { header: 'Status', cell: (r) => r.s.status },
                { header: 'Started', cell: (r) => when(r.s.startedAt ?? null) },
                { header: 'Error', cell: (r) => String(r.s['errorMessage'] ?? ''), className: () => 'clip' },
              ]}
            />
            <h2>History</h2>
            {x.history.length === 0 ? (
              <Empty>Nothing done yet.</Empty>
            ) : (
              <ul className="history" data-testid="exception-history">
                {x.history.map((h, i) => (
                  <li key={i}>
                    {when(h.at)} — {h.action} by {h.actor}
                    {h.reason === null ? '' : `: ${h.reason}`}
                  </li>
                ))}
              </ul>
            )}
            <h2>Error details</h2>
            <pre className="payload">{JSON.stringify(x.details, null, 2)}</pre>
            <h2>Payload</h2>
            <Payload runId={x.runId} onText={setPayload} />
          </div>
        )}
      </Loaded>
    </>
  );
}
