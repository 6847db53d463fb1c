/**
 * The closed word lists of the manifest. Schema, cross-reference checks,
 * JSON Schema and docs all read them from here.
 */

/** Slot types the browser host renders. */
export const BROWSER_SLOT_TYPES = [
  'itemViewer',
  'itemSidePanel',
  'datasetBrowser',
  'floatingWindow',
  'dialog',
  'route',
  'pipelineNodeConfig',
] as const;
export type BrowserSlotType = (typeof BROWSER_SLOT_TYPES)[number];

/**
 * Slots a panel of a type fills besides its own: a pipeline node's settings
 * (Dataloop shows them in its pipeline editor's drawer) open as a dialog on a
 * platform without that editor.
 */
export const ALSO_FILLS: Readonly<Partial<Record<string, readonly BrowserSlotType[]>>> = { pipelineNodeConfig: ['dialog'] };

/** Sandbox tokens a panel may add to `allow-scripts`. Anything else is refused. */
export const SANDBOX_ALLOWLIST = [
  'allow-forms',
  'allow-popups',
  'allow-popups-to-escape-sandbox',
  'allow-downloads',
  'allow-modals',
] as const;
export type SandboxToken = (typeof SANDBOX_ALLOWLIST)[number];

/** Entity types: objects the platform owns, checked by the schema the platform registers (default: `{ id: string }`). */
export const ENTITY_IO_TYPES = ['Item', 'Dataset', 'Annotation', 'Project', 'Model', 'Task', 'Execution'] as const;
/** Plain value types. */
export const VALUE_IO_TYPES = ['Json', 'String', 'Number', 'Integer', 'Float', 'Boolean'] as const;
export const BASE_IO_TYPES = [...ENTITY_IO_TYPES, ...VALUE_IO_TYPES] as const;
/** Every IO type a function parameter or output may declare: each base type and its list form. */
export const IO_TYPES = [...BASE_IO_TYPES, ...BASE_IO_TYPES.map((t) => `${t}[]` as const)] as const;
export type IoType = (typeof IO_TYPES)[number];
/** The IO type of an artifact type the app declares in `components.artifacts`: `Artifact:<name>`. */
export const ARTIFACT_IO_TYPE = /^Artifact:([A-Za-z0-9_][A-Za-z0-9_-]{0,99})$/;

/** The artifact type named by an IO type (`Artifact:mask` is `mask`), or `undefined` for any other type. */
export function artifactTypeOf(type: string): string | undefined {
  return ARTIFACT_IO_TYPE.exec(type)?.[1];
}

export const TOOLBAR_INVOKE_TYPES = ['panel', 'function', 'event', 'script'] as const;
export const APP_SCOPES = ['project', 'organization', 'public'] as const;
/** Dataloop's platform apps say `system`; outside Dataloop that means anyone may install them, as `public` does. */
export const DATALOOP_SYSTEM_SCOPE = 'system';

export const WIZARD_FIELD_TYPES = ['string', 'integer', 'float', 'dropdown', 'checkbox', 'multiline_text', 'group', 'list'] as const;
export const WIZARD_CHOICE_SOURCES = ['project', 'dataset', 'model', 'task', 'queue', 'dataset_version'] as const;

export const DASHBOARD_CONTENT_TYPES = [
  'html',
  'scalar',
  'scalar-histogram',
  'plot',
  'debug-images',
  'log',
  'hyperparameter',
  'configuration',
  'artifacts',
] as const;
export const DASHBOARD_KEYS = ['iter', 'timestamp', 'iso_time'] as const;

/** Dataloop component lists that validate and are kept, but that the browser host does not run. */
export const KEPT_COMPONENT_LISTS = [
  'services',
  'computeConfigs',
  'triggers',
  'models',
  'pipelineNodes',
  'pipelines',
  'snapshots',
  'datasets',
  'integrations',
] as const;

/** Top-level Dataloop and ClearML fields that are accepted and kept as they are. */
export const KEPT_TOP_LEVEL_FIELDS = [
  'attributes',
  'tags',
  'codebase',
  'dependencies',
  'context',
  'trusted',
  'id',
  'creator',
  'services',
  'categories',
  'details_page',
  'clearml',
] as const;

/** A bridge adapter's name, as a platform registers it in `createHost({ bridges })` and a manifest's `bridge` names it. */
export const BRIDGE_NAME = /^[a-z][a-z0-9-]{0,49}$/;

/** The native protocol's name: `slotbridge/guest` on the other side. */
export const NATIVE_BRIDGE = 'slotbridge';

/** Dataloop's protocol (`slotbridge/dataloop`): its apps' panels are `<name>/index.html` at the root of the app's server. */
export const DATALOOP_BRIDGE = 'dataloop';
