/** Documents posted per hour over the last 24 hours, one series per process (uPlot). */
import { useMemo } from 'react';
import type uPlot from 'uplot';
import type { Kpis } from '../../api/types';
import { UplotChart } from '../../components/uplot-chart';

const COLOURS = ['#2563eb', '#16a34a', '#d97706', '#9333ea', '#dc2626', '#0891b2'];
const HOUR_MS = 3_600_000;

export function PostedPerHourChart({ kpis }: { kpis: Kpis }) {
  const processes = useMemo(() => [...new Set(kpis.postedPerHour.map((r) => r.process))].sort(), [kpis.postedPerHour]);
  const data = useMemo((): uPlot.AlignedData => {
    const last = Math.floor(Date.now() / HOUR_MS) * HOUR_MS;
    const hours = Array.from({ length: 24 }, (_, i) => last - (23 - i) * HOUR_MS);
    const index = new Map(hours.map((h, i) => [h, i]));
    const series = processes.map(() => hours.map(() => 0));
    for (const row of kpis.postedPerHour) {
      const i = index.get(Date.parse(row.hour));
      const p = processes.indexOf(row.process);
      if (i !== undefined && p >= 0) series[p]![i]! += row.count;
    }
    return [hours.map((h) => h / 1000), ...series];
  }, [kpis.postedPerHour, processes]);
  const series = useMemo(
    () => processes.map((p, i) => ({ label: p, stroke: COLOURS[i % COLOURS.length]!, width: 2 })),
    [processes],
  );
  return <UplotChart title="Documents posted per hour (last 24 hours)" data={data} series={series} />;
}
