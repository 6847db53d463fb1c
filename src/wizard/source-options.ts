/**
 * A platform source's rows as dropdown options: rows failing the manifest's
 * filters left out (compiled for RE2, `filter.ts`), labels from
 * `display_field`, values from `value_field`. Apart from `choices.ts` so that
 * a page showing static choices never loads the filter engine.
 */
import { compileFilter } from '../manifest/filter.js';
import { type ChoiceOption, field, isChoiceValue, type SourceChoices } from './choices.js';
import { textOf } from './text-of.js';

/** One row as an option, or `undefined` when it has no value or fails a filter (the filters compiled once). */
export function sourceOption(spec: SourceChoices): (row: unknown) => ChoiceOption | undefined {
  const valueField = spec.value_field ?? 'id';
  const displayField = spec.display_field ?? 'name';
  const filters = Object.entries(spec.filter?.fields ?? {}).map(([field, pattern]) => [field, compileFilter(pattern)] as const);
  return (row) => {
    if (typeof row !== 'object' || row === null) return undefined;
    const record = row as Record<string, unknown>;
    const value = field(record, valueField);
    if (!isChoiceValue(value)) return undefined;
    if (!filters.every(([name, regex]) => regex.test(textOf(field(record, name) ?? '')))) return undefined;
    const label = field(record, displayField);
    return { label: isChoiceValue(label) ? String(label) : String(value), value };
  };
}
