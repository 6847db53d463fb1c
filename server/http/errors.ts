/**
 * Every error the service answers is the bridge's wire shape, `{ code,
 * message }` (plus `details` where there are some), with the HTTP status its
 * code means. An error of the service's own is never shown to a caller: it is
 * logged, and the caller gets a code and a message that says what to do.
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ErrorCode } from '../../src/errors/error-code.js';
import { SlotbridgeError } from '../../src/errors/slotbridge-error.js';

const STATUS: Partial<Record<ErrorCode, ContentfulStatusCode>> = {
  [ErrorCode.BAD_INPUT]: 400,
  [ErrorCode.MANIFEST_INVALID]: 400,
  [ErrorCode.INVALID_ARGUMENTS]: 400,
  [ErrorCode.UNAUTHORIZED]: 401,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.PERMISSION_DENIED]: 403,
  [ErrorCode.SCOPE_VIOLATION]: 403,
  [ErrorCode.APP_NOT_FOUND]: 404,
  [ErrorCode.NOT_INSTALLED]: 404,
  [ErrorCode.ARTIFACT_NOT_FOUND]: 404,
  [ErrorCode.METHOD_NOT_FOUND]: 404,
  [ErrorCode.CONFLICT]: 409,
  [ErrorCode.VERSION_EXISTS]: 409,
  [ErrorCode.NAME_TAKEN]: 409,
  [ErrorCode.GONE]: 410,
  [ErrorCode.PAYLOAD_TOO_LARGE]: 413,
  [ErrorCode.RATE_LIMITED]: 429,
  [ErrorCode.STORAGE_FULL]: 507,
};

export function statusOf(code: string): ContentfulStatusCode {
  return STATUS[code as ErrorCode] ?? 500;
}

/** Hono's error handler: a SlotbridgeError as itself; anything else as `STORAGE_FAILED`, its detail logged, not sent. */
export function answerError(err: Error, c: Context): Response {
  if (err instanceof SlotbridgeError) {
    const body = { code: err.code, message: err.message, ...(err.details !== undefined ? { details: err.details } : {}) };
    return c.json(body, statusOf(err.code));
  }
  console.error('slotbridge server:', err);
  return c.json(
    {
      code: ErrorCode.STORAGE_FAILED,
      message:
        'The registry could not complete this request; nothing of it was kept. Try again; if it keeps failing, its operator has the details in the server log.',
    },
    500,
  );
}

/** Unknown routes: the same shape. */
export function answerNotFound(c: Context): Response {
  return c.json(
    {
      code: ErrorCode.METHOD_NOT_FOUND,
      message: `${c.req.method} ${new URL(c.req.url).pathname} is not a route of this registry; GET /v1/openapi.json lists them.`,
    },
    404,
  );
}
