/**
 * Dropdown choices: a static list, or rows from a platform source (`project`,
 * `dataset`...) filtered by the manifest's regexes and shown by
 * `display_field`, saved by `value_field`.
 */
import { ErrorCode, SlotbridgeError } from '../errors/index.js';
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

/**
 * A manifest's filter pattern as a JavaScript RegExp. ClearML writes Python
 * patterns: inline flags such as `(?i)` become RegExp flags and `(?P<name>`
 * groups become `(?<name>`. `BAD_INPUT` for what JavaScript cannot run.
 */
export function compileFilter(pattern: string): RegExp {
  let flags = '';
  let source = pattern.replace(/\(\?([imsx]+)\)/g, (_, f: string) => {
    flags += f;
    return '';
  });
  source = source.replace(/\(\?P<(\w+)>/g, '(?<$1>').replace(/\(\?P=(\w+)\)/g, '\\k<$1>');
  if (flags.includes('x')) throw new SlotbridgeError(ErrorCode.BAD_INPUT, `Filter "${pattern}" uses the verbose flag (?x), which JavaScript lacks; write the pattern without it.`);
  try {
    return new RegExp(source, [...new Set(flags)].join(''));
  } catch (error) {
    throw new SlotbridgeError(ErrorCode.BAD_INPUT, `Filter "${pattern}" is not a valid regular expression (${(error as Error).message}); fix the pattern.`);
  }
}

/** Rows from a source as options: rows failing a filter left out, labels from `display_field`, values from `value_field`. */
export function sourceOptions(rows: readonly unknown[], spec: SourceChoices): ChoiceOption[] {
  const valueField = spec.value_field ?? 'id';
  const displayField = spec.display_field ?? 'name';
  const filters = Object.entries(spec.filter?.fields ?? {}).map(([field, pattern]) => [field, compileFilter(String(pattern))] as const);
  const options: ChoiceOption[] = [];
  for (const row of rows) {
    if (typeof row !== 'object' || row === null) continue;
    const record = row as Record<string, unknown>;
    const value = field(record, valueField);
    if (!isChoiceValue(value)) continue;
    if (!filters.every(([name, regex]) => regex.test(String(field(record, name) ?? '')))) continue;
    const label = field(record, displayField);
    options.push({ label: isChoiceValue(label) ? String(label) : String(value), value });
  }
  return options;
}

function field(record: Record<string, unknown>, name: string): unknown {
  return Object.prototype.hasOwnProperty.call(record, name) ? record[name] : undefined;
}

function isChoiceValue(value: unknown): value is ChoiceValue {
  return typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
}
