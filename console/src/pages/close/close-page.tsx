/**
 * Close, per legal entity and period (kept in the address: `#/close?entity=1010&period=2025-03`): the
 * period's documents per entity and status; for the entity, what was approved and not posted by the
 * period's end (the accrual view), the accrual journal and its reversal, the reconciliations with
 * their findings and CSV, starting one; the posting periods (the calendar with its overrides and who
 * changed them), opening or closing one with a reason for those allowed to act.
 */
import { useState, type FormEvent } from 'react';
import { api } from '../../api/client';
import { useAction } from '../../api/use-action';
import type { PeriodRow } from '../../api/types';
import { usePolled } from '../../api/use-polled';
import { when } from '../../components/format';
import { RecordTable } from '../../components/record-table';
import { Loaded, Refused } from '../../components/states';
import { useCan } from '../../session/session-context';
import { navigate } from '../../router';
import { EntityClose } from './entity-close';
import { PeriodDocuments } from './period-documents';

function PeriodForm({ onDone }: { onDone: () => void }) {
  const [entity, setEntity] = useState('');
  const [period, setPeriod] = useState(new Date().toISOString().slice(0, 7));
  const [status, setStatus] = useState<'open' | 'closed'>('open');
  const [reason, setReason] = useState('');
  const save = useAction<string>();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const done = await save.run(async () => {
      await api(`/v1/periods/${encodeURIComponent(entity.trim())}/${encodeURIComponent(period.trim())}`, {
        method: 'PUT',
        body: { status, reason: reason.trim() },
      });
      return `${entity} ${period} is now ${status}`;
    });
    if (done !== undefined) onDone();
  };
  return (
    <form className="filters" onSubmit={(e) => void submit(e)} aria-label="Open or close a period">
      <label>
        Entity
        <input name="entity" value={entity} onChange={(e) => setEntity(e.target.value)} placeholder="1010 or *" />
      </label>
      <label>
        Period
        <input name="period" value={period} onChange={(e) => setPeriod(e.target.value)} placeholder="YYYY-MM" />
      </label>
      <label>
        Set to
        <select name="periodStatus" value={status} onChange={(e) => setStatus(e.target.value as 'open' | 'closed')}>
          <option value="open">open</option>
          <option value="closed">closed</option>
        </select>
      </label>
      <label>
        Reason
        <input name="periodReason" value={reason} onChange={(e) => setReason(e.target.value)} />
      </label>
      <button type="submit" disabled={save.busy || entity.trim() === '' || reason.trim() === ''}>
        Save
      </button>
      {save.result === undefined || save.error !== undefined ? null : <span role="status">{save.result}</span>}
      <Refused message={save.error} />
    </form>
  );
}

function Choice({ entity, period }: { entity: string; period: string }) {
  const [draft, setDraft] = useState(entity);
  const go = (next: { entity?: string; period?: string }) => navigate('close', { entity, period, ...next });
  return (
    <form
      className="filters"
      aria-label="Entity and period"
      onSubmit={(e) => {
        e.preventDefault();
        go({ entity: draft.trim() });
      }}
    >
      <label>
        Period
        <input name="closePeriod" type="month" value={period} onChange={(e) => go({ period: e.target.value })} />
      </label>
      <label>
        Legal entity
        <input name="closeEntity" value={draft} onChange={(e) => setDraft(e.target.value)} placeholder="1010" />
      </label>
      <button type="submit">Show</button>
    </form>
  );
}

export function ClosePage({ params }: { params: URLSearchParams }) {
  const period = params.get('period') ?? new Date().toISOString().slice(0, 7);
  const entity = params.get('entity') ?? '';
  const canRead = useCan('master-data:read');
  const canReadClose = useCan('reconciliations:read');
  const canAct = useCan('exceptions:act');
  const canReadFigures = useCan('kpis:read');
  const periods = usePolled<{ periods: PeriodRow[] }>(canRead ? '/v1/periods' : undefined, 10_000);
  return (
    <>
      <h1>Close</h1>
      <Choice key={entity} entity={entity} period={period} />
      {canReadFigures ? (
        <>
          <h2>Documents of {period} by entity and status</h2>
          <PeriodDocuments period={period} />
        </>
      ) : null}
      {canReadClose ? (
        <>
          <h2>{entity === '' ? 'Accruals and reconciliation' : `${entity} at the end of ${period}`}</h2>
          <EntityClose entity={entity} period={period} />
        </>
      ) : null}
      <h2>Posting periods</h2>
      {canAct ? <PeriodForm onDone={periods.refresh} /> : null}
      <Loaded
        what="the periods"
        data={periods.data}
        error={periods.error}
        loading={periods.loading}
        isEmpty={(data) => data.periods.length === 0}
        empty="No period is closed or overridden."
      >
        {(data) => (
          <RecordTable
            label="Posting periods"
            testId="periods"
            rows={data.periods}
            rowKey={(p) => `${p.entity}/${p.period}`}
            rowData={(p) => ({ entity: p.entity, period: p.period })}
            columns={[
              { header: 'Entity', cell: (p) => p.entity },
              { header: 'Period', cell: (p) => p.period },
              { header: 'Status', cell: (p) => p.status, className: (p) => (p.status === 'closed' ? 'bad' : 'good') },
              { header: 'Decided by', cell: (p) => String(p['actor'] ?? p.source) },
              { header: 'Reason', cell: (p) => p.reason ?? '' },
              { header: 'When', cell: (p) => when((p['updatedAt'] as string | undefined) ?? null) },
            ]}
          />
        )}
      </Loaded>
    </>
  );
}
