/**
 * `slotbridge`: the host runtime, for the platform page.
 */
export { createHost, Host, type HostEvents, type MountOptions, type Notification, type PanelOpener } from './host/host.js';
export type { HostOptions, Theme } from './host/host-options.js';
export { defineApi, method, type ApiDefinition, type MethodDefinition, type MethodSpec, type CallContext, type UserInfo, type GuestApi } from './host/define-api.js';
export type { PanelHandle, PanelState } from './host/frame.js';
export type { Execution, FunctionExecutor } from './host/execution.js';
export type { BridgeLogEntry, LogSink } from './host/bridge-log.js';
export type { Registry } from './registry/registry.js';
export type { RegistryStore, StoreWrite } from './registry/store/registry-store.js';
export { MemoryStore } from './registry/store/memory-store.js';
export { IndexedDbStore } from './registry/store/indexeddb-store.js';
export type { AppRecord, Installation, AppScope, PublishOptions, InstallOptions, UninstallOptions, Report, ArtifactRecord, ArtifactFilter } from './registry/types.js';
export type { ArtifactShelf } from './registry/artifact-shelf.js';
export { SlotbridgeError, ErrorCode, isErrorCode, type SerializedSlotbridgeError } from './errors/index.js';
export type { Manifest, ManifestIssue, ValidationResult, Toolbar, WizardEntry, Dashboard } from './manifest/index.js';
export type { ReportLimits, ReportSeries, ReportKind } from './registry/report-book.js';
export type { AppSettings } from './wizard/app-settings.js';
export type { ChoiceOption } from './wizard/choices.js';
