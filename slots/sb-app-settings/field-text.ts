/** The settings form's small text helpers: group keys, collapsed-group titles, values as text, element ids. */
import { textOf, type WizardValues, type WizardEntryDefinition as WizardEntry } from '../../src/for-slots.js';

export function collapsibleGroups(entries: readonly WizardEntry[], path = ''): string[] {
  return entries.flatMap((e) =>
    e.type === 'group' ? [...(e.collapsible ? [path + e.name] : []), ...collapsibleGroups(e.item_template ?? [], path)] : [],
  );
}

/** `${field}` references of a collapsed group's title, filled with the fields' values (as text). */
export function fillFieldTemplate(template: string, values: WizardValues): string {
  return template.replace(/\$\{([^}]+)\}/g, (_, name: string) =>
    text(Object.prototype.hasOwnProperty.call(values, name) ? values[name] : ''),
  );
}

export function text(value: unknown): string {
  return value === undefined || value === null ? '' : textOf(value);
}

export function domId(key: string): string {
  return `f-${key.replace(/[^\w-]/g, '_')}`;
}
