/**
 * Overview: the business figures of GET /v1/kpis (posted per hour by process, success rate by process
 * and entity, latencies, exceptions by class and owner with SLA breaches, queue depth) and connector
 * health, refreshed every few seconds without reloading.
 */
import type { ConnectorState, Kpis } from '../../api/types';
import { usePolled } from '../../api/use-polled';
import { RecordTable, type Column } from '../../components/record-table';
import { Empty, Loaded } from '../../components/states';
import { duration, percent, when } from '../../components/format';
import { useCan } from '../../session/session-context';
import { Figure } from './figure';
import { LatencyChart } from './latency-chart';
import { PostedPerHourChart } from './posted-per-hour-chart';

function Headline({ kpis }: { kpis: Kpis }) {
  const { overall } = kpis.successRate;
  const { approvalToPosting: a2p, postingToPayment: p2p } = kpis.latency;
  const open = kpis.exceptions.reduce((s, e) => s + e.open, 0);
  const breached = kpis.exceptions.reduce((s, e) => s + e.slaBreached, 0);
  const queued = kpis.queue.jobsByStatus['queued'] ?? 0;
  return (
    <section className="figures" aria-label="Headline figures">
      <Figure
        label="Success rate"
        value={percent(overall.rate)}
        raw={overall.rate}
        testId="kpi-success-rate"
        note={`${overall.succeeded} of ${overall.finished} finished`}
      />
      <Figure label="Approval → posting p50" value={duration(a2p.p50Ms)} raw={a2p.p50Ms} testId="kpi-a2p-p50" />
      <Figure label="Approval → posting p95" value={duration(a2p.p95Ms)} raw={a2p.p95Ms} testId="kpi-a2p-p95" />
      <Figure label="Posting → payment p50" value={duration(p2p.p50Ms)} raw={p2p.p50Ms} testId="kpi-p2p-p50" />
      <Figure label="Posting → payment p95" value={duration(p2p.p95Ms)} raw={p2p.p95Ms} testId="kpi-p2p-p95" />
      <Figure label="Open exceptions" value={String(open)} raw={open} testId="kpi-open-exceptions" />
      <Figure label="Past their SLA" value={String(breached)} raw={breached} testId="kpi-sla-breached" />
      <Figure label="Jobs queued" value={String(queued)} raw={queued} testId="kpi-jobs-queued" />
      <Figure
        label="Events not yet dispatched"
        value={String(kpis.queue.inboxPending)}
        raw={kpis.queue.inboxPending}
        testId="kpi-inbox-pending"
      />
    </section>
  );
}

type RateRow = Kpis['successRate']['byProcess'][number] | Kpis['successRate']['byEntity'][number];

/** Succeeded, finished and rate columns after the first, the same for processes and entities. */
const rateColumns = <T extends RateRow>(): Column<T>[] => [
  { header: 'Succeeded', cell: (r) => r.succeeded, value: (r) => r.succeeded },
  { header: 'Finished', cell: (r) => r.finished, value: (r) => r.finished },
  { header: 'Rate', cell: (r) => percent(r.rate), value: (r) => r.rate ?? '' },
];

function SuccessTables({ kpis }: { kpis: Kpis }) {
  return (
    <section className="two-columns">
      <RecordTable
        label="Success rate by process"
        testId="success-by-process"
        rows={kpis.successRate.byProcess}
        rowKey={(r) => r.process}
        rowData={(r) => ({ process: r.process })}
        columns={[{ header: 'Process', cell: (r) => r.process }, ...rateColumns()]}
      />
      <RecordTable
        label="Success rate by legal entity"
        testId="success-by-entity"
        rows={kpis.successRate.byEntity}
        rowKey={(r) => r.entity ?? '-'}
        columns={[{ header: 'Legal entity', cell: (r) => r.entity ?? '(none)' }, ...rateColumns()]}
      />
    </section>
  );
}

function ExceptionsByOwner({ kpis }: { kpis: Kpis }) {
  if (kpis.exceptions.length === 0) return <Empty>No exceptions in the window.</Empty>;
  return (
    <RecordTable
      label="Exceptions by class and owner"
      testId="exceptions-by-owner"
      rows={kpis.exceptions}
      rowKey={(e) => `${e.class}/${e.owner}`}
      rowData={(e) => ({ class: e.class, owner: e.owner })}
      columns={[
        { header: 'Class', cell: (e) => e.class },
        { header: 'Owner', cell: (e) => e.owner },
        { header: 'Open', cell: (e) => e.open, value: (e) => e.open },
        { header: 'Raised in window', cell: (e) => e.createdInWindow, value: (e) => e.createdInWindow },
        {
          header: 'Past SLA',
          cell: (e) => e.slaBreached,
          value: (e) => e.slaBreached,
          className: (e) => (e.slaBreached > 0 ? 'bad' : undefined),
        },
      ]}
    />
  );
}

function ConnectorHealth({ kpis }: { kpis: Kpis }) {
  const allowed = useCan('exceptions:read');
  const connectors = usePolled<{ connectors: ConnectorState[] }>(allowed ? '/v1/connectors' : undefined, 10_000);
  return (
    <section className="two-columns">
      <RecordTable
        label="Connectors"
        testId="connector-health"
        rows={connectors.data?.connectors ?? []}
        rowKey={(c) => c.system}
        columns={[
          { header: 'System', cell: (c) => c.system },
          { header: 'State', cell: (c) => c.status, className: (c) => (c.status === 'paused' ? 'bad' : 'good') },
          { header: 'Since', cell: (c) => when(c.since) },
          { header: 'Why', cell: (c) => c.reason ?? '' },
        ]}
      />
      <RecordTable
        label="Pollers"
        rows={kpis.connectors.pollers}
        rowKey={(p) => p.name}
        columns={[
          { header: 'Poller', cell: (p) => p.name },
          { header: 'Last run', cell: (p) => when(p.lastRunAt) },
          { header: 'Next run', cell: (p) => when(p.nextRunAt) },
          {
            header: 'Last error',
            cell: (p) => p.lastError ?? '',
            className: (p) => (p.lastError === null ? undefined : 'bad'),
          },
        ]}
      />
    </section>
  );
}

export function OverviewPage() {
  const kpis = usePolled<Kpis>('/v1/kpis', 5_000);
  return (
    <>
      <h1>Overview</h1>
      <Loaded what="figures" data={kpis.data} error={kpis.error} loading={kpis.loading}>
        {(k) => (
          <div data-testid="overview" data-window={`${k.window.from}..${k.window.to}`}>
            <p className="muted">
              Window {k.window.from} to {k.window.to} (UTC); refreshed {when(kpis.checkedAt?.toISOString())}
            </p>
            <Headline kpis={k} />
            <PostedPerHourChart kpis={k} />
            <LatencyChart kpis={k} />
            <h2>Success rate</h2>
            <SuccessTables kpis={k} />
            <h2>Exceptions by class and owner</h2>
            <ExceptionsByOwner kpis={k} />
            <h2>Connector health</h2>
            <ConnectorHealth kpis={k} />
          </div>
        )}
      </Loaded>
    </>
  );
}
