/**
 * Dropdown choices: a static list, or rows from a platform source (`project`,
 * `dataset`...) filtered by the manifest's regexes and shown by
 * `display_field`, saved by `value_field`.
 */
import { compileFilter } from './filter.js';
import type { WizardEntry as WizardEntryDefinition } from '../manifest/index.js';

export type ChoiceValue = string | number | boolean;

export interface ChoiceOption {
  label: string;
  value: ChoiceValue;
}

type Choices = NonNullable<WizardEntryDefinition['choices']>;
export type SourceChoices = Exclude<Choices, unknown[]>;

/** A static list as options: plain values label themselves; `{ label, value }` records keep their label. */
export function staticOptions(choices: readonly unknown[]): ChoiceOption[] {
  return choices.flatMap((choice) => {
    if (isChoiceValue(choice)) return [{ label: String(choice), value: choice }];
    const { label, value } = (choice ?? {}) as { label?: unknown; value?: unknown };
    return isChoiceValue(value) ? [{ label: typeof label === 'string' ? label : String(value), value }] : [];
  });
}

/** Rows from a source as options: rows failing a filter left out, labels from `display_field`, values from `value_field`. */
export function sourceOptions(rows: readonly unknown[], spec: SourceChoices): ChoiceOption[] {
  const option = sourceOption(spec);
  const options: ChoiceOption[] = [];
  for (const row of rows) {
    const found = option(row);
    if (found) options.push(found);
  }
  return options;
}

/** One row as an option, or `undefined` when it has no value or fails a filter (the filters compiled once). */
export function sourceOption(spec: SourceChoices): (row: unknown) => ChoiceOption | undefined {
  const valueField = spec.value_field ?? 'id';
  const displayField = spec.display_field ?? 'name';
  const filters = Object.entries(spec.filter?.fields ?? {}).map(([field, pattern]) => [field, compileFilter(String(pattern))] as const);
  return (row) => {
    if (typeof row !== 'object' || row === null) return undefined;
    const record = row as Record<string, unknown>;
    const value = field(record, valueField);
    if (!isChoiceValue(value)) return undefined;
    if (!filters.every(([name, regex]) => regex.test(String(field(record, name) ?? '')))) return undefined;
    const label = field(record, displayField);
    return { label: isChoiceValue(label) ? String(label) : String(value), value };
  };
}

function field(record: Record<string, unknown>, name: string): unknown {
  return Object.prototype.hasOwnProperty.call(record, name) ? record[name] : undefined;
}

function isChoiceValue(value: unknown): value is ChoiceValue {
  return typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
}
