/**
 * The accrual view of an entity and period: what was approved by the period's end and not posted by
 * then (per process and currency), and the period-end accrual journal entry posted for it with its
 * reversal on the first day of the next period.
 */
import type { CloseView } from './close-types';
import { money } from '../../components/format';
import { RecordTable } from '../../components/record-table';
import { Empty } from '../../components/states';

type Entry = { kind: string; documentNumber: string; fiscalYear: string; postingDate: string };

export function AccrualView({ view }: { view: CloseView }) {
  const { accrual } = view;
  const entries: Entry[] =
    accrual === null
      ? []
      : [
          ...accrual.accrued.map((d) => ({ kind: 'accrual', ...d })),
          ...accrual.reversed.map((d) => ({ kind: 'reversal', ...d })),
        ];
  return (
    <>
      <h3>Approved, not posted by {view.to}</h3>
      {view.unposted.length === 0 ? (
        <Empty>Everything approved by the period&apos;s end was posted in it.</Empty>
      ) : (
        <RecordTable
          label="Approved but not posted at the period end"
          testId="close-unposted"
          rows={view.unposted}
          rowKey={(r) => `${r.process}/${r.currency}`}
          rowData={(r) => ({ process: r.process, currency: r.currency })}
          columns={[
            { header: 'Process', cell: (r) => r.process },
            { header: 'Documents', cell: (r) => r.documents, value: (r) => r.documents },
            {
              header: 'Amount',
              cell: (r) => money({ amount: r.amount, currency: r.currency }),
              value: (r) => r.amount,
            },
          ]}
        />
      )}
      <h3>Accrual journal</h3>
      {accrual === null ? (
        <Empty>No period-end accrual for {view.period} yet.</Empty>
      ) : (
        <>
          <p className="muted" data-testid="accrual-run" data-status={accrual.status}>
            Accrual run <a href={`#/trace?q=${encodeURIComponent(accrual.correlationId)}`}>{accrual.runId}</a>:{' '}
            {accrual.status};{' '}
            {accrual.planned
              .map((p) => `${money({ amount: p.total, currency: p.currency })} for ${p.documents} documents`)
              .join(', ') || 'nothing to accrue for this entity'}
          </p>
          {entries.length === 0 ? null : (
            <RecordTable
              label="Accrual and reversal entries"
              testId="accrual-entries"
              rows={entries}
              rowKey={(r) => `${r.kind}/${r.documentNumber}`}
              rowData={(r) => ({ kind: r.kind })}
              columns={[
                { header: 'Entry', cell: (r) => r.kind },
                {
                  header: 'ERP document',
                  cell: (r) => `${r.documentNumber} / ${r.fiscalYear}`,
                  value: (r) => r.documentNumber,
                },
                { header: 'Posting date', cell: (r) => r.postingDate },
              ]}
            />
          )}
        </>
      )}
    </>
  );
}
