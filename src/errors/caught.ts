/** Reading what a `catch` caught, which may be anything a thrower threw. */
import { type ErrorCode, isErrorCode } from './error-code.js';

/** Its message: an Error's, a string itself, a thrown `{ message }`'s, else its text. */
export function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'string') return err;
  const message = (err as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(err);
}

/** Its slotbridge code, when it carries one (a `SlotbridgeError`, or one read off the wire). */
export function codeOf(err: unknown): ErrorCode | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return isErrorCode(code) ? code : undefined;
}
