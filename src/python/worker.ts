/**
 * The worker of a Python module frame, and the module's guest: it connects
 * to the host itself (its page relays the handshake and hands over nothing
 * else), loads Pyodide from the platform's `indexURL` (packages too, never
 * from elsewhere), slotbridge's Python files (the `slotbridge` module and the
 * compatibility modules), then the app's module, and runs its functions one
 * at a time. Python's `js` is this worker's global: nothing of the host page,
 * its origin or another app. Built as one file: the runner starts it from a
 * `data:` URL, where relative imports resolve nowhere.
 */
import { connectThrough } from '../guest/connect.js';
import type { GuestHost } from '../guest/guest-host.js';
import { BUILTIN_METHODS, MAX_ARGS, type BuiltinMethods } from '../bridge/protocol.js';
import { ErrorCode } from '../errors/error-code.js';
import { SlotbridgeError } from '../errors/slotbridge-error.js';
import { toWireError } from '../errors/wire.js';
import type { PythonModuleConfig } from './module-config.js';
import { RelayedMessenger } from '../bridge/native/relayed-messenger.js';
import { INTERPRETER_LOST, type PythonFailure, type ToRunner, type ToWorker } from './worker-messages.js';
import { messageOf } from '../errors/caught.js';

/** slotbridge's Python files, under `pyBase`. */
const PY_FILES = [
  'slotbridge/__init__.py',
  '_slotbridge_runner.py',
  'dioptra/__init__.py',
  'dioptra/pyplugs.py',
  'dioptra/sdk/__init__.py',
  'dioptra/sdk/api/__init__.py',
  'dioptra/sdk/api/artifact.py',
  'structlog/__init__.py',
  'structlog/stdlib.py',
  'clearml/__init__.py',
  'dtlpy/__init__.py',
  'dtlpy/entities.py',
];
const LIB = '/home/pyodide/slotbridge-lib';

/** What Python may reach of the host: these of the built-ins (a module has no window to open or size), and the platform's api. */
const SERVICES: Readonly<Record<string, readonly string[]>> = {
  storage: BUILTIN_METHODS.storage,
  settings: BUILTIN_METHODS.settings,
  events: ['emit'] satisfies BuiltinMethods['events'][number][],
  artifacts: BUILTIN_METHODS.artifacts,
  functions: BUILTIN_METHODS.functions,
  ui: ['notify'] satisfies BuiltinMethods['ui'][number][],
};
const REPORTS: ReadonlySet<string> = new Set(['scalar', 'log', 'plot', 'image']);

interface PyProxy {
  /** The Python type's name. */
  type: string;
  toJs(options: object): unknown;
  destroy(): void;
}

/** A coroutine's proxy is awaitable: Pyodide runs it on the event loop. */
type PyCoroutine = PyProxy & PromiseLike<unknown>;

interface PyodideLike {
  ffi: { PyProxy: abstract new () => PyProxy };
  FS: { mkdirTree(path: string): void; writeFile(path: string, data: string): void };
  registerJsModule(name: string, module: object): void;
  pyimport(name: string): Record<string, (...args: unknown[]) => unknown>;
  runPython(code: string): unknown;
  loadPackagesFromImports(
    code: string,
    options: { messageCallback(message: string): void; errorCallback(message: string): void },
  ): Promise<unknown>;
}

const scope = self as unknown as {
  postMessage(message: ToRunner, transfer: Transferable[]): void;
  addEventListener(type: 'message', fn: (event: MessageEvent<unknown>) => void): void;
};
const messenger = new RelayedMessenger((message, transfer) => scope.postMessage({ type: 'handshake', message }, transfer));

let py: PyodideLike | undefined;
let entry: Record<'run' | 'set_state', (...args: unknown[]) => unknown>;
let connected: Promise<GuestHost> | undefined;
/** Pyodide, slotbridge's files, the module and the app's settings: what the first run waits for. */
let ready: Promise<void> | undefined;
/** One function at a time, as one interpreter runs them. */
let queue: Promise<unknown> = Promise.resolve();
/** Reports in flight: a function's result waits for the reports it made. */
let reports: Promise<unknown> = Promise.resolve();
/** The newest settings and context from the host, handed to Python before the next run. */
const state: { settings: unknown; context: unknown; changed: boolean } = { settings: {}, context: {}, changed: true };

scope.addEventListener('message', (event) => {
  const data = event.data as ToWorker | null;
  if (data?.type === 'handshake') messenger.receive(data.message);
  else if (data?.type === 'start' && !connected) start(data);
});

function start({ indexURL, pyBase, channel, config }: Extract<ToWorker, { type: 'start' }>): void {
  const run = (name: string) => (inputs: Record<string, unknown>) => call(name, inputs);
  connected = connectThrough(messenger, channel, { functions: Object.fromEntries(config.functions.map((name) => [name, run(name)])) });
  // Pyodide loads while the handshake goes on: the cold start is mostly its download and compile.
  ready = Promise.all([load(indexURL, pyBase, config), connected.then(watchState)]).then(() => undefined);
  // A module that cannot load fails each call with why; no rejection is left unhandled meanwhile.
  ready.catch(() => undefined);
}

/** The settings and context a run sees, kept current by the host's events rather than asked for on each call. */
async function watchState(host: GuestHost): Promise<void> {
  let heard = false as boolean;
  host.on('settings', (settings: unknown) => {
    heard = true;
    Object.assign(state, { settings, changed: true });
  });
  host.on('context', (context: unknown) => Object.assign(state, { context, changed: true }));
  state.context = host.context;
  const saved = await host.settings.get().catch(() => ({}));
  // A change heard meanwhile is newer than what the host read.
  if (!heard) Object.assign(state, { settings: saved, changed: true });
}

/** A report (scalar, log, plot, image), sent in order once connected; the run that made it answers after it. */
function report(kind: string, args: unknown[]): void {
  if (!REPORTS.has(kind) || !Array.isArray(args) || args.length > MAX_ARGS) return;
  const sent = connected!.then((host) => {
    const send = host.report as unknown as Record<string, (...a: unknown[]) => Promise<void>>;
    return send[kind](...args);
  });
  reports = Promise.all([reports, sent.catch(() => undefined)]);
}

async function load(indexURL: string, pyBase: string, config: PythonModuleConfig): Promise<void> {
  let failure: PythonFailure | undefined;
  try {
    // The module's source and slotbridge's Python files come while Pyodide loads.
    const fetched = Promise.all([
      fetchSource(config.entry),
      Promise.all(PY_FILES.map(async (file) => [file, await (await fetch(new URL(file, pyBase))).text()] as const)),
    ]);
    fetched.catch(() => undefined);
    const { loadPyodide } = (await import(/* @vite-ignore */ `${indexURL}pyodide.mjs`)) as {
      loadPyodide: (options: object) => Promise<PyodideLike>;
    };
    // Packages come from the platform's folder, never from Pyodide's CDN (its default when no base is given).
    py = await loadPyodide({
      indexURL,
      packageBaseUrl: indexURL,
      lockFileURL: `${indexURL}pyodide-lock.json`,
      stdout: (line: string) => report('log', [line]),
      stderr: (line: string) => report('log', [line]),
    });
    const [source, files] = await fetched;
    for (const [file, text] of files) {
      py.FS.mkdirTree(`${LIB}/${file.split('/').slice(0, -1).join('/')}`);
      py.FS.writeFile(`${LIB}/${file}`, text);
    }
    // Resolves with { ok, value } or { ok: false, code, message }: Python raises HostError from the second.
    py.registerJsModule('_slotbridge_js', { report, call: (path: unknown, args: unknown) => hostCall(path, args) });
    py.runPython(`import sys\nsys.path.insert(0, ${JSON.stringify(LIB)})`);
    // Packages the module imports, from the platform's indexURL only; what failed to load is named if the import fails.
    const missing: string[] = [];
    await py.loadPackagesFromImports(source, { messageCallback: () => undefined, errorCallback: (message) => missing.push(message) });
    const runner = py.pyimport('_slotbridge_runner');
    // Each read of a Python attribute makes a proxy: the runner's entry points are read once.
    entry = { run: runner['run'], set_state: runner['set_state'] };
    const loaded = runner['load'](
      source,
      config.entry.split('/').pop()!,
      config.module,
      config.className ?? null,
      config.initInputs,
      missing.join(' '),
      config.functions,
    );
    if (isProxy(loaded)) failure = plainOf(loaded) as PythonFailure;
  } catch (err) {
    if (err instanceof SlotbridgeError) throw err;
    failure = { type: err instanceof Error ? err.name : 'Error', message: messageOf(err), traceback: '' };
  }
  if (failure) throw failed(failure);
}

async function fetchSource(entryUrl: string): Promise<string> {
  const response = await fetch(entryUrl);
  if (!response.ok)
    throw new SlotbridgeError(ErrorCode.EXECUTION_FAILED, `The module's entry point ${entryUrl} answered ${response.status}.`);
  return response.text();
}

/** A function the host invoked: queued behind the one running, answered after the reports it made. */
function call(name: string, inputs: Record<string, unknown>): Promise<unknown> {
  const result = queue
    .then(() => runPython(name, inputs))
    .catch((err: unknown) => {
      // A stack overflow in the interpreter (freeing a list nested 100,000 deep does it) is fatal to Pyodide, which
      // then refuses every call: say so, and the host starts the module afresh.
      if (!(err instanceof SlotbridgeError) && !interpreterAlive()) {
        throw new SlotbridgeError(
          ErrorCode.EXECUTION_FAILED,
          `${INTERPRETER_LOST} (${messageOf(err).slice(0, 500)}); the module starts afresh at its next call.`,
        );
      }
      throw err;
    });
  queue = result.catch(() => undefined);
  return result.finally(() => reports);
}

/** Whether Pyodide still runs code: after a fatal error every call throws. */
function interpreterAlive(): boolean {
  try {
    py?.runPython('None');
    return true;
  } catch {
    return false;
  }
}

async function runPython(name: string, inputs: Record<string, unknown>): Promise<unknown> {
  await ready;
  if (state.changed) {
    entry['set_state'](state.settings, state.context);
    state.changed = false;
  }
  // Python converts what it is given itself, once; a value it returns is a JavaScript one unless a dict or a list.
  let value = entry['run'](name, asJson(inputs) ?? inputs);
  if (isProxy(value) && value.type === 'coroutine') {
    const coroutine = value as PyCoroutine;
    try {
      value = await coroutine;
    } finally {
      coroutine.destroy();
    }
  }
  if (!isProxy(value)) return value;
  const failure = value.type === 'Failure';
  const plain = plainOf(value);
  if (failure) throw failed(plain);
  return plain;
}

/** A Python value as plain JavaScript, its proxy let go. */
function plainOf(proxy: PyProxy): unknown {
  try {
    return proxy.toJs({ dict_converter: Object.fromEntries, create_pyproxies: false });
  } finally {
    proxy.destroy();
  }
}

/**
 * Plain data as JSON text, which Python reads far faster than it walks a
 * proxy; undefined when `value` holds anything JSON would change (bytes, a
 * date, a number JSON has no word for): that is handed over as it is.
 */
function asJson(value: unknown): string | undefined {
  let plain = true as boolean;
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) !== Object.prototype) plain = false;
    else if (typeof v === 'number' && !Number.isFinite(v)) plain = false;
    return v;
  });
  return plain ? text : undefined;
}

function isProxy(value: unknown): value is PyProxy {
  return value instanceof py!.ffi.PyProxy;
}

/** `api.<namespace>.<method>` or one of the services, for Python: `{ ok, value }` or the error's code and message. */
async function hostCall(
  path: unknown,
  args: unknown,
): Promise<{ ok: true; value: unknown } | { ok: false; code: string; message: string }> {
  try {
    return { ok: true, value: await route(path, args) };
  } catch (err) {
    const { code, message } = toWireError(err);
    return { ok: false, code, message };
  }
}

/** Nothing but the api and the services is reached, and no prototype is walked. */
async function route(path: unknown, args: unknown): Promise<unknown> {
  // Bounded before anything spreads them: a list's length costs its sender nothing.
  if (
    !Array.isArray(path) ||
    path.length > 3 ||
    !Array.isArray(args) ||
    args.length > MAX_ARGS ||
    !path.every((p) => typeof p === 'string')
  ) {
    throw new SlotbridgeError(
      ErrorCode.BAD_INPUT,
      `A call names its method as a list of at most 3 names, with at most ${MAX_ARGS} arguments.`,
    );
  }
  const host = await connected!;
  const [root, ...rest] = path;
  const list = args as unknown[];
  if (root === 'api' && rest.length === 2)
    return (host.api as Record<string, Record<string, (...a: unknown[]) => Promise<unknown>>>)[rest[0]][rest[1]](...list);
  if (rest.length === 1 && Object.hasOwn(SERVICES, root) && SERVICES[root].includes(rest[0])) {
    const service = host[root as 'storage'] as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
    return service[rest[0]](...list);
  }
  throw new SlotbridgeError(
    ErrorCode.METHOD_NOT_FOUND,
    `slotbridge.${path.join('.')} is not something a Python module can call; see docs/python.md.`,
  );
}

/** A Python exception: `EXECUTION_FAILED` with its type and message; the traceback goes to the app's own log. */
function failed(failure: unknown): SlotbridgeError {
  const { type, message, traceback } = (failure ?? {}) as Partial<PythonFailure>;
  if (traceback) report('log', [traceback]);
  return new SlotbridgeError(ErrorCode.EXECUTION_FAILED, `${String(type)}: ${String(message).slice(0, 2000)}`);
}
