/**
 * The wizard's rules, apart from any rendering: which fields show, their
 * defaults, how input becomes a typed value, what is wrong with it, and how
 * the values become saved settings. `<sb-app-settings>` checks input with
 * these and the registry checks a save with the same ones.
 */
import { ErrorCode } from '../errors/error-code.js';
import { SlotbridgeError } from '../errors/slotbridge-error.js';
import type { WizardEntryDefinition } from '../manifest/schema.js';
import { type AppSettings, encodeValue, normalizeSettings, readTarget, targetOf, writeTarget } from './app-settings.js';

/** Field values by name; a `list` holds an array of such records. */
export type WizardValues = Record<string, unknown>;

export interface WizardCheck {
  /** The typed values of the fields that show. */
  values: WizardValues;
  /** What is wrong, by field name (`list[0].child` inside a list); empty when all is well. */
  errors: Record<string, string>;
}

type Coerced = { value: unknown } | { error: string };

/** The fields that hold values, groups opened up (a list is one field). */
export function valueFields(entries: readonly WizardEntryDefinition[]): WizardEntryDefinition[] {
  return entries.flatMap((e) => (e.type === 'group' ? valueFields(e.item_template ?? []) : [e]));
}

/** Every field at every depth: groups' and lists' templates included. */
export function everyField(entries: readonly WizardEntryDefinition[]): WizardEntryDefinition[] {
  return entries.flatMap((e) => [e, ...everyField(e.item_template ?? [])]);
}

/** Compares a condition's value with a field's: `True`, `true` and `"true"` are the same. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a === 'boolean' || typeof b === 'boolean') return String(a).toLowerCase() === String(b).toLowerCase();
  return String(a) === String(b);
}

/** True while every field the entry's `conditional` names holds the given value. */
export function conditionHolds(entry: WizardEntryDefinition, values: WizardValues): boolean {
  return (entry.conditional?.entries ?? []).every((c: { name: string; value?: unknown }) => sameValue(own(values, c.name), c.value));
}

/** Every field that shows with these values, each with its enclosing groups' conditions applied. */
export function shownFields(entries: readonly WizardEntryDefinition[], values: WizardValues): WizardEntryDefinition[] {
  return entries.flatMap((e) => {
    if (!conditionHolds(e, values)) return [];
    return e.type === 'group' ? shownFields(e.item_template ?? [], values) : [e];
  });
}

/** The default of a field: from `default_conditional_on` when the named field's value maps to one, else `default`. */
export function defaultOf(entry: WizardEntryDefinition, values: WizardValues): unknown {
  const rule = entry.default_conditional_on;
  if (rule) {
    const key = own(values, rule.name);
    const match = Object.keys(rule.value).find((k) => sameValue(k, key));
    if (match !== undefined) return rule.value[match];
  }
  return entry.default;
}

/** Values for a form: what was saved, else each field's default (in order, so conditional defaults see earlier values). */
export function initialValues(entries: readonly WizardEntryDefinition[], settings: AppSettings | undefined): WizardValues {
  const values: WizardValues = {};
  for (const field of valueFields(entries)) {
    const saved = settings ? readTarget(settings, targetOf(field)) : undefined;
    const decoded = saved === undefined ? undefined : decode(field, saved);
    values[field.name] = decoded ?? defaultValue(field, values);
  }
  return values;
}

/** Turns input (text from a control, or a typed value) into the field's type, or says what to enter. */
export function coerce(entry: WizardEntryDefinition, raw: unknown): Coerced {
  if (raw === undefined || raw === null || raw === '') return { value: undefined };
  switch (entry.type) {
    case 'integer': {
      const n = typeof raw === 'string' && /^\s*[+-]?\d+\s*$/.test(raw) ? Number(raw) : raw;
      return Number.isSafeInteger(n) ? { value: n } : { error: 'Enter a whole number, such as 42.' };
    }
    case 'float': {
      const n = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
      return typeof n === 'number' && Number.isFinite(n) ? { value: n } : { error: 'Enter a number, such as 0.5.' };
    }
    case 'checkbox': {
      if (typeof raw === 'boolean') return { value: raw };
      if (typeof raw === 'string' && /^(true|false)$/i.test(raw)) return { value: raw.toLowerCase() === 'true' };
      return { error: 'Check or uncheck the box.' };
    }
    case 'dropdown': {
      if (!['string', 'number', 'boolean'].includes(typeof raw)) return { error: 'Choose one of the options.' };
      const choices = Array.isArray(entry.choices) ? (entry.choices as unknown[]).map(choiceValue) : undefined;
      if (choices && !choices.some((c: unknown) => sameValue(c, raw))) return { error: 'Choose one of the listed options.' };
      return { value: raw };
    }
    case 'list':
      return Array.isArray(raw) && raw.every((item) => typeof item === 'object' && item !== null && !Array.isArray(item))
        ? { value: raw }
        : { error: 'A list holds records of its item fields.' };
    default:
      return typeof raw === 'string' ? { value: raw } : { error: 'Enter text.' };
  }
}

/** Checks the fields that show (types, `required`, list items); hidden fields are left out. */
export function checkValues(entries: readonly WizardEntryDefinition[], values: WizardValues, prefix = ''): WizardCheck {
  const out: WizardCheck = { values: {}, errors: {} };
  for (const field of shownFields(entries, values)) {
    const key = prefix + field.name;
    const result = coerce(field, own(values, field.name));
    if ('error' in result) {
      out.errors[key] = result.error;
      continue;
    }
    let value = result.value;
    if (field.type === 'list' && Array.isArray(value)) {
      value = value.map((item: WizardValues, i) => {
        const inner = checkValues(field.item_template ?? [], item, `${key}[${i}].`);
        Object.assign(out.errors, inner.errors);
        return inner.values;
      });
    }
    if (field.required && field.type !== 'checkbox' && (value === undefined || (Array.isArray(value) && value.length === 0))) {
      out.errors[key] = `${field.title ?? field.name} is required.`;
      continue;
    }
    if (value !== undefined) out.values[field.name] = value;
  }
  return out;
}

/**
 * The settings after a save: each shown field's value written at its target
 * (in its `format`), each hidden field's target cleared, and what else was
 * saved there (values a guest set) kept.
 */
export function settingsFrom(entries: readonly WizardEntryDefinition[], checked: WizardValues, previous: unknown): AppSettings {
  let settings = normalizeSettings(previous);
  for (const field of valueFields(entries)) {
    const target = targetOf(field);
    settings = writeTarget(settings, target, encodeValue(target, own(checked, field.name)));
  }
  return settings;
}

function defaultValue(field: WizardEntryDefinition, values: WizardValues): unknown {
  const value = defaultOf(field, values);
  const typed = value === undefined ? undefined : coerce(field, value);
  return typed && 'value' in typed ? typed.value : value;
}

/** A saved value back to the field's type (stored as text under the `str` format). */
function decode(field: WizardEntryDefinition, saved: unknown): unknown {
  if (field.type === 'list' && typeof saved === 'string') {
    try {
      return JSON.parse(saved);
    } catch {
      return undefined;
    }
  }
  if (field.type === 'dropdown' && Array.isArray(field.choices)) {
    // Stored as text: give back the choice's own value (a number stays a number).
    return (field.choices as unknown[]).map(choiceValue).find((c) => sameValue(c, saved)) ?? saved;
  }
  const typed = coerce(field, saved);
  return 'value' in typed ? typed.value : undefined;
}

export function choiceValue(choice: unknown): unknown {
  return typeof choice === 'object' && choice !== null ? (choice as { value?: unknown }).value : choice;
}

function own(record: WizardValues, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

/**
 * The settings after saving `values` (by field name) over `previous`:
 * checked against the wizard first, `INVALID_ARGUMENTS` with every problem
 * otherwise. An app without a wizard keeps each value under
 * `configuration.<name>`, as given.
 */
export function saveValues(entries: readonly WizardEntryDefinition[], values: unknown, previous: unknown): AppSettings {
  if (typeof values !== 'object' || values === null || Array.isArray(values)) {
    throw new SlotbridgeError(ErrorCode.BAD_INPUT, 'Settings are an object of values by field name.');
  }
  const given = Object.keys(values);
  if (entries.length === 0) {
    return given.reduce(
      (settings, name) => writeTarget(settings, { field: 'configuration', name, format: 'json' }, (values as WizardValues)[name]),
      normalizeSettings(previous),
    );
  }
  const names = new Set(valueFields(entries).map((f) => f.name));
  const unknown = given.filter((name) => !names.has(name));
  if (unknown.length > 0) {
    throw new SlotbridgeError(
      ErrorCode.INVALID_ARGUMENTS,
      `The wizard has no field named ${unknown.map((n) => `"${n}"`).join(', ')}; use the names of its fields: ${[...names].join(', ')}.`,
    );
  }
  const { values: checked, errors } = checkValues(entries, values as WizardValues);
  const problems = Object.entries(errors);
  if (problems.length > 0) {
    throw new SlotbridgeError(
      ErrorCode.INVALID_ARGUMENTS,
      `Settings not saved: ${problems.map(([name, why]) => `${name}: ${why}`).join(' ')}`,
      { errors },
    );
  }
  return settingsFrom(entries, checked, previous);
}

/** The settings a fresh installation starts with: each shown field's valid default. */
export function defaultSettings(entries: readonly WizardEntryDefinition[]): AppSettings {
  return settingsFrom(entries, checkValues(entries, initialValues(entries, undefined)).values, undefined);
}
