/**
 * Trace: search by correlation ID or any system's document number; the timeline of one document from
 * the source system through the hub to the ERP posting and the payment, with the ERP documents and
 * links to the evidence attached there.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { api, ApiError, query } from '../../api/client';
import type { Trace } from '../../api/types';
import { when } from '../../components/format';
import { Empty, Loading } from '../../components/states';
import { navigate } from '../../router';

async function findTrace(q: string, system: string): Promise<Trace> {
  try {
    return await api<Trace>(`/v1/trace/${encodeURIComponent(q)}`);
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 404) throw e;
  }
  return api<Trace>(`/v1/trace${query({ documentId: q, system })}`);
}

const KIND_LABEL: Readonly<Record<string, string>> = {
  event: 'Source event',
  run: 'Run',
  step: 'Step',
  effect: 'Write',
  exception: 'Exception',
  action: 'Action',
  audit: 'Audit',
};

function cell(value: unknown) {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string' && /^https?:\/\//.test(value))
    return (
      <a href={value} target="_blank" rel="noreferrer" className="evidence">
        {value}
      </a>
    );
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** Records of any shape as a table: one column per key any of them has; links open the evidence. */
function RecordTable({
  rows,
  label,
  empty,
}: {
  rows: readonly Readonly<Record<string, unknown>>[];
  label: string;
  empty: string;
}) {
  if (rows.length === 0) return <Empty>{empty}</Empty>;
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return (
    <table className="data" aria-label={label}>
      <thead>
        <tr>
          {keys.map((k) => (
            <th key={k} scope="col">
              {k}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r, i) => (
          <tr key={i}>
            {keys.map((k) => (
              <td key={k}>{cell(r[k])}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Timeline({ trace }: { trace: Trace }) {
  return (
    <>
      <p>
        Correlation ID <code data-testid="trace-correlation">{trace.correlationId}</code>
        {trace.mappingVersions?.length ? ` · mapping ${trace.mappingVersions.join(', ')}` : ''}
      </p>
      <ol className="timeline" data-testid="trace-timeline">
        {trace.entries.map((e, i) => (
          <li key={`${e.kind}-${e.id}-${i}`} className={`kind-${e.kind}`} data-kind={e.kind}>
            <span className="when">{when(e.at)}</span>
            <span className="kind">{KIND_LABEL[e.kind] ?? e.kind}</span>
            <span className="summary">{e.summary}</span>
          </li>
        ))}
      </ol>
      <h2>ERP documents</h2>
      <RecordTable rows={trace.erpDocuments ?? []} label="ERP documents" empty="No ERP document yet." />
      <h2>Payment</h2>
      <RecordTable rows={trace.payments ?? []} label="Payment status" empty="No payment status yet." />
    </>
  );
}

export function TracePage({ params }: { params: URLSearchParams }) {
  const q = params.get('q') ?? '';
  const system = params.get('system') ?? '';
  const [draft, setDraft] = useState(q);
  const [draftSystem, setDraftSystem] = useState(system);
  const [trace, setTrace] = useState<Trace | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    setTrace(undefined);
    setError(undefined);
    if (q === '') return;
    setLoading(true);
    findTrace(q, system)
      .then(setTrace, (e: unknown) =>
        setError(e instanceof ApiError && e.status === 404 ? `Nothing recorded under ${q}` : String(e)),
      )
      .finally(() => setLoading(false));
  }, [q, system]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    navigate('trace', { q: draft.trim(), system: draftSystem.trim() });
  };

  return (
    <>
      <h1>Trace</h1>
      <form className="filters" onSubmit={submit} role="search">
        <label>
          Correlation ID or document number
          <input name="q" value={draft} onChange={(e) => setDraft(e.target.value)} size={40} />
        </label>
        <label>
          System (optional)
          <input
            name="system"
            value={draftSystem}
            onChange={(e) => setDraftSystem(e.target.value)}
            placeholder="expense"
          />
        </label>
        <button type="submit" disabled={draft.trim() === ''}>
          Search
        </button>
      </form>
      {loading ? <Loading what="the trace" /> : null}
      {error === undefined ? null : (
        <p className="state error" role="alert">
          {error}
        </p>
      )}
      {trace === undefined ? (
        q === '' ? (
          <Empty>Search for a document to see its way through the hub.</Empty>
        ) : null
      ) : (
        <Timeline trace={trace} />
      )}
    </>
  );
}
