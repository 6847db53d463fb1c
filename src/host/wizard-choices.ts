/**
 * Options of a wizard dropdown: its static list, or rows from the platform's
 * `sources` (given to `createHost`), filtered and labelled as the manifest says.
 */
import { ErrorCode } from '../errors/error-code.js';
import { SlotbridgeError } from '../errors/slotbridge-error.js';
import type { WizardEntryDefinition as WizardEntry } from '../manifest/schema.js';
import { type ChoiceOption, staticOptions } from '../wizard/choices.js';
import { sourceOption } from '../wizard/source-options.js';
import type { Registry } from '../registry/registry.js';
import { everyField } from '../wizard/wizard-form.js';
import type { HostOptions } from './host-options.js';

/** The options of the wizard field `field` of `app` (installed in `project`, or its latest version). */
export async function choicesOf(
  registry: Registry,
  app: string,
  field: string,
  project: string,
  sources: HostOptions['sources'],
): Promise<ChoiceOption[]> {
  const record = registry.installedApp(app, project) ?? registry.app(app);
  if (!record) throw new SlotbridgeError(ErrorCode.APP_NOT_FOUND, `No app named "${app}" is published; publish it first.`);
  const entry = everyField(record.manifest.wizard?.entries ?? []).find((e) => e.name === field);
  if (!entry) throw new SlotbridgeError(ErrorCode.BAD_INPUT, `${app}'s wizard has no field named "${field}".`);
  return loadChoices(entry, sources, { app, project });
}

export async function loadChoices(
  entry: WizardEntry,
  sources: HostOptions['sources'],
  query: { app: string; project: string },
): Promise<ChoiceOption[]> {
  const choices = entry.choices;
  if (choices === undefined) return [];
  if (Array.isArray(choices)) return staticOptions(choices);
  const source = sources && Object.prototype.hasOwnProperty.call(sources, choices.source) ? sources[choices.source] : undefined;
  if (typeof source !== 'function') {
    throw new SlotbridgeError(
      ErrorCode.BAD_INPUT,
      `Field "${entry.name}" takes its choices from the "${choices.source}" source, which this platform does not offer; pass createHost({ sources: { ${choices.source}: () => [...] } }).`,
    );
  }
  const rows = await source(query);
  if (!Array.isArray(rows))
    throw new SlotbridgeError(
      ErrorCode.BAD_INPUT,
      `The "${choices.source}" source returned ${typeof rows}; a source returns an array of records.`,
    );
  // Filters run on the platform page: a long source is filtered in slices, the page answering between them.
  const option = sourceOption(choices);
  const options: ChoiceOption[] = [];
  let slice = Date.now();
  for (const row of rows) {
    const found = option(row);
    if (found) options.push(found);
    if (Date.now() - slice > 8) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      slice = Date.now();
    }
  }
  return options;
}
