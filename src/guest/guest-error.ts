/** Turns whatever a call rejected with into a SlotbridgeError with the right code. */
import { ErrorCode, SlotbridgeError } from '../errors/index.js';

export function toGuestError(value: unknown, what: string, timeout: number): SlotbridgeError {
  const known = SlotbridgeError.fromJSON(value);
  if (known) return known;
  const code = (value as { code?: unknown } | null)?.code;
  if (code === 'METHOD_CALL_TIMEOUT') return new SlotbridgeError(ErrorCode.CALL_TIMEOUT, `${what} got no answer within ${timeout} ms.`);
  if (code === 'CONNECTION_TIMEOUT') return new SlotbridgeError(ErrorCode.HANDSHAKE_TIMEOUT, `No slotbridge host answered within ${timeout} ms; is this page running inside a host?`);
  return new SlotbridgeError(ErrorCode.CONNECTION_LOST, `${what} failed: the connection to the host is gone.`);
}

/** What a guest sends back when one of its functions fails: a plain object, no stack. */
export function toWire(err: unknown): unknown {
  if (err instanceof SlotbridgeError) return err.toJSON();
  const message = err instanceof Error ? err.message : typeof err === 'string' ? err : 'The function failed.';
  return { name: 'SlotbridgeError', code: ErrorCode.EXECUTION_FAILED, message: String(message).slice(0, 1000) };
}
