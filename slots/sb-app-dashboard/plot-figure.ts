/**
 * A reported plot (`report.plot(metric, variant, figure)`), read as a
 * plotly-like figure: `{ data: [{ x, y, name, type }], layout: { title } }`.
 * Guest data: parsed by a schema; what does not fit is not drawn.
 */
import * as z from 'zod/mini';
import type { ChartData } from './dashboard-chart.js';
import { alignColumns } from './align-columns.js';

const Numbers = z.array(z.number()).check(z.maxLength(1_000_000));
const Trace = z.object({
  x: z.optional(Numbers),
  y: Numbers,
  name: z.optional(z.string()),
  type: z.optional(z.enum(['scatter', 'line', 'bar', 'scattergl'])),
});
const Figure = z.object({
  data: z.array(Trace).check(z.minLength(1), z.maxLength(50)),
  layout: z.optional(z.object({ title: z.optional(z.union([z.string(), z.object({ text: z.optional(z.string()) })])) })),
});

export function chartOfFigure(figure: unknown): { data: ChartData; title: string | undefined; bars: boolean } | undefined {
  const parsed = Figure.safeParse(figure);
  if (!parsed.success) return undefined;
  const { data, layout } = parsed.data;
  const columns = data.map((t, i) => ({ label: t.name ?? `trace ${i + 1}`, xs: t.x ?? t.y.map((_, j) => j), ys: t.y }));
  const title = typeof layout?.title === 'string' ? layout.title : layout?.title?.text;
  return { data: alignColumns(columns), title, bars: data.every((t) => t.type === 'bar') };
}
