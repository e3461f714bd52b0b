/** The close of one entity and period: the accrual view and the reconciliations (GET /v1/close/:entity/:period). */
import { usePolled } from '../../api/use-polled';
import { Loaded } from '../../components/states';
import { AccrualView } from './accrual-view';
import type { CloseView } from './close-types';
import { ReconciliationRuns } from './reconciliation-runs';

export function EntityClose({ entity, period }: { entity: string; period: string }) {
  const valid = entity.trim() !== '' && /^\d{4}-(0[1-9]|1[0-2])$/.test(period);
  const view = usePolled<CloseView>(
    valid ? `/v1/close/${encodeURIComponent(entity.trim())}/${encodeURIComponent(period)}` : undefined,
    30_000,
  );
  if (!valid) return <p className="muted">Choose a legal entity and a period.</p>;
  return (
    <Loaded what={`the close of ${entity} ${period}`} data={view.data} error={view.error} loading={view.loading}>
      {(v) => (
        <div data-testid="entity-close" data-entity={v.entity} data-period={v.period}>
          <AccrualView view={v} />
          <h3>Reconciliation</h3>
          <ReconciliationRuns view={v} onStarted={view.refresh} />
        </div>
      )}
    </Loaded>
  );
}
