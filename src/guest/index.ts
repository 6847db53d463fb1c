/**
 * `slotbridge/guest`: for the pages of an extension (panels and modules).
 */
export { connect, type ConnectOptions, type GuestHost, type GuestContext, type GuestFunction } from './connect.js';
export { SlotbridgeError, ErrorCode, type SerializedSlotbridgeError } from '../errors/index.js';
export type { Execution } from '../host/execution.js';
export type { ApiDefinition, GuestApi } from '../host/define-api.js';
export type { AppSettings } from '../wizard/app-settings.js';
export type { ArtifactRecord } from '../registry/types.js';
