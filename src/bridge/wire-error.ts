/**
 * Errors on the wire are plain objects `{ name, code, message, details }`,
 * never Error instances: penpal would serialize an Error with its stack, and
 * a handler's stack must never reach the other side.
 */
import { SlotbridgeError, type SerializedSlotbridgeError } from '../errors/index.js';

/** What crosses the bridge for a failed call. `fallback` names the failure of anything that is not a SlotbridgeError. */
export function toWireError(err: unknown, fallback: () => SlotbridgeError): SerializedSlotbridgeError {
  const error = err instanceof SlotbridgeError ? err : fallback();
  const wire: SerializedSlotbridgeError = { name: 'SlotbridgeError', code: error.code, message: error.message };
  if (error.details !== undefined) {
    // Details must survive structured clone; JSON is the safe subset.
    try {
      wire.details = JSON.parse(JSON.stringify(error.details)) as unknown;
    } catch {
      // Leave details out rather than fail the reply.
    }
  }
  return wire;
}

/** Rebuilds a SlotbridgeError from whatever the other side rejected with. */
export function fromWireError(value: unknown, fallback: (value: unknown) => SlotbridgeError): SlotbridgeError {
  return SlotbridgeError.fromJSON(value) ?? fallback(value);
}

