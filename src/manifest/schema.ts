/**
 * The manifest schema: the single source of truth for its types, its
 * validation, its JSON Schema and its docs. Declarative only (no transforms),
 * so that `toJSONSchema` can represent all of it; defaults that depend on
 * other fields are applied by `normalize.ts`.
 */
import * as z from 'zod/mini';
import {
  APP_SCOPES,
  DATALOOP_SYSTEM_SCOPE,
  ARTIFACT_IO_TYPE,
  BROWSER_SLOT_TYPES,
  IO_TYPES,
  TOOLBAR_INVOKE_TYPES,
  BRIDGE_NAME,
  NATIVE_BRIDGE,
} from './vocabulary.js';
import { doc, optionalText, text } from './schema-doc.js';
import { Dashboard, Wizard, type WizardEntryShape } from './schema-wizard.js';
import { APP_NAME, AppName, ComponentName, componentName, Permission, Version } from './schema-names.js';

export { APP_NAME, AppName, ComponentName, Permission, Version };

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
          z.regex(ARTIFACT_IO_TYPE, {
            error: `write one of: ${IO_TYPES.map((t) => `"${t}"`).join(', ')}, or "Artifact:<name>" naming an artifact type of components.artifacts`,
          }),
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
    url: optionalText(
      'Headless page that registers the functions (browser module). Default: modules/<name>/index.html unless entryPoint is set.',
    ),
    entryPoint: optionalText(
      'Entry point of a module without a url: a Python file (.py, relative to the app folder) runs in the browser on a host given createHost({ python }), anything else on the platform executor.',
    ),
    runtime: z.optional(doc(z.enum(['python']), '"python": the entryPoint is Python whatever its name.')),
    className: optionalText(
      "Python: the class whose methods are the functions (Dataloop's ServiceRunner layout), made once with the initInputs' values.",
    ),
    functions: z._default(z.array(ModuleFunction), []),
  }),
  'A module: a browser page, a Python entry point, or a server-side entry point that provides functions.',
);

const MEDIA_TYPE = /^[A-Za-z0-9][\w.+-]{0,126}\/[A-Za-z0-9][\w.+-]{0,126}$/;

export const ArtifactType = doc(
  z.looseObject({
    name: componentName('Name of the type; functions use it as Artifact:<name>.'),
    displayName: optionalText('Human name of the type.'),
    description: optionalText('What a value of this type holds.'),
    module: componentName('The module (browser page or platform executor) whose functions encode and decode values of this type.'),
    serialize: componentName(
      "A function of that module, declared in its functions: receives { value } (a function's output) and returns bytes (an ArrayBuffer or typed array) or a JSON value.",
    ),
    deserialize: componentName(
      'A function of that module, declared in its functions: receives { data, mediaType, type } (what serialize returned) and returns the value a function input receives.',
    ),
    mediaType: z._default(
      doc(
        z.string().check(z.regex(MEDIA_TYPE, { error: 'write a media type such as "application/json" or "image/png"' })),
        'Media type of the stored bytes (used for downloads).',
      ),
      'application/octet-stream',
    ),
  }),
  'An artifact type (Dioptra artifact task): values that outlive a function call, stored by the host and handed to other functions as { artifact: id }.',
);
// ---------------------------------------------------------------- the manifest

export const Components = doc(
  z.looseObject({
    panels: z._default(z.array(Panel), []),
    toolbars: z._default(z.array(Toolbar), []),
    modules: z._default(z.array(Module), []),
    artifacts: z._default(
      doc(z.array(ArtifactType), 'Artifact types: outputs and inputs typed Artifact:<name> are stored by the host between calls.'),
      [],
    ),
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
    scope: z._default(
      doc(
        z.enum([...APP_SCOPES, DATALOOP_SYSTEM_SCOPE]),
        "Who can install the app: project, organization or public (Dataloop's system is read as public).",
      ),
      'project',
    ),
    bridge: z._default(
      doc(
        z.string().check(
          z.regex(BRIDGE_NAME, {
            error: 'write a bridge name such as "slotbridge" or "dataloop": a lowercase letter, then letters, digits or "-"',
          }),
        ),
        'The protocol its panels and modules speak: "slotbridge" (slotbridge/guest) or the name of an adapter the platform registers with createHost({ bridges }), such as "dataloop".',
      ),
      NATIVE_BRIDGE,
    ),
    permissions: z._default(
      doc(
        z.array(Permission),
        'Permissions the app asks for, each as namespace:verb (e.g. items:read); the user consents to this list at install.',
      ),
      [],
    ),
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
