/**
 * A uPlot chart in a box of fixed height: created once, fed new data in place on each refresh (no
 * re-creation, no layout shift), resized with its container.
 */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface ChartProps {
  readonly title: string;
  readonly data: uPlot.AlignedData;
  readonly series: readonly uPlot.Series[];
  readonly height?: number;
  readonly bars?: boolean;
  /** How the y axis labels its ticks (default: uPlot's numbers). */
  readonly formatY?: (value: number) => string;
}

export function UplotChart({ title, data, series, height = 220, bars = false, formatY }: ChartProps) {
  const box = useRef<HTMLDivElement | null>(null);
  const chart = useRef<uPlot | null>(null);
  const shape = series.map((s) => String(s.label)).join('|');

  useEffect(() => {
    const element = box.current;
    if (element === null) return;
    const barPaths = uPlot.paths.bars?.({ size: [0.6, 40] });
    const options: uPlot.Options = {
      width: Math.max(element.clientWidth, 300),
      height,
      series: [
        {},
        ...series.map((s) => (bars && barPaths !== undefined ? { ...s, paths: barPaths, points: { show: false } } : s)),
      ],
      axes: [
        {},
        formatY === undefined
          ? { size: 50 }
          : { size: 80, values: (_u: uPlot, ticks: number[]) => ticks.map((t) => formatY(t)) },
      ],
      legend: { show: true },
    };
    const plot = new uPlot(options, data, element);
    chart.current = plot;
    const observer = new ResizeObserver(() => plot.setSize({ width: Math.max(element.clientWidth, 300), height }));
    observer.observe(element);
    return () => {
      observer.disconnect();
      plot.destroy();
      chart.current = null;
    };
    // Re-created only when the series change; new data goes in through setData below.
  }, [shape, height, bars, formatY]);

  useEffect(() => {
    chart.current?.setData(data);
  }, [data]);

  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <div ref={box} style={{ minHeight: height + 40 }} />
    </figure>
  );
}
