/**
 * A value in one short line for the bridge log (a call's arguments or
 * result, as `<sb-inspector>` shows them): JSON-like, bounded in depth,
 * entries and length whatever a guest sent, and reading only own enumerable
 * properties of plain objects and arrays (never a getter or a prototype).
 */
const MAX_LENGTH = 240;
const MAX_DEPTH = 3;
const MAX_ENTRIES = 8;
const MAX_STRING = 80;

export function summarize(value: unknown): string {
  const text = part(value, 0);
  return text.length > MAX_LENGTH ? `${text.slice(0, MAX_LENGTH - 1)}…` : text;
}

function part(value: unknown, depth: number): string {
  if (typeof value === 'string') return JSON.stringify(value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  if (value === undefined) return 'undefined';
  if (typeof value !== 'object') return typeof value;
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}(${value.byteLength} bytes)`;
  if (value instanceof ArrayBuffer) return `ArrayBuffer(${value.byteLength} bytes)`;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (Array.isArray(value)) {
    if (depth >= MAX_DEPTH) return `[${value.length}]`;
    const shown = value.slice(0, MAX_ENTRIES).map((v) => part(v, depth + 1));
    return `[${shown.join(', ')}${value.length > MAX_ENTRIES ? `, …${value.length - MAX_ENTRIES} more` : ''}]`;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) {
    const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
    return `[${typeof name === 'string' ? name : 'object'}]`;
  }
  const keys = Object.keys(value);
  if (depth >= MAX_DEPTH) return `{${keys.length}}`;
  const shown = keys.slice(0, MAX_ENTRIES).map((k) => {
    const descriptor = Object.getOwnPropertyDescriptor(value, k);
    return `${k}: ${descriptor && 'value' in descriptor ? part(descriptor.value, depth + 1) : '(accessor)'}`;
  });
  return `{${shown.join(', ')}${keys.length > MAX_ENTRIES ? `, …${keys.length - MAX_ENTRIES} more` : ''}}`;
}
