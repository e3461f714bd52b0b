/**
 * Overview: the business figures of GET /v1/kpis (posted per hour by process, success rate by process
 * and entity, latencies, exceptions by class and owner with SLA breaches, queue depth) and connector
 * health, refreshed every few seconds without reloading.
 */
import type { ConnectorState, Kpis } from '../../api/types';
import { usePolled } from '../../api/use-polled';
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

function SuccessTables({ kpis }: { kpis: Kpis }) {
  return (
    <section className="two-columns">
      <table className="data" aria-label="Success rate by process" data-testid="success-by-process">
        <thead>
          <tr>
            <th scope="col">Process</th>
            <th scope="col">Succeeded</th>
            <th scope="col">Finished</th>
            <th scope="col">Rate</th>
          </tr>
        </thead>
        <tbody>
          {kpis.successRate.byProcess.map((r) => (
            <tr key={r.process} data-process={r.process}>
              <td>{r.process}</td>
              <td data-value={r.succeeded}>{r.succeeded}</td>
              <td data-value={r.finished}>{r.finished}</td>
              <td data-value={r.rate ?? ''}>{percent(r.rate)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table className="data" aria-label="Success rate by legal entity" data-testid="success-by-entity">
        <thead>
          <tr>
            <th scope="col">Legal entity</th>
            <th scope="col">Succeeded</th>
            <th scope="col">Finished</th>
            <th scope="col">Rate</th>
          </tr>
        </thead>
        <tbody>
          {kpis.successRate.byEntity.map((r) => (
            <tr key={r.entity ?? '-'}>
              <td>{r.entity ?? '(none)'}</td>
              <td>{r.succeeded}</td>
              <td>{r.finished}</td>
              <td>{percent(r.rate)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function ExceptionsByOwner({ kpis }: { kpis: Kpis }) {
  if (kpis.exceptions.length === 0) return <Empty>No exceptions in the window.</Empty>;
  return (
    <table className="data" aria-label="Exceptions by class and owner" data-testid="exceptions-by-owner">
      <thead>
        <tr>
          <th scope="col">Class</th>
          <th scope="col">Owner</th>
          <th scope="col">Open</th>
          <th scope="col">Raised in window</th>
          <th scope="col">Past SLA</th>
        </tr>
      </thead>
      <tbody>
        {kpis.exceptions.map((e) => (
          <tr key={`${e.class}/${e.owner}`} data-class={e.class} data-owner={e.owner}>
            <td>{e.class}</td>
            <td>{e.owner}</td>
            <td data-value={e.open}>{e.open}</td>
            <td data-value={e.createdInWindow}>{e.createdInWindow}</td>
            <td data-value={e.slaBreached} className={e.slaBreached > 0 ? 'bad' : undefined}>
              {e.slaBreached}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ConnectorHealth({ kpis }: { kpis: Kpis }) {
  const allowed = useCan('exceptions:read');
  const connectors = usePolled<{ connectors: ConnectorState[] }>(allowed ? '/v1/connectors' : undefined, 10_000);
  return (
    <section className="two-columns">
      <table className="data" aria-label="Connectors" data-testid="connector-health">
        <thead>
          <tr>
            <th scope="col">System</th>
            <th scope="col">State</th>
            <th scope="col">Since</th>
            <th scope="col">Why</th>
          </tr>
        </thead>
        <tbody>
          {(connectors.data?.connectors ?? []).map((c) => (
            <tr key={c.system}>
              <td>{c.system}</td>
              <td className={c.status === 'paused' ? 'bad' : 'good'}>{c.status}</td>
              <td>{when(c.since)}</td>
              <td>{c.reason ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table className="data" aria-label="Pollers">
        <thead>
          <tr>
            <th scope="col">Poller</th>
            <th scope="col">Last run</th>
            <th scope="col">Next run</th>
            <th scope="col">Last error</th>
          </tr>
        </thead>
        <tbody>
          {kpis.connectors.pollers.map((p) => (
            <tr key={p.name}>
              <td>{p.name}</td>
              <td>{when(p.lastRunAt)}</td>
              <td>{when(p.nextRunAt)}</td>
              <td className={p.lastError === null ? undefined : 'bad'}>{p.lastError ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
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
