/**
 * The documents of one period per legal entity and status (succeeded = posted, exception, pending, …),
 * from the postings of GET /v1/kpis for that month: what is posted, what is still on its way and what
 * waits in the exception queue before the period closes.
 */
import { useMemo } from 'react';
import { query } from '../../api/client';
import type { Kpis } from '../../api/types';
import { usePolled } from '../../api/use-polled';
import { Empty, Loaded } from '../../components/states';

function monthWindow(period: string): { from: string; to: string } | undefined {
  const match = /^(\d{4})-(\d{2})$/.exec(period);
  if (match === null) return undefined;
  const last = new Date(Date.UTC(Number(match[1]), Number(match[2]), 0)).getUTCDate();
  return { from: `${period}-01`, to: `${period}-${String(last).padStart(2, '0')}` };
}

export function PeriodDocuments({ period }: { period: string }) {
  const window = monthWindow(period);
  const kpis = usePolled<Kpis>(window === undefined ? undefined : `/v1/kpis${query(window)}`, 30_000);
  const table = useMemo(() => {
    const statuses = new Set<string>();
    const byEntity = new Map<string, Map<string, number>>();
    for (const p of kpis.data?.postings ?? []) {
      statuses.add(p.status);
      const entity = p.entity ?? '(none)';
      const row = byEntity.get(entity) ?? new Map<string, number>();
      row.set(p.status, (row.get(p.status) ?? 0) + p.count);
      byEntity.set(entity, row);
    }
    return { statuses: [...statuses].sort(), rows: [...byEntity.entries()].sort(([a], [b]) => a.localeCompare(b)) };
  }, [kpis.data]);
  return (
    <>
      <Loaded what="the period's documents" data={kpis.data} error={kpis.error} loading={kpis.loading}>
        {() =>
          table.rows.length === 0 ? (
            <Empty>No document in {period}.</Empty>
          ) : (
            <table
              className="data"
              aria-label="Documents of the period by entity and status"
              data-testid="period-documents"
            >
              <thead>
                <tr>
                  <th scope="col">Entity</th>
                  {table.statuses.map((s) => (
                    <th key={s} scope="col">
                      {s === 'succeeded' ? 'posted' : s}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {table.rows.map(([entity, counts]) => (
                  <tr key={entity}>
                    <td>{entity}</td>
                    {table.statuses.map((s) => (
                      <td key={s} className={s === 'exception' && (counts.get(s) ?? 0) > 0 ? 'bad' : undefined}>
                        {counts.get(s) ?? 0}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </Loaded>
    </>
  );
}
