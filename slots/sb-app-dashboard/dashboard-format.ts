/** How the dashboard shows things: a line's allowed style, a settings table, a value as text. */
import { html, type TemplateResult } from 'lit';

const LINE_STYLE = /^(initial|auto|none|\d+(\.\d+)?(px|rem|em|vh|%))$/;
const LINE_STYLE_KEYS = ['height', 'min-height', 'max-height'];

export function lineStyle(style: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of LINE_STYLE_KEYS) {
    const v = style?.[k];
    if (typeof v === 'string' && LINE_STYLE.test(v)) out[k] = v;
  }
  return out;
}

export function table(head: string[], rows: string[][]): TemplateResult {
  if (rows.length === 0) return html`<p class="empty">Nothing saved yet.</p>`;
  return html`<table>
    <thead><tr>${head.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead>
    <tbody>${rows.map((row) => html`<tr>${row.map((cell) => html`<td>${cell}</td>`)}</tr>`)}</tbody>
  </table>`;
}

export function show(value: unknown): string {
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toPrecision(6).replace(/\.?0+$/, '');
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
