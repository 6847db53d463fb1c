/**
 * `slotbridge`: the host runtime, for the platform page.
 */
export { createHost, type Host, type MountOptions, type PanelOpener } from './host/host.js';
export type { HostEvents, Notification } from './host/host-events.js';
export type { HostOptions, Theme } from './host/host-options.js';
export {
  defineApi,
  method,
  type ApiDefinition,
  type MethodDefinition,
  type MethodSpec,
  type CallContext,
  type UserInfo,
  type GuestApi,
} from './bridge/define-api.js';
export type { PanelHandle, PanelState } from './host/panel-handle.js';
export type { BridgeAdapter, BridgePort, BridgeConnection } from './bridge/adapter.js';
export type { Execution, FunctionExecutor } from './bridge/execution.js';
export type { BridgeLogEntry, LogSink } from './bridge/call-log.js';
export type { Registry } from './registry/registry.js';
export type { RegistryStore, StoreWrite } from './registry/store/registry-store.js';
export { MemoryStore } from './registry/store/memory-store.js';
export { IndexedDbStore } from './registry/store/indexeddb-store.js';
export { remoteRegistry, type RemoteRegistryOptions } from './registry/store/remote-registry.js';
export type {
  AppRecord,
  Installation,
  AppScope,
  PublishOptions,
  InstallOptions,
  UninstallOptions,
  Report,
  ReportLimits,
  ReportKind,
  ArtifactRecord,
  ArtifactFilter,
} from './registry/types.js';
export type { ArtifactShelf } from './registry/artifact-shelf.js';
export { ErrorCode } from './errors/error-code.js';
export { SlotbridgeError, type SerializedSlotbridgeError } from './errors/slotbridge-error.js';
export type { Manifest, ManifestIssue, ValidationResult, Toolbar, WizardEntry, Dashboard } from './manifest/index.js';
export type { ReportSeries } from './registry/report-book.js';
export type { AppSettings } from './wizard/app-settings.js';
export type { ChoiceOption } from './wizard/choices.js';
