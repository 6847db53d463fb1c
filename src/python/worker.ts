/**
 * The worker of a Python module frame: loads Pyodide from the platform's
 * `indexURL` (packages too, never from elsewhere), slotbridge's Python files
 * (the `slotbridge` module and the compatibility modules), then the app's
 * module, and runs its functions one message at a time. Built as one file:
 * the runner starts it from a blob, where relative imports resolve nowhere.
 */
import type { PythonFailure, ToRunner, ToWorker } from './worker-messages.js';

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

interface PyodideLike {
  FS: { mkdirTree(path: string): void; writeFile(path: string, data: string): void };
  registerJsModule(name: string, module: object): void;
  pyimport(name: string): Record<string, (...args: unknown[]) => unknown>;
  runPython(code: string): unknown;
  toPy(value: unknown): unknown;
  loadPackagesFromImports(code: string, options: { messageCallback(message: string): void; errorCallback(message: string): void }): Promise<unknown>;
}

const scope = self as unknown as { postMessage(message: ToRunner): void; addEventListener(type: 'message', fn: (event: MessageEvent<ToWorker>) => void): void };
const post = (message: ToRunner) => scope.postMessage(message);
let runner: Record<string, (...args: unknown[]) => unknown> | undefined;
let entry: Record<'run' | 'set_state', (...args: unknown[]) => unknown>;
let py: PyodideLike | undefined;
let nextCall = 0;
const calls = new Map<number, (answer: Extract<ToWorker, { type: 'answer' }>) => void>();
/** One function at a time, as one interpreter runs them. */
let queue: Promise<unknown> = Promise.resolve();

/** The newest settings and context from the host, handed to Python before the next run. */
let state: Extract<ToWorker, { type: 'state' }> | undefined;

scope.addEventListener('message', ({ data }) => {
  if (data.type === 'start') void start(data);
  else if (data.type === 'state') state = data;
  else if (data.type === 'run') queue = queue.then(() => run(data));
  else if (data.type === 'answer') {
    calls.get(data.id)?.(data);
    calls.delete(data.id);
  }
});

async function start({ indexURL, pyBase, source, filename, config }: Extract<ToWorker, { type: 'start' }>): Promise<void> {
  try {
    const { loadPyodide } = (await import(/* @vite-ignore */ `${indexURL}pyodide.mjs`)) as { loadPyodide(options: object): Promise<PyodideLike> };
    const report = (kind: string, args: unknown[]) => post({ type: 'report', kind, args });
    // Packages come from the platform's folder, never from Pyodide's CDN (its default when no base is given).
    py = await loadPyodide({ indexURL, packageBaseUrl: indexURL, lockFileURL: `${indexURL}pyodide-lock.json`, stdout: (line: string) => report('log', [line]), stderr: (line: string) => report('log', [line]) });
    const files = await Promise.all(PY_FILES.map(async (file) => [file, await (await fetch(new URL(file, pyBase))).text()] as const));
    for (const [file, text] of files) {
      py.FS.mkdirTree(`${LIB}/${file.split('/').slice(0, -1).join('/')}`);
      py.FS.writeFile(`${LIB}/${file}`, text);
    }
    py.registerJsModule('_slotbridge_js', {
      report,
      // Resolves with { ok, value } or { ok: false, code, message }: Python raises HostError from the second.
      call: (path: unknown, args: unknown) =>
        new Promise((resolve) => {
          const id = nextCall++;
          calls.set(id, resolve);
          post({ type: 'call', id, path: path as string[], args: args as unknown[] });
        }),
    });
    py.runPython(`import sys\nsys.path.insert(0, ${JSON.stringify(LIB)})`);
    // Packages the module imports, from the platform's indexURL only; what failed to load is named if the import fails.
    const missing: string[] = [];
    await py.loadPackagesFromImports(source, { messageCallback: () => undefined, errorCallback: (message) => missing.push(message) });
    runner = py.pyimport('_slotbridge_runner');
    // Each read of a Python attribute makes a proxy: the runner's entry points are read once.
    entry = { run: runner['run'] as never, set_state: runner['set_state'] as never };
    const failure = runner['load']!(source, filename, config.module, config.className ?? null, py.toPy(config.initInputs), missing.join(' '), py.toPy(config.functions)) as PythonFailure | undefined;
    post(failure ? { type: 'failed', failure: plain(failure) } : { type: 'started' });
  } catch (err) {
    post({ type: 'failed', failure: { type: (err as Error)?.name ?? 'Error', message: (err as Error)?.message ?? String(err), traceback: '' } });
  }
}

async function run({ id, name, inputs }: Extract<ToWorker, { type: 'run' }>): Promise<void> {
  if (state) {
    withPy([state.settings, state.context], (settings, context) => entry['set_state'](settings, context));
    state = undefined;
  }
  // A plain function answers at once; an async one (or one that left host calls running) answers an awaitable.
  let answer: unknown;
  withPy([inputs], (pyInputs) => (answer = entry['run'](name, pyInputs)));
  const outcome = (await answer) as { ok: boolean; value?: unknown } & PythonFailure;
  (answer as { destroy?(): void }).destroy?.();
  post(outcome.ok ? { type: 'result', id, ok: true, value: outcome.value } : { type: 'result', id, ok: false, failure: plain(outcome) });
}

/** Calls `fn` with `values` as Python objects, and lets go of the proxies after: each would hold its Python object until collected. */
function withPy(values: unknown[], fn: (...proxies: unknown[]) => void): void {
  const proxies = values.map((value) => py!.toPy(value) as { destroy?(): void });
  try {
    fn(...proxies);
  } finally {
    for (const proxy of proxies) proxy?.destroy?.();
  }
}

function plain(failure: PythonFailure): PythonFailure {
  return { type: String(failure.type), message: String(failure.message), traceback: String(failure.traceback ?? '') };
}
