/**
 * Dropdown choices: a static list, or rows from a platform source (`project`,
 * `dataset`...) filtered by the manifest's regexes and shown by
 * `display_field`, saved by `value_field`.
 */
import type { WizardEntryDefinition } from '../manifest/schema.js';

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

/** An own field of a row (never one from its prototype). */
export function field(record: Record<string, unknown>, name: string): unknown {
  return Object.prototype.hasOwnProperty.call(record, name) ? record[name] : undefined;
}

export function isChoiceValue(value: unknown): value is ChoiceValue {
  return typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
}
