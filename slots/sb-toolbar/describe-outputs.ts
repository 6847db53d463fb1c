/**
 * A function's outputs as a line for people: each declared output by name
 * and value (`count 8 · coverage 0.052`), numbers rounded, an artifact as
 * what was saved (its type by its display name), lists and records summed
 * up, not JSON.
 */
import { artifactTypeOf } from '../../src/for-slots.js';

interface Declared {
  name: string;
  type: string;
}

const MAX_TEXT = 120;

export function describeOutputs(
  outputs: Record<string, unknown>,
  declared: readonly Declared[],
  artifactName: (type: string) => string = (type) => type,
): string {
  const parts = declared
    .filter((d) => Object.hasOwn(outputs, d.name))
    .map((d) => {
      const artifact = artifactTypeOf(d.type);
      return `${words(d.name)} ${artifact !== undefined ? `saved as ${artifactName(artifact)}` : describeValue(outputs[d.name])}`;
    });
  return parts.length ? parts.join(' · ') : 'done.';
}

function describeValue(value: unknown): string {
  if (typeof value === 'number')
    return Number.isInteger(value) ? value.toLocaleString() : value.toLocaleString(undefined, { maximumFractionDigits: 3 });
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'string') return value.length > MAX_TEXT ? `${value.slice(0, MAX_TEXT)}…` : value;
  if (Array.isArray(value)) return `${value.length.toLocaleString()} ${value.length === 1 ? 'entry' : 'entries'}`;
  if (value && typeof value === 'object') {
    const scalars = Object.entries(value).filter(([, v]) => ['number', 'string', 'boolean'].includes(typeof v));
    if (scalars.length === 0) return `${Object.keys(value).length.toLocaleString()} fields`;
    const shown = scalars.slice(0, 4).map(([k, v]) => `${words(k)} ${describeValue(v)}`);
    return `(${shown.join(', ')}${scalars.length > 4 ? ', …' : ''})`;
  }
  return 'none';
}

/** `meanArea` and `mean_area` as "mean area". */
function words(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase();
}
