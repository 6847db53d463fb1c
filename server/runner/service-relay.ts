/**
 * The service, for one run's child: HTTP on a Unix socket in the run's
 * folder, each request forwarded to the registry service. A child without
 * network (a root runner's) reaches the service this way and no other way;
 * it sends its run's own token, which the service scopes to that run. Only
 * the service's `/v1/` routes, only the `authorization` and `content-type`
 * headers, bodies bounded, each call timed out; closed when the run ends.
 */
import { chmodSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readBody } from '../../src/cli/serve/static-files.js';

/** Longest a forwarded call may take, ms. */
const CALL_MS = 60_000;

export class ServiceRelay {
  readonly #server = createServer((req, res) => void this.#forward(req, res));

  private constructor(
    readonly path: string,
    readonly service: string,
    readonly maxBody: number,
  ) {}

  static async open(path: string, service: string, maxBody: number): Promise<ServiceRelay> {
    const relay = new ServiceRelay(path, service, maxBody);
    await new Promise<void>((resolve, reject) => relay.#server.once('error', reject).listen(path, resolve));
    // The child may run as another user (a root runner's `nobody`).
    chmodSync(path, 0o666);
    return relay;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async #forward(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const refuse = (status: number, code: string, message: string) => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ code, message }));
      req.destroy();
    };
    if (!req.url?.startsWith('/v1/')) {
      refuse(404, 'BAD_INPUT', "The run's relay forwards the service's /v1/ routes only.");
      return;
    }
    const body = await readBody(req, this.maxBody);
    if (!body) {
      refuse(413, 'PAYLOAD_TOO_LARGE', `A call from a run takes at most ${this.maxBody} bytes.`);
      return;
    }
    const headers: Record<string, string> = {};
    for (const name of ['authorization', 'content-type'] as const) if (req.headers[name]) headers[name] = req.headers[name];
    try {
      const response = await fetch(`${this.service}${req.url}`, {
        method: req.method ?? 'GET',
        headers,
        ...(body.length ? { body } : {}),
        signal: AbortSignal.timeout(CALL_MS),
      });
      const answer = Buffer.from(await response.arrayBuffer());
      res.writeHead(response.status, { 'content-type': response.headers.get('content-type') ?? 'application/octet-stream' }).end(answer);
    } catch (err) {
      refuse(502, 'EXECUTION_FAILED', `The runner could not reach the service: ${(err as Error).message}.`);
    }
  }
}
