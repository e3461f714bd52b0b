/**
 * Suppliers to review: the open duplicate suspects (a new procurement supplier whose name, tax number,
 * IBAN or address comes close to an ERP vendor). One at a time: the supplier as procurement sent it
 * beside the candidate ERP vendors with their scores and why; link it to one, or create a new vendor.
 * The decision is a replay of the run with `"resolution"` added to its payload, audited with a reason.
 */
import { useEffect, useState } from 'react';
import { api, ApiError } from '../../api/client';
import type { ExceptionDetail, ExceptionPage } from '../../api/types';
import { usePolled } from '../../api/use-polled';
import { age } from '../../components/format';
import { Empty, Loaded } from '../../components/states';
import { useCan } from '../../session/session-context';
import { runInputText } from '../exceptions/payload-text';
import { RecordTable } from '../../components/record-table';

interface Candidate {
  readonly vendorId: string;
  readonly name: string;
  readonly country: string | null;
  readonly blocked: boolean;
  readonly score: number;
  readonly reasons: readonly string[];
}

const candidatesOf = (details: unknown): Candidate[] =>
  Array.isArray(details) ? (details as Candidate[]).filter((d) => typeof d.vendorId === 'string') : [];

/** The run's payload text with the decision added as its first member (the rest kept as written). */
export function withResolution(payload: string, resolution: Readonly<Record<string, string>>): string {
  const at = payload.indexOf('{');
  const rest = payload.slice(at + 1).trim();
  return `{"resolution":${JSON.stringify(resolution)}${rest.startsWith('}') ? '' : ','}${rest}`;
}

function Review({ exceptionId, onDone }: { exceptionId: string; onDone: () => void }) {
  const canAct = useCan('exceptions:act');
  const [detail, setDetail] = useState<ExceptionDetail | undefined>(undefined);
  const [payload, setPayload] = useState<string | undefined>(undefined);
  const [reason, setReason] = useState('');
  const [message, setMessage] = useState<string | undefined>(undefined);
  useEffect(() => {
    setDetail(undefined);
    setPayload(undefined);
    setMessage(undefined);
    api<ExceptionDetail>(`/v1/exceptions/${encodeURIComponent(exceptionId)}`).then(
      (d) => {
        setDetail(d);
        if (d.runId !== null) runInputText(d.runId).then(setPayload, (e: unknown) => setMessage(String(e)));
      },
      (e: unknown) => setMessage(String(e)),
    );
  }, [exceptionId]);

  const decide = async (resolution: Readonly<Record<string, string>>) => {
    if (payload === undefined) return;
    try {
      const body = JSON.stringify({ from: 'failed-step', reason: reason.trim() });
      await api(`/v1/exceptions/${encodeURIComponent(exceptionId)}/replay`, {
        method: 'POST',
        rawBody: `${body.slice(0, -1)},"payload":${withResolution(payload, resolution)}}`,
      });
      setMessage(
        resolution['action'] === 'link'
          ? `Linked to ERP vendor ${resolution['vendorId']}`
          : 'A new vendor will be created',
      );
      onDone();
    } catch (e) {
      setMessage(e instanceof ApiError ? `${e.code}: ${e.message}` : String(e));
    }
  };

  if (detail === undefined) return <p className="muted">{message ?? 'Loading the suspect…'}</p>;
  const candidates = candidatesOf(detail.details);
  const ready = canAct && payload !== undefined && reason.trim() !== '';
  return (
    <section className="two-columns" aria-label="Duplicate suspect" data-testid="supplier-review">
      <div>
        <h2>The new supplier</h2>
        <p>{detail.message}</p>
        <pre className="payload" data-testid="supplier-payload">
          {payload ?? 'Loading…'}
        </pre>
        {detail.run?.['state'] === undefined ? null : (
          <details>
            <summary>What the hub read from procurement</summary>
            <pre className="payload">{JSON.stringify(detail.run['state'], null, 2)}</pre>
          </details>
        )}
        {canAct ? (
          <>
            <label className="wide">
              Reason (kept in the audit log)
              <input name="reviewReason" value={reason} onChange={(e) => setReason(e.target.value)} />
            </label>
            <button type="button" disabled={!ready} onClick={() => void decide({ action: 'create' })}>
              Not a duplicate: create a new vendor
            </button>
          </>
        ) : null}
        {message === undefined ? null : (
          <p role="status" data-testid="review-message">
            {message}
          </p>
        )}
      </div>
      <div>
        <h2>Candidate ERP vendors</h2>
        <RecordTable
          label="Candidate ERP vendors"
          testId="candidates"
          rows={candidates}
          rowKey={(c) => c.vendorId}
          rowData={(c) => ({ vendor: c.vendorId })}
          columns={[
            { header: 'Vendor', cell: (c) => c.vendorId },
            {
              header: 'Name',
              cell: (c) => (
                <>
                  {c.name}
                  {c.country === null ? '' : ` (${c.country})`}
                  {c.blocked ? <span className="bad"> blocked</span> : null}
                </>
              ),
            },
            { header: 'Score', cell: (c) => c.score.toFixed(3) },
            { header: 'Why', cell: (c) => c.reasons.join('; '), className: () => 'wrap' },
            {
              header: '',
              cell: (c) =>
                canAct ? (
                  <button
                    type="button"
                    disabled={!ready}
                    onClick={() => void decide({ action: 'link', vendorId: c.vendorId })}
                  >
                    Link
                  </button>
                ) : null,
            },
          ]}
        />
      </div>
    </section>
  );
}

export function SuppliersPage() {
  const queue = usePolled<ExceptionPage>('/v1/exceptions?class=duplicate_suspect&status=open&limit=100', 10_000);
  const [selected, setSelected] = useState<string | undefined>(undefined);
  return (
    <>
      <h1>Suppliers to review</h1>
      <Loaded what="the duplicate suspects" data={queue.data} error={queue.error} loading={queue.loading}>
        {(data) =>
          data.exceptions.length === 0 ? (
            <Empty>No supplier waits for review.</Empty>
          ) : (
            <ul className="history" data-testid="suspects">
              {data.exceptions.map((x) => (
                <li key={x.id}>
                  <button type="button" onClick={() => setSelected(x.id)} aria-pressed={selected === x.id}>
                    Supplier {x.documentId ?? x.id}
                  </button>{' '}
                  raised {age(x.createdAt)} ago
                </li>
              ))}
            </ul>
          )
        }
      </Loaded>
      {selected === undefined ? null : <Review exceptionId={selected} onDone={queue.refresh} />}
    </>
  );
}
