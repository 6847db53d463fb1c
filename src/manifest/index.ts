/**
 * `slotbridge/manifest`: validate, resolve and describe app manifests.
 * Runs in the browser and in Node; no DOM.
 */
export { validateManifest, parseManifest, type ValidationResult } from './validate.js';
export { manifestJsonSchema } from './json-schema.js';
export { resolveAsset, resolveUrl } from './urls.js';
export { ioTypeProblem, hasStringId, isArtifactReference, type EntityCheck, type ArtifactReference } from './io-values.js';
export { type ManifestIssue, ManifestIssueCode } from './issues.js';
export { MAX_MANIFEST_CHARS, MAX_MANIFEST_DEPTH } from './preflight.js';
export type { Manifest, Panel, Module, Layout } from './normalize.js';
export type {
  ManifestInput,
  ToolbarDefinition as Toolbar,
  FunctionDefinition as ModuleFunction,
  IoParameterDefinition as IoParameter,
  ArtifactTypeDefinition as ArtifactType,
  WizardDefinition as Wizard,
  WizardEntryDefinition as WizardEntry,
  DashboardDefinition as Dashboard,
} from './schema.js';
export {
  BROWSER_SLOT_TYPES,
  SANDBOX_ALLOWLIST,
  IO_TYPES,
  ARTIFACT_IO_TYPE,
  artifactTypeOf,
  type BrowserSlotType,
  type SandboxToken,
  type IoType,
} from './vocabulary.js';
export { ErrorCode } from '../errors/error-code.js';
export { SlotbridgeError } from '../errors/slotbridge-error.js';
