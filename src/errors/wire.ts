/**
 * How failures cross the bridge, in both directions, for every side (host,
 * guest, mock host, function runner, adapters). On the wire an error is a
 * plain object `{ name, code, message, details }`, never an Error instance:
 * penpal would send an Error's stack, and a stack must never reach the other side.
 */
import { statedMessage } from './caught.js';
import { ErrorCode } from './error-code.js';
import { SlotbridgeError, type SerializedSlotbridgeError } from './slotbridge-error.js';

/** Longest message taken from an error nobody classified. */
const MAX_MESSAGE = 1000;

/**
 * What crosses the bridge for a failure. A SlotbridgeError (or one already
 * serialized, as the router throws them) keeps its code;
 * anything else is `unclassified(err)`, by default `EXECUTION_FAILED` with
 * the error's own message (bounded).
 */
export function toWireError(err: unknown, unclassified: (err: unknown) => SlotbridgeError = executionFailed): SerializedSlotbridgeError {
  const error = err instanceof SlotbridgeError ? err : (SlotbridgeError.fromJSON(err) ?? unclassified(err));
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

/**
 * Rebuilds a SlotbridgeError from whatever a call to the other side rejected
 * with: a serialized SlotbridgeError as it was sent, penpal's own failures
 * (its timeout, a destroyed connection) as ours, and anything else with the
 * code `otherwise`. `what` names the call in messages, `timeout` its limit.
 */
export function fromWireError(value: unknown, what: string, timeout: number, otherwise: ErrorCode): SlotbridgeError {
  const known = SlotbridgeError.fromJSON(value);
  if (known) return known;
  switch ((value as { code?: unknown } | null)?.code) {
    case 'METHOD_CALL_TIMEOUT':
      return new SlotbridgeError(ErrorCode.CALL_TIMEOUT, `${what} got no answer within ${timeout} ms.`);
    case 'CONNECTION_TIMEOUT':
      return handshakeTimeout(timeout);
    case 'CONNECTION_DESTROYED':
    case 'TRANSMISSION_FAILED':
      return new SlotbridgeError(ErrorCode.CONNECTION_LOST, `${what} failed: the other side of the bridge went away during the call.`);
  }
  if (otherwise === ErrorCode.CONNECTION_LOST) return new SlotbridgeError(otherwise, `${what} failed: the connection to the host is gone.`);
  const message = boundedMessage(value);
  return new SlotbridgeError(otherwise, `${what} failed${message ? `: ${message}` : ''}.`);
}

/** A guest whose handshake got no answer. */
export function handshakeTimeout(timeout: number): SlotbridgeError {
  return new SlotbridgeError(
    ErrorCode.HANDSHAKE_TIMEOUT,
    `No slotbridge host answered within ${timeout} ms; is this page running inside a host?`,
  );
}

function executionFailed(err: unknown): SlotbridgeError {
  return new SlotbridgeError(ErrorCode.EXECUTION_FAILED, boundedMessage(err) || 'The call failed.');
}

/** The message `err` states, within what crosses the wire ('' when it states none). */
function boundedMessage(err: unknown): string {
  return (statedMessage(err) ?? '').slice(0, MAX_MESSAGE);
}
