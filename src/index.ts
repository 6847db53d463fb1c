/**
 * `slotbridge`: the host runtime, for the platform page.
 * The host (`createHost`, `defineApi`, `method`) joins this entry point with the bridge.
 */
export { SlotbridgeError, ErrorCode, isErrorCode, type SerializedSlotbridgeError } from './errors/index.js';
export type { Manifest, ManifestIssue, ValidationResult } from './manifest/index.js';
