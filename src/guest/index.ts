/**
 * `slotbridge/guest`: for the pages of an extension (panels and modules).
 */
export { connect, type ConnectOptions, type GuestFunction } from './connect.js';
export type { GuestHost, GuestContext } from './guest-host.js';
export { ErrorCode } from '../errors/error-code.js';
export { SlotbridgeError, type SerializedSlotbridgeError } from '../errors/slotbridge-error.js';
export type { Execution } from '../bridge/execution.js';
export type { ApiDefinition, GuestApi } from '../bridge/define-api.js';
export type { AppSettings } from '../wizard/app-settings.js';
export type { ArtifactRecord } from '../registry/types.js';
