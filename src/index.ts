/**
 * `slotbridge`: the host runtime, for the platform page. What API.md names,
 * and the types a platform names when it uses them (its options, events,
 * records, a store or an adapter of its own); `test/node/package-exports.test.ts`
 * lists every entry point's exports.
 */
export { createHost, type Host, type MountOptions } from './host/host.js';
export type { HostEvents, Notification } from './host/host-events.js';
export type { HostOptions, Theme } from './host/host-options.js';
export { defineApi, method, type ApiDefinition, type CallContext, type UserInfo, type GuestApi } from './bridge/define-api.js';
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
  ArtifactRecord,
} from './registry/types.js';
export type { ArtifactShelf } from './registry/artifact-shelf.js';
export { ErrorCode } from './errors/error-code.js';
export { SlotbridgeError } from './errors/slotbridge-error.js';
// The manifest's own types are slotbridge/manifest's; a record's manifest is named here.
export type { Manifest } from './manifest/index.js';
export type { AppSettings } from './wizard/app-settings.js';
