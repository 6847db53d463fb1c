/**
 * Every code a `SlotbridgeError` can carry. Codes are stable strings: they
 * cross the bridge intact, so a guest can branch on the same code the host threw.
 */
export const ErrorCode = {
  MANIFEST_INVALID: 'MANIFEST_INVALID',
  APP_NOT_FOUND: 'APP_NOT_FOUND',
  VERSION_EXISTS: 'VERSION_EXISTS',
  NAME_TAKEN: 'NAME_TAKEN',
  NOT_INSTALLED: 'NOT_INSTALLED',
  SCOPE_VIOLATION: 'SCOPE_VIOLATION',
  HANDSHAKE_TIMEOUT: 'HANDSHAKE_TIMEOUT',
  PROTOCOL_MISMATCH: 'PROTOCOL_MISMATCH',
  ORIGIN_REJECTED: 'ORIGIN_REJECTED',
  UNSAFE_SANDBOX: 'UNSAFE_SANDBOX',
  METHOD_NOT_FOUND: 'METHOD_NOT_FOUND',
  PERMISSION_DENIED: 'PERMISSION_DENIED',
  INVALID_ARGUMENTS: 'INVALID_ARGUMENTS',
  INVALID_OUTPUT: 'INVALID_OUTPUT',
  CALL_TIMEOUT: 'CALL_TIMEOUT',
  RATE_LIMITED: 'RATE_LIMITED',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  CONNECTION_LOST: 'CONNECTION_LOST',
  DESTROYED: 'DESTROYED',
  FUNCTION_NOT_FOUND: 'FUNCTION_NOT_FOUND',
  OUTPUT_MISMATCH: 'OUTPUT_MISMATCH',
  EXECUTION_FAILED: 'EXECUTION_FAILED',
  STORAGE_FULL: 'STORAGE_FULL',
  /** The store failed for another reason than its quota (blocked, closed, damaged). */
  STORAGE_FAILED: 'STORAGE_FAILED',
  ARTIFACT_NOT_FOUND: 'ARTIFACT_NOT_FOUND',
  /** A value given to a slotbridge function is not what it takes (a bad URL, a bad asset path...). */
  BAD_INPUT: 'BAD_INPUT',
  /** A slot element was asked to act before it had a host (its `host` property, or an `<sb-host>` around it). */
  NO_HOST: 'NO_HOST',
  /** The registry service: no credentials, or ones it does not take (expired, revoked, malformed). HTTP 401. */
  UNAUTHORIZED: 'UNAUTHORIZED',
  /** The registry service: the caller is known but may not do this (another namespace, not an admin). HTTP 403. */
  FORBIDDEN: 'FORBIDDEN',
  /** The registry service: the change conflicts with what is there (another package for a published version). HTTP 409. */
  CONFLICT: 'CONFLICT',
  /** The registry service: what was asked for is no longer offered (a yanked version, for a new install). HTTP 410. */
  GONE: 'GONE',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const codes: ReadonlySet<string> = new Set(Object.values(ErrorCode));

/** True when `value` is one of the `ErrorCode` strings. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && codes.has(value);
}
