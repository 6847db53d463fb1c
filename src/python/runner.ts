/**
 * The page of a Python module frame (`slotbridge-python.html`, served by the
 * platform beside Pyodide). It connects to the host as any module does and
 * runs the interpreter in a worker of its own opaque origin, off every
 * page's main thread. Python's `js` is that worker's global: nothing of the
 * host page, its origin or another app.
 */
import { connect } from '../guest/connect.js';
import type { GuestHost } from '../guest/guest-host.js';
import { ErrorCode } from '../errors/error-code.js';
import { SlotbridgeError } from '../errors/slotbridge-error.js';
import { toWireError } from '../errors/wire.js';
import { PythonModuleConfig } from './module-config.js';
import type { PythonFailure, ToRunner, ToWorker } from './worker-messages.js';

/** What Python may reach of the host: these services, and the platform's api. */
const SERVICES: Readonly<Record<string, readonly string[]>> = {
  storage: ['get', 'set', 'remove', 'keys'],
  settings: ['get', 'set'],
  events: ['emit'],
  artifacts: ['list', 'read'],
  functions: ['execute'],
  ui: ['notify'],
};
const REPORTS: ReadonlySet<string> = new Set(['scalar', 'log', 'plot', 'image']);
/** The most arguments a call or report takes, as the host's router allows. */
const MAX_ARGS = 32;

const config = PythonModuleConfig.parse(JSON.parse(new URLSearchParams(location.search).get('module') ?? 'null'));
const base = new URL('.', import.meta.url).href;

let host: GuestHost | undefined;
let nextRun = 0;
const runs = new Map<number, { resolve(value: unknown): void; reject(error: unknown): void }>();
/** Reports in flight: a function's result waits for the reports it made. */
let reports: Promise<unknown> = Promise.resolve();

let worker: Worker | undefined;
let start!: () => void;
let cannotStart!: (error: unknown) => void;
const started = new Promise<void>((resolve, reject) => ((start = resolve), (cannotStart = reject)));
// A module that cannot load fails each call with why; no rejection is left unhandled meanwhile.
started.catch(() => undefined);

host = await connect({
  functions: Object.fromEntries(config.functions.map((name) => [name, (inputs: Record<string, unknown>) => run(name, inputs)])),
});
try {
  const [source, made] = await Promise.all([fetchSource(), startWorker()]);
  worker = made;
  // The worker runs the app's own code, which can post anything here: what is not a message of ours is dropped.
  worker.addEventListener('message', ({ data }: MessageEvent<ToRunner>) => {
    if (typeof data !== 'object' || data === null) return;
    if (data.type === 'started') start();
    else if (data.type === 'failed') cannotStart(failed(data.failure));
    else onMessage(data);
  });
  // A worker that cannot start (a script that fails to load) says so only here.
  worker.addEventListener('error', (event) => {
    event.preventDefault();
    cannotStart(new SlotbridgeError(ErrorCode.EXECUTION_FAILED, `The Python worker failed: ${event.message || 'its script did not load'}.`));
  });
  post({ type: 'start', indexURL: base, pyBase: new URL('py/', base).href, source, filename: config.entry.split('/').pop()!, config });
  // The settings and context a run sees, kept current by the host's events rather than asked for on each call.
  let settings = await host.settings.get().catch(() => ({}));
  const state = () => post({ type: 'state', settings, context: host!.context });
  host.on('settings', (next) => ((settings = next), state()));
  host.on('context', state);
  state();
} catch (err) {
  cannotStart(err);
}

async function startWorker(): Promise<Worker> {
  // An opaque origin cannot start a worker from another origin's URL, nor a module worker from its own blob: a data: URL
  // of the worker script (served with CORS) starts one, in an opaque origin of its own.
  const response = await fetch(new URL('slotbridge-python-worker.js', base));
  if (!response.ok) throw new SlotbridgeError(ErrorCode.EXECUTION_FAILED, `slotbridge-python-worker.js is not served beside slotbridge-python.html (${response.status}); copy it from slotbridge's dist/python/.`);
  const url = `data:text/javascript;charset=utf-8,${encodeURIComponent(await response.text())}`;
  return new Worker(url, { type: 'module', name: `python ${config.module}` });
}

async function fetchSource(): Promise<string> {
  const response = await fetch(config.entry);
  if (!response.ok) throw new SlotbridgeError(ErrorCode.EXECUTION_FAILED, `The module's entry point ${config.entry} answered ${response.status}.`);
  return response.text();
}

async function run(name: string, inputs: Record<string, unknown>): Promise<unknown> {
  await started;
  const id = nextRun++;
  const result = new Promise((resolve, reject) => runs.set(id, { resolve, reject }));
  post({ type: 'run', id, name, inputs });
  try {
    return await result;
  } finally {
    await reports;
  }
}

function onMessage(message: Exclude<ToRunner, { type: 'started' | 'failed' }>): void {
  if (message.type === 'result') {
    const pending = runs.get(message.id);
    runs.delete(message.id);
    if (message.ok) pending?.resolve(message.value);
    else pending?.reject(failed(message.failure));
  } else if (message.type === 'report') {
    if (!REPORTS.has(message.kind) || !Array.isArray(message.args) || message.args.length > MAX_ARGS) return;
    const report = host!.report[message.kind as 'log'] as (...args: unknown[]) => Promise<void>;
    reports = Promise.all([reports, report(...message.args).catch(() => undefined)]);
  } else if (message.type === 'call') {
    void answer(message.id, message.path, message.args);
  }
}

async function answer(id: number, path: string[], args: unknown[]): Promise<void> {
  try {
    post({ type: 'answer', id, ok: true, value: await call(path, args) });
  } catch (err) {
    const { code, message } = toWireError(err);
    post({ type: 'answer', id, ok: false, code, message });
  }
}

/** `api.<namespace>.<method>` or one of the services; nothing else, and no prototype is walked. */
function call(path: string[], args: unknown[]): Promise<unknown> {
  // Bounded before anything spreads them: a list's length costs its sender nothing.
  if (!Array.isArray(path) || path.length > 3 || !Array.isArray(args) || args.length > MAX_ARGS || !path.every((p) => typeof p === 'string')) {
    throw new SlotbridgeError(ErrorCode.BAD_INPUT, `A call names its method as a list of at most 3 names, with at most ${MAX_ARGS} arguments.`);
  }
  const [root, ...rest] = path;
  if (root === 'api' && rest.length === 2) return (host!.api as Record<string, Record<string, (...a: unknown[]) => Promise<unknown>>>)[rest[0]!]![rest[1]!]!(...args);
  if (root !== undefined && rest.length === 1 && Object.hasOwn(SERVICES, root) && SERVICES[root]!.includes(rest[0]!)) {
    const service = host![root as 'storage'] as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
    return service[rest[0]!]!(...args);
  }
  throw new SlotbridgeError(ErrorCode.METHOD_NOT_FOUND, `slotbridge.${path.join('.')} is not something a Python module can call; see docs/python.md.`);
}

/** A Python exception: `EXECUTION_FAILED` with its type and message; the traceback goes to the app's own log. */
function failed(failure: PythonFailure): SlotbridgeError {
  const { type, message, traceback } = (failure ?? {}) as Partial<PythonFailure>;
  if (traceback) reports = Promise.all([reports, host?.report.log(String(traceback)).catch(() => undefined)]);
  return new SlotbridgeError(ErrorCode.EXECUTION_FAILED, `${String(type)}: ${String(message).slice(0, 2000)}`);
}

function post(message: ToWorker): void {
  worker!.postMessage(message);
}
