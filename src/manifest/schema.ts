/**
 * The manifest schema: the single source of truth for its types, its
 * validation, its JSON Schema and its docs. Declarative only (no transforms),
 * so that `toJSONSchema` can represent all of it; defaults that depend on
 * other fields are applied by `normalize.ts`.
 */
import * as z from 'zod/mini';
import {
  APP_SCOPES,
  ARTIFACT_IO_TYPE,
  BROWSER_SLOT_TYPES,
  DASHBOARD_CONTENT_TYPES,
  DASHBOARD_KEYS,
  IO_TYPES,
  TOOLBAR_INVOKE_TYPES,
  WIZARD_CHOICE_SOURCES,
  WIZARD_FIELD_TYPES,
} from './vocabulary.js';

// Descriptions live in zod's global registry, where toJSONSchema finds them.
function doc<T extends z.ZodMiniType>(schema: T, description: string): T {
  z.globalRegistry.add(schema, { description });
  return schema;
}

const text = (description: string) => doc(z.string(), description);
const optionalText = (description: string) => z.optional(text(description));

// App names follow Dioptra's rule (unique, no path characters); slug-ness is only a warning.
export const APP_NAME = /^(?!\.{1,2}$)[^\u0000-\u001f\u007f/\\]{1,100}$/;
// Component names become URL path segments and `module.function` parts: no dots, no slashes.
const COMPONENT_NAME = /^[A-Za-z0-9_][A-Za-z0-9_-]{0,99}$/;
const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;
const PERMISSION = /^[a-z][a-zA-Z0-9_-]*:[a-zA-Z*][a-zA-Z0-9_*-]*$/;

export const AppName = doc(
  z.string().check(
    z.regex(APP_NAME, {
      error: 'write 1 to 100 characters with no control character, "/" or "\\", and not "." or ".." (a slug such as "my-app" is best)',
    }),
  ),
  'Unique name of the app in a deployment. 1-100 characters; no control characters, "/" or "\\"; not "." or "..". A slug ([a-z0-9][a-z0-9_-]*) is recommended.',
);

/** A component name, with its own description (a schema has one description, so each use gets its own schema). */
const componentName = (description: string) =>
  doc(
    z.string().check(
      z.regex(COMPONENT_NAME, {
        error: 'write 1 to 100 letters, digits, "_" or "-", starting with a letter, digit or "_"',
      }),
    ),
    description,
  );

export const ComponentName = componentName('Name of a panel, toolbar, module or function: letters, digits, "_" and "-".');

export const Version = doc(
  z.string().check(z.regex(SEMVER, { error: 'write a semantic version such as "1.2.0"' })),
  'Semantic version (three numbers, e.g. 1.2.0). Missing means 0.0.0, with a warning.',
);

export const Permission = doc(
  z.string().check(z.regex(PERMISSION, { error: 'write "namespace:verb", such as "items:read"' })),
  'A permission the app asks for, as namespace:verb (e.g. items:read).',
);

// ---------------------------------------------------------------- panels

export const Layout = doc(
  z.looseObject({
    width: z.optional(doc(z.number().check(z.positive({ error: 'write a width above 0' })), 'Initial width in CSS pixels.')),
    height: z.optional(doc(z.number().check(z.positive({ error: 'write a height above 0' })), 'Initial height in CSS pixels.')),
    minWidth: z.optional(z.number().check(z.nonnegative())),
    minHeight: z.optional(z.number().check(z.nonnegative())),
    maxWidth: z.optional(z.number().check(z.positive())),
    maxHeight: z.optional(z.number().check(z.positive())),
    resizable: z.optional(doc(z.boolean(), 'Whether the user may resize the window.')),
    resizeable: z.optional(doc(z.boolean(), "Dataloop's spelling of resizable; both are accepted.")),
    position: z.optional(
      doc(
        z.union([z.literal('center'), z.looseObject({ x: z.number(), y: z.number() })]),
        'Initial position: "center" or { x, y } in CSS pixels.',
      ),
    ),
  }),
  'Size and placement of the panel in its slot. Other Dataloop layout keys are kept.',
);

export const SupportedSlot = doc(
  z.looseObject({
    type: doc(
      z.string().check(z.minLength(1, { error: 'write a slot type such as "itemViewer"' })),
      `Slot type. The browser runs ${BROWSER_SLOT_TYPES.join(', ')}; other Dataloop slot types validate with a warning.`,
    ),
    configuration: z.optional(z.looseObject({ layout: z.optional(Layout) })),
  }),
  'A slot the panel can be shown in.',
);

export const Panel = doc(
  z.looseObject({
    name: ComponentName,
    displayName: optionalText('Title shown in tabs, menus and window title bars; defaults to name.'),
    url: optionalText('Page of the panel, relative to the app baseUrl or absolute http(s). Default: panels/<name>/index.html.'),
    icon: optionalText('Icon URL or ${ASSET:file}.'),
    supportedSlots: doc(z.array(SupportedSlot), 'The slots this panel can fill.'),
    sandbox: z.optional(
      doc(
        z.array(z.string()),
        'Extra sandbox tokens, from: allow-forms, allow-popups, allow-popups-to-escape-sandbox, allow-downloads, allow-modals.',
      ),
    ),
    conditions: z.optional(doc(z.looseObject({}), 'Dataloop conditions (resources and filters): kept.')),
  }),
  'A served page, mounted in a sandboxed iframe.',
);

// ---------------------------------------------------------------- toolbars

export const Invoke = doc(
  z.looseObject({
    type: doc(z.enum(TOOLBAR_INVOKE_TYPES), 'panel, function, event, or script (Dataloop; validated, never run).'),
    namespace: doc(
      z.string().check(z.minLength(1, { error: 'write the panel, function or event to invoke' })),
      'panel: a panel name; function: module.function or service.module.function; event: an event name.',
    ),
  }),
  'What clicking the toolbar does.',
);

export const Toolbar = doc(
  z.looseObject({
    name: z.optional(ComponentName),
    displayName: text('Label of the button.'),
    icon: optionalText('Icon URL or ${ASSET:file}.'),
    tooltip: optionalText('Tooltip; defaults to displayName.'),
    location: optionalText('Where the button appears; none means every <sb-toolbar>.'),
    invoke: Invoke,
    action: optionalText('Dataloop action (e.g. drawAnnotation): kept.'),
    conditions: z.optional(z.looseObject({})),
  }),
  'A button rendered by the host; no extension code runs in the host page.',
);

// ---------------------------------------------------------------- modules and functions

export const IoParameter = doc(
  z.looseObject({
    name: ComponentName,
    type: doc(
      z.union([
        z.enum(IO_TYPES),
        // Zod reports only this branch for a string that is no IO type: its message lists them all.
        z.string().check(
          z.regex(ARTIFACT_IO_TYPE, { error: `write one of: ${IO_TYPES.map((t) => `"${t}"`).join(', ')}, or "Artifact:<name>" naming an artifact type of components.artifacts` }),
        ),
      ]),
      'IO type: an entity (Item, Dataset...), a value (Json, String, Integer...), either as T[], or Artifact:<name> for an artifact type of the app (components.artifacts).',
    ),
    value: z.optional(doc(z.unknown(), 'Default value of an input.')),
    description: optionalText('What the parameter means.'),
  }),
  'A typed function parameter or output.',
);

export const ModuleFunction = doc(
  z.looseObject({
    name: ComponentName,
    displayName: optionalText('Human name.'),
    description: optionalText('What the function does.'),
    input: z._default(doc(z.array(IoParameter), 'Declared inputs, matched by name.'), []),
    output: z._default(doc(z.array(IoParameter), 'Declared outputs, mapped in order.'), []),
  }),
  'A typed function of a module.',
);

export const Module = doc(
  z.looseObject({
    name: ComponentName,
    url: optionalText('Headless page that registers the functions (browser module). Default: modules/<name>/index.html unless entryPoint is set.'),
    entryPoint: optionalText('Server-side entry point (Dataloop): the platform executor runs it.'),
    functions: z._default(z.array(ModuleFunction), []),
  }),
  'A module: a browser page or a server-side entry point that provides functions.',
);

const MEDIA_TYPE = /^[A-Za-z0-9][\w.+-]{0,126}\/[A-Za-z0-9][\w.+-]{0,126}$/;

export const ArtifactType = doc(
  z.looseObject({
    name: componentName('Name of the type; functions use it as Artifact:<name>.'),
    displayName: optionalText('Human name of the type.'),
    description: optionalText('What a value of this type holds.'),
    module: componentName('The module (browser page or platform executor) whose functions encode and decode values of this type.'),
    serialize: componentName("A function of that module, declared in its functions: receives { value } (a function's output) and returns bytes (an ArrayBuffer or typed array) or a JSON value."),
    deserialize: componentName('A function of that module, declared in its functions: receives { data, mediaType, type } (what serialize returned) and returns the value a function input receives.'),
    mediaType: z._default(
      doc(z.string().check(z.regex(MEDIA_TYPE, { error: 'write a media type such as "application/json" or "image/png"' })), 'Media type of the stored bytes (used for downloads).'),
      'application/octet-stream',
    ),
  }),
  'An artifact type (Dioptra artifact task): values that outlive a function call, stored by the host and handed to other functions as { artifact: id }.',
);

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
      doc(z.looseObject({ entries: z.array(ConditionEntry) }), 'Show this field only while the named earlier fields hold the given values.'),
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
) as z.ZodMiniType<WizardEntryShape>;

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

// ---------------------------------------------------------------- the manifest

export const Components = doc(
  z.looseObject({
    panels: z._default(z.array(Panel), []),
    toolbars: z._default(z.array(Toolbar), []),
    modules: z._default(z.array(Module), []),
    artifacts: z._default(doc(z.array(ArtifactType), 'Artifact types: outputs and inputs typed Artifact:<name> are stored by the host between calls.'), []),
  }),
  'Panels, toolbars, modules and artifact types. Other Dataloop lists (services, triggers, models...) are kept.',
);

export const ManifestSchema = doc(
  z.looseObject({
    name: AppName,
    displayName: optionalText('Name shown to people; defaults to name.'),
    version: z.optional(Version),
    description: optionalText('What the app does.'),
    provider: optionalText('Who publishes the app.'),
    icon: optionalText('Icon URL or ${ASSET:file}.'),
    badges: z._default(doc(z.array(z.string()), 'Badges shown in the marketplace.'), []),
    category: optionalText('Marketplace tab.'),
    featured: z._default(doc(z.number(), 'Marketplace order, lower first.'), 500),
    scope: z._default(doc(z.enum(APP_SCOPES), 'Who can install the app: project, organization or public.'), 'project'),
    permissions: z._default(doc(z.array(Permission), 'Permissions the app asks for, each as namespace:verb (e.g. items:read); the user consents to this list at install.'), []),
    components: z._default(Components, { panels: [], toolbars: [], modules: [], artifacts: [] }),
    wizard: z.optional(Wizard),
    dashboard: z.optional(Dashboard),
    no_info_html: optionalText('HTML shown on the dashboard while nothing was reported.'),
  }),
  'A slotbridge app manifest (app.json), a superset of Dataloop dataloop.json.',
);

export type ManifestInput = z.input<typeof ManifestSchema>;
export type PanelDefinition = z.output<typeof Panel>;
export type ToolbarDefinition = z.output<typeof Toolbar>;
export type ModuleDefinition = z.output<typeof Module>;
export type FunctionDefinition = z.output<typeof ModuleFunction>;
export type IoParameterDefinition = z.output<typeof IoParameter>;
export type ArtifactTypeDefinition = z.output<typeof ArtifactType>;
export type LayoutDefinition = z.output<typeof Layout>;
export type WizardEntryDefinition = WizardEntryShape;
export type WizardDefinition = z.output<typeof Wizard>;
export type DashboardDefinition = z.output<typeof Dashboard>;
