/**
 * `host.execute` of a function that runs on the service's queue: the run is
 * asked for, followed (each change the store's stream hears for it, and a
 * read every few seconds should the stream be away) and cancelled on abort.
 * Resolves as the function runner maps a function's return: nothing, its one
 * value, or its values in order.
 */
import { ErrorCode, isErrorCode } from '../../errors/error-code.js';
import { SlotbridgeError } from '../../errors/slotbridge-error.js';
import type { RegistryStore } from './registry-store.js';
import type { ServiceClient } from './service-client.js';

export type RunRequest = Parameters<NonNullable<RegistryStore['runs']>['execute']>[0];

/** What the service answers for a run (`GET /v1/runs/{run}`). */
interface RunView {
  id: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  runner: string | null;
  output: Record<string, unknown> | null;
  error: { code: string; message: string } | null;
  log: string;
}

/**
 * `follow(run, wake)` asks the store's stream to call `wake` at the run's next
 * change (with what it became: `call` when its function waits for an answer);
 * `follow(run)` stops it. While the run runs, its calls to the platform are
 * answered here, by `request.call` (the host's router, as the app).
 */
export async function executeOnQueue(
  client: ServiceClient,
  request: RunRequest,
  follow: (run: string, wake?: (status?: string) => void) => void,
): Promise<unknown> {
  const { app, project, module, function: fn, inputs, signal } = request;
  const enc = encodeURIComponent;
  const run = (await client.request('POST', `/v1/projects/${enc(project)}/apps/${enc(app)}/runs`, {
    module,
    function: fn,
    inputs,
  })) as RunView;
  const cancel = () => void client.request('POST', `/v1/runs/${enc(run.id)}/cancel`).catch(() => undefined);
  signal.addEventListener('abort', cancel, { once: true });
  const answered = new Set<number>();
  // Looked for at a `call` change, and at each fallback read while it runs (should the stream have missed one).
  let lookForCalls = false as boolean;
  let lookForReports = false as boolean;
  let reportsSeen = '0';
  const newReports = async () => {
    const path = `/v1/projects/${enc(project)}/apps/${enc(app)}/reports?execution=${enc(run.id)}&after=${reportsSeen}`;
    const { reports, last } = (await client.request('GET', path)) as {
      reports: { kind: string; app: string; project: string }[];
      last: string;
    };
    reportsSeen = last;
    for (const report of reports) request.report?.(report);
  };
  try {
    for (;;) {
      const now = (await client.request('GET', `/v1/runs/${enc(run.id)}`)) as RunView;
      if (now.status === 'running' && lookForCalls) await answerCalls(client, run.id, request, answered);
      if (request.report && (lookForReports || now.status !== 'running')) await newReports();
      if (now.status === 'succeeded') {
        const values = Object.values(now.output ?? {}).map(fromWire);
        return values.length === 0 ? undefined : values.length === 1 ? values[0] : values;
      }
      if (now.status === 'failed' || now.status === 'cancelled') {
        const code = isErrorCode(now.error?.code) ? now.error.code : ErrorCode.EXECUTION_FAILED;
        throw new SlotbridgeError(code, now.error?.message ?? `Run ${run.id} ${now.status}.`, {
          run: run.id,
          runner: now.runner,
          log: now.log.slice(-10_000),
        });
      }
      if (signal.aborted) throw signal.reason;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => done('read'), 3000);
        function done(status?: string) {
          clearTimeout(timer);
          lookForCalls = status === 'call' || status === 'read';
          lookForReports = status === 'progress' || status === 'read';
          resolve();
        }
        follow(run.id, done);
        signal.addEventListener('abort', () => done(), { once: true });
      });
    }
  } finally {
    follow(run.id);
    signal.removeEventListener('abort', cancel);
  }
}

/** Answers the run's calls waiting for the page: each once, by the host (as the app, with its grant), its refusal as `{ ok: false }`. */
async function answerCalls(client: ServiceClient, run: string, request: RunRequest, answered: Set<number>): Promise<void> {
  const enc = encodeURIComponent;
  const { calls } = (await client.request('GET', `/v1/runs/${enc(run)}/calls`)) as {
    calls: { n: number; method: string; args: unknown[] }[];
  };
  await Promise.all(
    calls
      .filter((c) => !answered.has(c.n))
      .map(async ({ n, method, args }) => {
        answered.add(n);
        let answer: { ok: true; value?: unknown } | { ok: false; code: string; message: string };
        try {
          if (!request.call)
            throw new SlotbridgeError(ErrorCode.METHOD_NOT_FOUND, 'This host answers no calls from functions on the queue.');
          answer = { ok: true, value: await request.call(method, args.map(fromWire)) };
        } catch (err) {
          const { code, message } = err as { code?: unknown; message?: unknown };
          answer = { ok: false, code: isErrorCode(code) ? code : ErrorCode.EXECUTION_FAILED, message: String(message ?? err) };
        }
        await client.request('POST', `/v1/runs/${enc(run)}/calls/${n}/answer`, answer).catch(() => undefined);
      }),
  );
}

/** Bytes leave a runner's Python as `{ $bytes: base64 }`: here they are bytes again, as in the browser runtime. */
function fromWire(value: unknown): unknown {
  const encoded = (value as { $bytes?: unknown } | null)?.$bytes;
  if (typeof encoded !== 'string' || Object.keys(value as object).length !== 1) return value;
  return Uint8Array.from(atob(encoded), (c) => c.charCodeAt(0));
}
