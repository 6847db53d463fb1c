/**
 * What the slot elements take of the runtime beyond the public entry point
 * (`src/index.ts`): one door, so that the runtime's files can move without
 * the elements knowing. `test/node/import-cycles.test.ts` holds `slots/` to
 * these two.
 */
export type { BridgeLogEntry } from './bridge/call-log.js';
export type { ExecutionStage } from './bridge/execution.js';
export { messageOf } from './errors/caught.js';
export { ErrorCode } from './errors/error-code.js';
export { SlotbridgeError } from './errors/slotbridge-error.js';
export type { HostEvents } from './host/host-events.js';
export type { Host } from './host/host.js';
export type { PanelHandle, PanelState } from './host/panel-handle.js';
export type { Panel } from './manifest/normalize.js';
export { isPythonModule } from './manifest/python-module.js';
export { runsOn } from './manifest/runs-on.js';
export type { DashboardDefinition, ToolbarDefinition, WizardEntryDefinition } from './manifest/schema.js';
export { artifactTypeOf } from './manifest/vocabulary.js';
export { passiveBlob } from './registry/passive-blob.js';
export type { ReportSeries } from './registry/report-book.js';
export type { AppRecord, ArtifactRecord, Installation, Report, ReportKind } from './registry/types.js';
export { normalizeSettings } from './wizard/app-settings.js';
export type { AppSettings } from './wizard/app-settings.js';
export { staticOptions } from './wizard/choices.js';
export type { ChoiceOption } from './wizard/choices.js';
export { fillTemplate } from './wizard/template.js';
export { textOf } from './wizard/text-of.js';
export { checkValues, coerce, conditionHolds, defaultOf, everyField, initialValues, valueFields } from './wizard/wizard-form.js';
export type { WizardValues } from './wizard/wizard-form.js';
