export { ErrorCode, isErrorCode } from './error-code.js';
export { SlotbridgeError, type SerializedSlotbridgeError } from './slotbridge-error.js';
