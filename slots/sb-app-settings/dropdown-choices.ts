/** A dropdown's choices as the form holds them, and the check the registry cannot make for them. */
import {
  valueFields,
  textOf,
  type WizardEntryDefinition as WizardEntry,
  type ChoiceOption,
  type WizardValues,
} from '../../src/for-slots.js';

/** The options of a dropdown, its error, or `loading` while the platform answers. */
export type Choices = ChoiceOption[] | { error: string } | 'loading';

/** A dropdown with platform choices: its value must be one of them (the registry cannot see them). */
export function choiceErrors(
  entries: readonly WizardEntry[],
  values: WizardValues,
  loaded: ReadonlyMap<string, Choices>,
): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const field of valueFields(entries)) {
    const choices = loaded.get(field.name);
    const value = values[field.name];
    if (field.type !== 'dropdown' || value === undefined || !Array.isArray(choices)) continue;
    if (!choices.some((c) => textOf(c.value) === textOf(value))) errors[field.name] = 'Choose one of the listed options.';
  }
  return errors;
}
