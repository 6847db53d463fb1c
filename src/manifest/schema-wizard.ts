/** The parts of the manifest schema that come from ClearML: the settings wizard and the dashboard. */
import * as z from 'zod/mini';
import { doc, optionalText, text } from './schema-doc.js';
import { ComponentName } from './schema-names.js';
import { DASHBOARD_CONTENT_TYPES, DASHBOARD_KEYS, WIZARD_CHOICE_SOURCES, WIZARD_FIELD_TYPES } from './vocabulary.js';

// ---------------------------------------------------------------- wizard (ClearML)

export const WizardTarget = doc(
  z.looseObject({
    field: doc(z.enum(['configuration', 'hyperparams']), 'Where the value is saved.'),
    section: optionalText('Hyperparameter section (required for hyperparams).'),
    name: text('Name of the configuration or hyperparameter.'),
    format: z.optional(doc(z.enum(['str', 'json']), 'How the value is stored: str (default) or json.')),
  }),
  'Where a wizard value is saved in the installation.',
);

const ConditionEntry = z.looseObject({ name: text('An earlier field.'), value: doc(z.unknown(), 'The value it must hold.') });

export const WizardChoices = doc(
  z.union([
    z.array(z.union([z.string(), z.number(), z.boolean(), z.looseObject({ label: z.optional(z.string()), value: z.unknown() })])),
    z.looseObject({
      source: z.enum(WIZARD_CHOICE_SOURCES),
      display_field: optionalText('Field shown in the dropdown.'),
      value_field: optionalText('Field saved as the value.'),
      filter: z.optional(z.looseObject({ fields: z.optional(z.record(z.string(), z.string())) })),
    }),
  ]),
  'A static list, or a platform source with display_field, value_field and a regex filter (RE2 syntax, as Python writes it; lookahead only right after ^).',
);

export interface WizardEntryShape {
  name: string;
  title?: string | undefined;
  info?: string | undefined;
  type: (typeof WIZARD_FIELD_TYPES)[number];
  required?: boolean | undefined;
  default?: unknown;
  placeholder?: string | undefined;
  collapsible?: boolean | undefined;
  collapsibleTitleTemplate?: string | undefined;
  conditional?: { entries: { name: string; value?: unknown; [k: string]: unknown }[]; [k: string]: unknown } | undefined;
  default_conditional_on?: { name: string; value: Record<string, unknown>; [k: string]: unknown } | undefined;
  choices?: z.output<typeof WizardChoices> | undefined;
  autocomplete?: boolean | undefined;
  item_template?: WizardEntryShape[] | undefined;
  target?: z.output<typeof WizardTarget> | undefined;
  [k: string]: unknown;
}

export const WizardEntry: z.ZodMiniType<WizardEntryShape> = doc(
  z.looseObject({
    name: ComponentName,
    title: optionalText('Label of the field.'),
    info: optionalText('Hint shown next to the field.'),
    type: doc(z.enum(WIZARD_FIELD_TYPES), 'Field type.'),
    required: z.optional(z.boolean()),
    default: z.optional(z.unknown()),
    placeholder: z.optional(z.string()),
    collapsible: z.optional(z.boolean()),
    collapsibleTitleTemplate: optionalText('Title of a collapsed group; ${field} references are filled in.'),
    conditional: z.optional(
      doc(
        z.looseObject({ entries: z.array(ConditionEntry) }),
        'Show this field only while the named earlier fields hold the given values.',
      ),
    ),
    default_conditional_on: z.optional(
      doc(
        z.looseObject({ name: z.string(), value: z.record(z.string(), z.unknown()) }),
        "Default chosen by an earlier field's value: { name, value: { <its value>: <default> } }.",
      ),
    ),
    choices: z.optional(WizardChoices),
    autocomplete: z.optional(z.boolean()),
    get item_template() {
      return z.optional(doc(z.array(WizardEntry), 'Fields of a group, or of each element of a list.'));
    },
    target: z.optional(WizardTarget),
  }),
  'A field of the settings form.',
);

export const Wizard = doc(z.looseObject({ entries: z.array(WizardEntry) }), "The app's settings form (ClearML wizard).");

// ---------------------------------------------------------------- dashboard (ClearML)

export const DashboardContent = doc(
  z.looseObject({
    title: optionalText('Title of the box.'),
    type: doc(z.enum(DASHBOARD_CONTENT_TYPES), 'What the box shows.'),
    text: optionalText('HTML for type html, with ${hyperparams.<section>.<name>.value} and ${configuration.<name>} references.'),
    metric: optionalText('Reported metric to show.'),
    variant: z.optional(doc(z.union([z.string(), z.array(z.string())]), 'Variant or variants of the metric.')),
    key: z.optional(doc(z.enum(DASHBOARD_KEYS), 'X axis: iter, timestamp or iso_time.')),
    hide_legend: z.optional(z.boolean()),
  }),
  'A box of the dashboard.',
);

export const Dashboard = doc(
  z.looseObject({
    lines: z.array(z.looseObject({ style: z.optional(z.record(z.string(), z.unknown())), contents: z.array(DashboardContent) })),
  }),
  'What an app instance shows (ClearML dashboard).',
);
