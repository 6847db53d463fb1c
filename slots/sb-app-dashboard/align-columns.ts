import type { ChartData } from './dashboard-chart.js';

export interface Column {
  label: string;
  xs: number[];
  ys: number[];
}

/**
 * Series with their own x values as one chart: when every series has the same
 * ascending x values they are used as they are (the common case, and the
 * cheap one); otherwise one sorted x axis, each series' value at it (the
 * latest for a repeated x), `null` where a series has none.
 */
export function alignColumns(columns: readonly Column[]): ChartData {
  const first = columns.at(0);
  if (!first) return { x: [], series: [] };
  const sameX = columns.every((c) => c.xs.length === first.xs.length && c.xs.every((x, i) => x === first.xs[i]));
  const ascending = first.xs.every((x, i) => i === 0 || x > first.xs[i - 1]);
  if (sameX && ascending) return { x: first.xs, series: columns.map((c) => ({ label: c.label, y: c.ys })) };
  const x = [...new Set(columns.flatMap((c) => c.xs))].sort((a, b) => a - b);
  const index = new Map(x.map((v, i) => [v, i]));
  return {
    x,
    series: columns.map((c) => {
      const y = new Array<number | null>(x.length).fill(null);
      c.xs.forEach((v, i) => (y[index.get(v)!] = c.ys[i] ?? null));
      return { label: c.label, y };
    }),
  };
}
