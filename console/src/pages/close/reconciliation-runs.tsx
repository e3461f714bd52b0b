/**
 * Reconciliations of an entity over a period: start one (operators), each kept one with its counts
 * and its CSV, and the findings of the one chosen (the newest by default).
 */
import { useState } from 'react';
import { api } from '../../api/client';
import { usePolled } from '../../api/use-polled';
import { useAction } from '../../api/use-action';
import { when } from '../../components/format';
import { RecordTable } from '../../components/record-table';
import { Empty, Loaded, Refused } from '../../components/states';
import { useCan } from '../../session/session-context';
import type { CloseView, Finding, Reconciliation, ReconciliationSummary } from './close-types';

const COUNTS = [
  'approved',
  'posted',
  'missing',
  'duplicated',
  'amountMismatches',
  'notFoundInErp',
  'reversed',
] as const;
const LABELS: Record<(typeof COUNTS)[number], string> = {
  approved: 'Approved',
  posted: 'Posted',
  missing: 'Missing',
  duplicated: 'Duplicated',
  amountMismatches: 'Amount differs',
  notFoundInErp: 'Not in ERP',
  reversed: 'Reversed',
};
const FINDINGS = ['missing', 'duplicated', 'amountMismatches', 'notFoundInErp'] as const;

function Findings({ id }: { id: string }) {
  const rec = usePolled<Reconciliation>(`/v1/reconciliations/${encodeURIComponent(id)}`, 60_000);
  const rows = (r: Reconciliation) =>
    FINDINGS.flatMap((kind) =>
      r[kind]
        .slice(0, 50)
        .map((f, i) => ({ kind, i, ...f }) as Finding & { kind: (typeof FINDINGS)[number]; i: number }),
    );
  return (
    <Loaded
      what="the findings"
      data={rec.data}
      error={rec.error}
      loading={rec.loading}
      isEmpty={(r) => rows(r).length === 0}
      empty="No findings: every approved document is posted once, with its amount."
    >
      {(r) => (
        <RecordTable
          label={`Findings of ${id}`}
          testId="reconciliation-findings"
          rows={rows(r)}
          rowKey={(f) => `${f.kind}/${f.i}`}
          rowData={(f) => ({ finding: f.kind })}
          columns={[
            { header: 'Finding', cell: (f) => LABELS[f.kind] },
            { header: 'Process', cell: (f) => f.process ?? '' },
            { header: 'Document', cell: (f) => `${f.system ?? ''} ${f.documentId ?? ''}` },
            { header: 'Reference', cell: (f) => f.reference ?? '' },
            {
              header: 'Difference',
              cell: (f) => (f.difference === undefined ? '' : `${f.difference} ${f.currency ?? ''}`),
            },
          ]}
        />
      )}
    </Loaded>
  );
}

export function ReconciliationRuns({ view, onStarted }: { view: CloseView; onStarted: () => void }) {
  const canRun = useCan('reconciliations:run');
  const start = useAction<ReconciliationSummary>();
  const [chosen, setChosen] = useState<string | undefined>(undefined);
  const shown = chosen ?? view.reconciliations[0]?.id;
  const begin = async () => {
    const body = { from: view.from, to: view.to, entity: view.entity };
    const done = await start.run(() => api<ReconciliationSummary>('/v1/reconciliations', { method: 'POST', body }));
    if (done !== undefined) {
      setChosen(done.id);
      onStarted();
    }
  };
  return (
    <>
      {canRun ? (
        <p className="filters">
          <button type="button" disabled={start.busy} onClick={() => void begin()}>
            Reconcile {view.entity} {view.from} to {view.to}
          </button>
          {start.busy ? <span role="status">Reconciling (reading the source systems and the ERP)…</span> : null}
        </p>
      ) : null}
      <Refused message={start.error} />
      {view.reconciliations.length === 0 ? (
        <Empty>
          No reconciliation of {view.entity} over {view.period} yet.
        </Empty>
      ) : (
        <RecordTable
          label="Reconciliations"
          testId="reconciliations"
          rows={view.reconciliations}
          rowKey={(r) => r.id}
          rowData={(r) => ({ id: r.id })}
          columns={[
            { header: 'When', cell: (r) => when(r.createdAt) },
            { header: 'By', cell: (r) => r.createdBy },
            { header: 'Dates', cell: (r) => `${r.from} – ${r.to}${r.entity === null ? ' (all entities)' : ''}` },
            ...COUNTS.map((key) => ({
              header: LABELS[key],
              cell: (r: ReconciliationSummary) => r.counts[key] ?? 0,
              value: (r: ReconciliationSummary) => r.counts[key] ?? 0,
              className: (r: ReconciliationSummary) =>
                key !== 'approved' && key !== 'posted' && key !== 'reversed' && (r.counts[key] ?? 0) > 0
                  ? 'bad'
                  : undefined,
            })),
            {
              header: 'Findings',
              cell: (r) => (
                <>
                  <button type="button" className="link" aria-pressed={r.id === shown} onClick={() => setChosen(r.id)}>
                    Show
                  </button>{' '}
                  <a
                    href={`/v1/reconciliations/${encodeURIComponent(r.id)}?format=csv`}
                    download={`reconciliation-${r.id}.csv`}
                  >
                    CSV
                  </a>
                </>
              ),
            },
          ]}
        />
      )}
      {shown === undefined ? null : <Findings key={shown} id={shown} />}
    </>
  );
}
