import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface ChartSeries {
  label: string;
  color: string;
  values: (number | null)[];
}

/**
 * A uPlot chart over time. `stacked` draws bars stacked in the order given (the
 * first on top), by plotting running totals from the last series up: the first
 * series' bar is the tallest and is drawn first, behind the others.
 */
export function TimeChart({ times, series, stacked, height = 220, unit }: { times: number[]; series: ChartSeries[]; stacked?: boolean; height?: number; unit?: string }) {
  const container = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const values = stacked ? runningTotals(series) : series.map((s) => s.values);
    const bars = uPlot.paths.bars!({ size: [0.8, 40], gap: 1 });
    const options: uPlot.Options = {
      width: element.clientWidth,
      height,
      legend: { show: true },
      cursor: { points: { show: !stacked } },
      scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] } },
      axes: [
        { stroke: '#64748b', grid: { stroke: '#eef2f7' }, values: (_u, ticks) => ticks.map((tick) => clock(tick)) },
        { stroke: '#64748b', grid: { stroke: '#eef2f7' }, size: 56, values: (_u, ticks) => ticks.map((tick) => (unit ? `${formatTick(tick)}${unit}` : formatTick(tick))) },
      ],
      series: [
        {},
        ...series.map((s, index) => ({
          label: s.label,
          stroke: s.color,
          fill: stacked ? s.color : undefined,
          width: stacked ? 0 : 2,
          paths: stacked ? bars : undefined,
          points: { show: false },
          spanGaps: !stacked,
          // The legend shows each part's own count, not the running total drawn.
          value: stacked ? (_u: uPlot, _v: number | null, _s: number, idx: number | null) => String(idx === null ? '—' : (series[index].values[idx] ?? 0)) : undefined,
        })),
      ],
    };
    const plot = new uPlot(options, [times, ...values] as uPlot.AlignedData, element);
    const resize = new ResizeObserver(() => plot.setSize({ width: element.clientWidth, height }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [times, series, stacked, height, unit]);
  return <div class="chart" ref={container} />;
}

function runningTotals(series: ChartSeries[]): number[][] {
  const totals: number[][] = [];
  for (let index = series.length - 1; index >= 0; index--) {
    const below = totals[0];
    totals.unshift(series[index].values.map((value, i) => (value ?? 0) + (below ? below[i] : 0)));
  }
  return totals;
}

function clock(seconds: number): string {
  return new Date(seconds * 1000).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
}

function formatTick(value: number): string {
  return value >= 1000 ? `${(value / 1000).toFixed(value % 1000 ? 1 : 0)}k` : String(value);
}
