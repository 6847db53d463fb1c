/**
 * Requests to a registry service for the page: the user's token (asked for
 * again once on a 401 when it is a function), JSON or bytes in, the answer's
 * JSON or bytes out, the service's `{ code, message }` as a SlotbridgeError.
 */
import { ErrorCode, isErrorCode } from '../../errors/error-code.js';
import { SlotbridgeError } from '../../errors/slotbridge-error.js';

export class ServiceClient {
  readonly #url: string;
  readonly #token: string | (() => string | Promise<string>);
  #current: string | undefined;

  constructor(url: string, token: string | (() => string | Promise<string>)) {
    this.#url = url;
    this.#token = token;
  }

  /** Whether a 401 is worth one more try: the token is a function that can give a fresh one. */
  get refreshes(): boolean {
    return typeof this.#token === 'function';
  }

  async credentials(fresh: boolean): Promise<string> {
    if (typeof this.#token === 'string') return this.#token;
    if (fresh || this.#current === undefined) this.#current = await this.#token();
    return this.#current;
  }

  /** One request; the answer's JSON, or the service's `{ code, message }` as a SlotbridgeError. A 401 gets one retry with a fresh token. */
  async request(method: string, path: string, body?: unknown, retried = false): Promise<unknown> {
    const headers: Record<string, string> = { authorization: `Bearer ${await this.credentials(retried)}` };
    // Bytes go as they are (an artifact); anything else as JSON.
    const bytes = body instanceof Uint8Array;
    if (body !== undefined) headers['content-type'] = bytes ? 'application/octet-stream' : 'application/json';
    let response: Response;
    try {
      response = await fetch(`${this.#url}${path}`, {
        method,
        headers,
        ...(body !== undefined ? { body: bytes ? (body as BodyInit) : JSON.stringify(body) } : {}),
      });
    } catch (err) {
      throw new SlotbridgeError(
        ErrorCode.STORAGE_FAILED,
        `The registry at ${this.#url} cannot be reached (${(err as Error).message}); nothing was changed. Check the connection and try again.`,
      );
    }
    if (response.status === 401 && !retried && typeof this.#token === 'function') return this.request(method, path, body, true);
    if (response.ok && response.headers.get('content-type') === 'application/octet-stream')
      return new Uint8Array(await response.arrayBuffer());
    const json = (await response.json().catch(() => undefined)) as { code?: unknown; message?: unknown; details?: unknown } | undefined;
    if (!response.ok) {
      const code = isErrorCode(json?.code) ? json.code : ErrorCode.STORAGE_FAILED;
      throw new SlotbridgeError(
        code,
        typeof json?.message === 'string' ? json.message : `The registry answered ${response.status}; nothing was changed.`,
        json?.details,
      );
    }
    return json;
  }
}
