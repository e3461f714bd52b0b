/**
 * Approval → posting and posting → payment latency per day over the window, p50 and p95, from
 * the KPI rollups (`latencyOverTime` of GET /v1/kpis); days without a document are gaps.
 */
import { useMemo } from 'react';
import type uPlot from 'uplot';
import type { Kpis } from '../../api/types';
import { duration } from '../../components/format';
import { UplotChart } from '../../components/uplot-chart';

const DAY_MS = 86_400_000;

const legend = (_u: uPlot, v: number | null) => duration(v);

const SERIES: readonly uPlot.Series[] = [
  { label: 'approval → posting p50', stroke: '#2563eb', width: 2, value: legend },
  { label: 'approval → posting p95', stroke: '#2563eb', width: 1, dash: [6, 4], value: legend },
  { label: 'posting → payment p50', stroke: '#16a34a', width: 2, value: legend },
  { label: 'posting → payment p95', stroke: '#16a34a', width: 1, dash: [6, 4], value: legend },
];

export function LatencyChart({ kpis }: { kpis: Kpis }) {
  const { from, to } = kpis.window;
  const { approvalToPosting, postingToPayment } = kpis.latencyOverTime;
  const data = useMemo((): uPlot.AlignedData => {
    const first = Date.parse(`${from}T00:00:00Z`);
    const count = Math.round((Date.parse(`${to}T00:00:00Z`) - first) / DAY_MS) + 1;
    const days = Array.from({ length: count }, (_, i) => first + i * DAY_MS);
    const index = new Map(days.map((d, i) => [new Date(d).toISOString().slice(0, 10), i]));
    const column = () => days.map((): number | null => null);
    const [a50, a95, p50, p95] = [column(), column(), column(), column()];
    const fill = (rows: typeof approvalToPosting, mid: (number | null)[], high: (number | null)[]) => {
      for (const row of rows) {
        const i = index.get(row.day);
        if (i === undefined) continue;
        mid[i] = row.p50Ms;
        high[i] = row.p95Ms;
      }
    };
    fill(approvalToPosting, a50, a95);
    fill(postingToPayment, p50, p95);
    return [days.map((d) => d / 1000), a50, a95, p50, p95];
  }, [from, to, approvalToPosting, postingToPayment]);
  return (
    <div data-testid="latency-over-time" data-days={approvalToPosting.length}>
      <UplotChart title="Latency per day, p50 and p95" formatY={duration} data={data} series={SERIES} />
    </div>
  );
}
