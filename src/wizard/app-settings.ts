/**
 * Saved settings, by target: `{ hyperparams: { <section>: { <name>: value } },
 * configuration: { <name>: value } }`, as ClearML keeps them on the app's
 * task. Wizard fields write here through their `target`; guests read it with
 * `settings.get()` and the dashboard's `${...}` references read it too.
 */
import { ErrorCode } from '../errors/error-code.js';
import { SlotbridgeError } from '../errors/slotbridge-error.js';
import type { WizardEntryDefinition } from '../manifest/schema.js';
import { textOf } from './text-of.js';

export interface AppSettings {
  hyperparams: Record<string, Record<string, unknown>>;
  configuration: Record<string, unknown>;
}

export interface SettingTarget {
  field: 'configuration' | 'hyperparams';
  section?: string | undefined;
  name: string;
  format?: 'str' | 'json' | undefined;
}

const UNSAFE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export function emptySettings(): AppSettings {
  return { hyperparams: {}, configuration: {} };
}

/** Where a field's value goes: its `target`, else `configuration.<name>`. */
export function targetOf(entry: WizardEntryDefinition): SettingTarget {
  return entry.target ?? { field: 'configuration', name: entry.name };
}

/** A `SettingTarget` from `configuration.<name>` or `hyperparams.<section>.<name>`; `BAD_INPUT` otherwise. */
export function parseSettingPath(path: string): SettingTarget {
  const parts = path.split('.');
  const ok =
    ((parts[0] === 'configuration' && parts.length === 2) || (parts[0] === 'hyperparams' && parts.length === 3)) &&
    parts.every((p) => p.length > 0 && p.length <= 200 && !UNSAFE_KEYS.has(p));
  if (!ok) {
    throw new SlotbridgeError(
      ErrorCode.BAD_INPUT,
      `"${path.slice(0, 100)}" is not a setting path; write configuration.<name> or hyperparams.<section>.<name>.`,
    );
  }
  return parts[0] === 'configuration'
    ? { field: 'configuration', name: parts[1] }
    : { field: 'hyperparams', section: parts[1], name: parts[2] };
}

/** The stored value at a target, or `undefined`. Only own properties count. */
export function readTarget(settings: AppSettings, target: SettingTarget): unknown {
  const holder = target.field === 'configuration' ? settings.configuration : own(settings.hyperparams, target.section ?? 'General');
  return isRecord(holder) ? own(holder, target.name) : undefined;
}

/** A copy of `settings` with `value` at `target` (`undefined` removes it). */
export function writeTarget(settings: AppSettings, target: SettingTarget, value: unknown): AppSettings {
  const section = target.section ?? 'General';
  for (const key of [section, target.name]) {
    if (UNSAFE_KEYS.has(key)) throw new SlotbridgeError(ErrorCode.BAD_INPUT, `"${key}" cannot name a setting; choose another name.`);
  }
  const next: AppSettings = { hyperparams: { ...settings.hyperparams }, configuration: { ...settings.configuration } };
  const holder: Record<string, unknown> =
    target.field === 'configuration'
      ? next.configuration
      : (next.hyperparams[section] = { ...(own(next.hyperparams, section) as Record<string, unknown> | undefined) });
  if (value === undefined) Reflect.deleteProperty(holder, target.name);
  else holder[target.name] = value;
  if (target.field === 'hyperparams' && Object.keys(holder).length === 0) Reflect.deleteProperty(next.hyperparams, section);
  return next;
}

/** `str` (the default) keeps text: scalars as their string, lists and groups as JSON; `json` keeps the value. */
export function encodeValue(target: SettingTarget, value: unknown): unknown {
  if (target.format === 'json' || value === undefined) return value;
  return textOf(value);
}

/** Settings from anything (a store, an older version): unknown parts dropped. */
export function normalizeSettings(value: unknown): AppSettings {
  const out = emptySettings();
  if (typeof value !== 'object' || value === null) return out;
  const { hyperparams, configuration } = value as Record<string, unknown>;
  if (isRecord(configuration)) out.configuration = { ...configuration };
  if (isRecord(hyperparams)) {
    for (const [section, entries] of Object.entries(hyperparams)) if (isRecord(entries)) out.hyperparams[section] = { ...entries };
  }
  return out;
}

function own(record: Record<string, unknown>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
