/**
 * `slotbridge runner`: claims runs from a registry service over HTTP (a
 * runner token; it never touches the database), unpacks each app version's
 * package once, runs each function in a fresh Python process (forked from its
 * warm interpreter), streams the log
 * and reports while renewing the lease, and finishes the run. Many runners,
 * on one machine or many, share the queues; `stop()` ends the one running
 * child and the loop.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { ErrorCode, isErrorCode } from '../../src/errors/error-code.js';
import { SlotbridgeError } from '../../src/errors/slotbridge-error.js';
import { packageRoot } from '../../src/cli/serve/package-root.js';
import { reportEntry, seriesKey } from '../../src/registry/report-book.js';
import { inflateEntry, readZipDirectory } from '../../src/registry/zip-reader.js';
import { MAX_PACKAGE_BYTES, MAX_PACKAGE_FILES } from '../../src/registry/read-package.js';
import { NODE_CODECS } from '../registry/app-package.js';
import type { Claim } from '../runs/runs.js';
import { canIsolate, DEFAULT_CHILD_LIMITS, PythonChild, pythonProblem, type ChildLimits } from './python-child.js';
import { ServiceRelay } from './service-relay.js';
import { PythonZygote } from './python-zygote.js';
import { codeOf, messageOf } from '../../src/errors/caught.js';
import { textOf } from '../../src/wizard/text-of.js';

export interface RunnerOptions {
  /** The registry service, `http://localhost:8090`. */
  url: string;
  /** A runner token (`sbr_…`). */
  token: string;
  /** The queues it serves (default `["default"]`). */
  queues?: readonly string[];
  /** The Python it runs functions in (default `python3`). */
  python?: string;
  /** Its name in a run's record (default: host name and process id). */
  name?: string;
  /** Limits of each run's child. */
  limits?: Partial<ChildLimits>;
  /** How long one claim waits at the service for a run, ms (default 20 s): a long poll, answered as soon as a run is queued. */
  claimWaitMs?: number;
  /** How long to pause before claiming again after a claim failed (the service away), ms (default 500). */
  pollMs?: number;
  /** Children without network and as `nobody`: `auto` (when root with unshare), `off`. */
  isolate?: 'auto' | 'off';
  /**
   * Apps it runs from a folder of this machine instead of their package, by
   * name (`slotbridge dev`: the files as they are now, copied afresh for each
   * run, dotfiles and `node_modules` left out).
   */
  localApps?: Readonly<Record<string, string>>;
  /** Told of each run it ends (tests, the CLI's lines). */
  onRun?: (event: { run: string; status: string; message?: string }) => void;
}

export interface Runner {
  readonly name: string;
  /** Stops claiming, kills a running child (its run's lease lapses and it runs again elsewhere), resolves when done. */
  stop(): Promise<void>;
}

/** Reports in batches the progress route takes: 1,000 at most, about 2 MB of JSON at most; at least one batch (the log's). */
function slices(reports: Record<string, unknown>[]): Record<string, unknown>[][] {
  const out: Record<string, unknown>[][] = [[]];
  let bytes = 0;
  for (const report of reports) {
    const size = JSON.stringify(report).length;
    const last = out.at(-1)!;
    if (last.length > 0 && (last.length >= 1000 || bytes + size > 2 * 1024 * 1024)) {
      out.push([report]);
      bytes = size;
    } else {
      last.push(report);
      bytes += size;
    }
  }
  return out;
}

const REPORT_KINDS: ReadonlySet<string> = new Set(['scalar', 'log', 'plot', 'image']);

/** Largest call a run's child sends the service through its relay (an artifact's bytes), as the service's artifact route. */
const RELAY_MAX_BODY = 64 * 1024 * 1024;

/** How often a running run's log and reports go to the service (and its lease is renewed), ms at most. */
const FLUSH_MS = 250;

export function startRunner(options: RunnerOptions): Runner {
  if (!/^https?:\/\/[^/]/.test(options.url))
    throw new SlotbridgeError(ErrorCode.BAD_INPUT, 'The runner needs the service URL: --registry http://host:port.');
  if (!/^sbr_/.test(options.token))
    throw new SlotbridgeError(ErrorCode.BAD_INPUT, 'The runner needs a runner token (sbr_…): slotbridge token create --kind runner.');
  const url = options.url.replace(/\/+$/, '');
  const name = options.name ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const queues = options.queues?.length ? [...options.queues] : ['default'];
  const limits = { ...DEFAULT_CHILD_LIMITS, ...options.limits };
  const isolate = options.isolate !== 'off' && canIsolate();
  const python = options.python ?? 'python3';
  const problem = pythonProblem(python, isolate);
  if (problem) throw new SlotbridgeError(ErrorCode.BAD_INPUT, `${problem}; name one with --python (an interpreter every user may run).`);
  // The runner's own folder, readable by the unprivileged children: slotbridge's Python, the unpacked apps, a folder per run.
  const root = mkdtempSync(join(tmpdir(), 'slotbridge-runner-'));
  chmodSync(root, 0o755);
  const lib = join(root, 'lib');
  // A clone's source (what the tests and the dev loop edit), else the package's copy.
  const source = [join(packageRoot(), 'src', 'python', 'py'), join(packageRoot(), 'dist', 'python', 'py')].find((d) => existsSync(d))!;
  cpSync(source, lib, { recursive: true });
  const zygote = new PythonZygote({ python, lib, isolate });
  let stopped = false as boolean;
  let current: PythonChild | undefined;
  let wake: (() => void) | undefined;

  // Aborts a claim waiting at the service when the runner stops.
  const stopping = new AbortController();
  const request = async (method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<unknown> => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${options.token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      ...(signal ? { signal } : {}),
    });
    if (response.headers.get('content-type') === 'application/zip') return new Uint8Array(await response.arrayBuffer());
    const json = (await response.json().catch(() => undefined)) as { code?: unknown; message?: unknown } | undefined;
    if (!response.ok)
      throw new SlotbridgeError(
        isErrorCode(json?.code) ? json.code : ErrorCode.EXECUTION_FAILED,
        typeof json?.message === 'string' ? json.message : `The service answered ${response.status}.`,
      );
    return json;
  };

  /** An app version's files, unpacked once per runner (through the strict zip reader). */
  const appDir = async (claim: Claim): Promise<string> => {
    const local = options.localApps?.[claim.run.app];
    if (local !== undefined) {
      const copy = join(root, 'apps', `${claim.run.app}@local-${randomBytes(4).toString('hex')}`);
      cpSync(local, copy, { recursive: true, filter: (from) => !/(^|[\\/])(\.[^\\/]*|node_modules)$/.test(from.slice(local.length)) });
      chmodSync(copy, 0o755);
      return copy;
    }
    const dir = join(root, 'apps', `${claim.run.app}@${claim.run.version}`);
    if (existsSync(dir)) return dir;
    const zip = (await request(
      'GET',
      `/v1/runs/${encodeURIComponent(claim.run.id)}/package?lease=${encodeURIComponent(claim.lease)}`,
    )) as Uint8Array;
    const partial = `${dir}.${randomBytes(4).toString('hex')}`;
    for (const entry of readZipDirectory(zip, { maxFiles: MAX_PACKAGE_FILES, maxBytes: MAX_PACKAGE_BYTES })) {
      const file = join(partial, entry.name);
      mkdirSync(dirname(file), { recursive: true, mode: 0o755 });
      writeFileSync(file, inflateEntry(zip, entry, NODE_CODECS), { mode: 0o644 });
    }
    mkdirSync(dirname(dir), { recursive: true, mode: 0o755 });
    chmodSync(partial, 0o755);
    if (existsSync(dir)) rmSync(partial, { recursive: true, force: true });
    else renameSync(partial, dir);
    return dir;
  };

  const execute = async (claim: Claim): Promise<void> => {
    const { run, lease } = claim;
    const path = `/v1/runs/${encodeURIComponent(run.id)}`;
    let log = '';
    let reports: Record<string, unknown>[] = [];
    const counts = new Map<string, number>();
    let flushing = Promise.resolve();
    let lost: string | undefined;
    const flush = () =>
      (flushing = flushing.then(async () => {
        if (lost) return;
        const text = log;
        const sending = reports;
        if (!text && sending.length === 0) return;
        log = '';
        reports = [];
        try {
          // The route takes 1,000 reports and 4 MB a call: a burst goes in slices, the log with the first.
          for (const [i, slice] of slices(sending).entries()) {
            const body = { lease, ...(i === 0 && text ? { log: text } : {}), ...(slice.length ? { reports: slice } : {}) };
            const { cancel } = (await request('POST', `${path}/progress`, body)) as { cancel: boolean };
            if (cancel) child?.stop('CANCELLED', 'The run was cancelled.');
          }
        } catch (err) {
          const code = codeOf(err);
          const message = messageOf(err);
          // A lapsed lease is another runner's run now; any other refusal (the log cap...) ends this run with it.
          if (code === ErrorCode.CONFLICT) lost = message;
          child?.stop(code ?? 'EXECUTION_FAILED', message);
        }
      }));
    const ticker = setInterval(() => void flush(), FLUSH_MS);
    // The lease is renewed on its own beat, never queued behind a slow batch of reports.
    const beat = setInterval(
      () =>
        void request('POST', `${path}/progress`, { lease }).then(
          (answer) => (answer as { cancel: boolean }).cancel && child?.stop('CANCELLED', 'The run was cancelled.'),
          (err: unknown) => {
            if (codeOf(err) !== ErrorCode.CONFLICT) return;
            lost = messageOf(err);
            child?.stop(ErrorCode.CONFLICT, lost);
          },
        ),
      Math.max(claim.leaseMs / 3, 100),
    );
    let child: PythonChild | undefined;
    let relay: ServiceRelay | undefined;
    let files: string | undefined;
    try {
      const module = claim.module;
      const file = module.entryPoint;
      if (typeof file !== 'string')
        throw new SlotbridgeError(ErrorCode.BAD_INPUT, `${module.name} has no entryPoint: a runner runs Python modules only.`);
      const dir = (files = await appDir(claim));
      const workDir = mkdtempSync(join(root, 'run-'));
      chmodSync(workDir, 0o755);
      relay = await ServiceRelay.open(join(workDir, 'service.sock'), url, RELAY_MAX_BODY);
      child = current = new PythonChild(
        {
          appDir: dir,
          workDir,
          file,
          moduleName: file.replace(/^.*\//, '').replace(/\.py$/i, ''),
          className: typeof module.className === 'string' ? module.className : undefined,
          initInputs: initValues(module),
          functions: module.functions.map((f) => f.name),
          function: run.function,
          inputs: claim.inputs,
          settings: claim.settings,
          context: { app: run.app, project: run.project, run: run.id },
        },
        {
          zygote,
          limits,
          isolate,
          env: { SLOTBRIDGE_RUN: run.id, SLOTBRIDGE_RUN_TOKEN: claim.token, SLOTBRIDGE_SERVICE: relay.path },
          onLog: (text) => onLog(text),
          onReport: (kind, args) => addReport(kind, args),
        },
      );
      const onLog = (text: string) => {
        log += text;
        // print() lines are log reports too, as in the browser runtime.
        for (const line of text.split('\n').filter(Boolean)) addReport('log', [line]);
      };
      const addReport = (kind: string, args: unknown[]) => {
        if (!REPORT_KINDS.has(kind)) return;
        const fields = reportEntry(kind, kind === 'log' ? [textOf(args[0] ?? '').slice(0, 100_000)] : args);
        // Marked with its attempt: a lost attempt's reports stay, told apart from the run's last.
        const report = { kind, panel: module.name, time: Date.now(), execution: run.id, attempt: run.attempt, ...fields };
        const series = seriesKey(report);
        const n = (counts.get(series) ?? 0) + 1;
        counts.set(series, n);
        reports.push({ ...report, series, n });
      };
      // Where it runs, first in its log and its app's dashboard: which runner, which attempt.
      onLog(`[slotbridge] runner ${name}: ${run.module}.${run.function}, run ${run.id}, attempt ${run.attempt}\n`);
      // Sent while the interpreter starts, not after the function.
      void flush();
      if (lost) child.stop('CONFLICT', lost);
      const { outcome, exit } = await child.done;
      await relay.close();
      clearInterval(ticker);
      clearInterval(beat);
      // A stopped runner finishes nothing: the run's lease lapses and it runs again elsewhere.
      if (stopped) return;
      // The traceback is the app's log too, as in the browser runtime.
      if (!outcome.ok && outcome.traceback) onLog(outcome.traceback);
      await flush();
      await flushing;
      rmSync(workDir, { recursive: true, force: true });
      if (lost) return options.onRun?.({ run: run.id, status: 'lost', message: lost });
      const ended = (await request('POST', `${path}/finish`, {
        lease,
        outcome: outcome.ok
          ? { status: 'succeeded', result: outcome.value ?? null, exit: exit ?? 0 }
          : {
              status: 'failed',
              error: { code: outcome.code, message: outcome.message, ...(outcome.traceback ? { traceback: outcome.traceback } : {}) },
              exit,
            },
      })) as { status: string; error: { message?: string } | null };
      options.onRun?.({ run: run.id, status: ended.status, ...(ended.error?.message ? { message: ended.error.message } : {}) });
    } catch (err) {
      clearInterval(ticker);
      clearInterval(beat);
      await flushing;
      const message = (err as Error).message;
      await request('POST', `${path}/finish`, {
        lease,
        outcome: { status: 'failed', error: { code: 'EXECUTION_FAILED', message }, exit: null },
      }).catch(() => undefined);
      options.onRun?.({ run: run.id, status: 'failed', message });
    } finally {
      current = undefined;
      await relay?.close();
      // A local app's copy is this run's only.
      if (files !== undefined && options.localApps?.[run.app] !== undefined) rmSync(files, { recursive: true, force: true });
    }
  };

  const loop = (async () => {
    while (!stopped) {
      let claim: Claim | null = null;
      let failed = false;
      try {
        const body = { queues, runner: name, wait: options.claimWaitMs ?? 20_000 };
        ({ claim } = (await request('POST', '/v1/runs/claim', body, stopping.signal)) as { claim: Claim | null });
      } catch {
        // The service is away: try again after a pause.
        failed = true;
      }
      if (claim) await execute(claim);
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- stop() may have run while the claim was awaited
      else if (failed && !stopped) await new Promise<void>((resolve) => ((wake = resolve), setTimeout(resolve, options.pollMs ?? 500)));
    }
  })();

  return {
    name,
    async stop() {
      stopped = true;
      stopping.abort();
      wake?.();
      current?.stop('CANCELLED', 'The runner stopped.');
      await loop;
      zygote.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** A Dataloop module's init inputs: their declared values. */
function initValues(module: Claim['module']): Record<string, unknown> {
  const declared = (module as { initInputs?: unknown }).initInputs;
  if (!Array.isArray(declared)) return {};
  return Object.fromEntries(
    declared
      .filter(
        (p): p is { name: string; value?: unknown } =>
          typeof p === 'object' && p !== null && typeof (p as { name?: unknown }).name === 'string',
      )
      .filter((p) => p.value !== undefined)
      .map((p) => [p.name, p.value]),
  );
}
