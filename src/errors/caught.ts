/** Reading what a `catch` caught, which may be anything a thrower threw. */
import { type ErrorCode, isErrorCode } from './error-code.js';

/** The message it states: an Error's, a string itself, a thrown `{ message }`'s; undefined when it states none. */
export function statedMessage(err: unknown): string | undefined {
  const message = err instanceof Error ? err.message : typeof err === 'string' ? err : (err as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : undefined;
}

/** Its message, else its text. */
export function messageOf(err: unknown): string {
  return statedMessage(err) ?? String(err);
}

/** Its slotbridge code, when it carries one (a `SlotbridgeError`, or one read off the wire). */
export function codeOf(err: unknown): ErrorCode | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return isErrorCode(code) ? code : undefined;
}
