/**
 * One run in a fresh system Python: a child process of its own (its own
 * process group, killed whole), limited (address space, CPU seconds, file
 * size, set by the child on itself before any app code; wall-clock time and
 * output bytes watched here), given no credentials and, where the runner may
 * (root with `unshare`), no network and an unprivileged user; its run's own
 * token is all it holds. Its reports and
 * result come on fd 3 as JSON lines; its stdout and stderr are the log.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ChildLimits {
  /** Wall-clock time, ms. */
  timeoutMs: number;
  /** Address space, bytes (RLIMIT_AS). */
  memoryBytes: number;
  /** CPU time, seconds (RLIMIT_CPU). */
  cpuSeconds: number;
  /** Largest file the function may write, bytes (RLIMIT_FSIZE). */
  fileBytes: number;
  /** Bytes of stdout and stderr together. */
  logBytes: number;
  /** Bytes of reports and result on fd 3. */
  messageBytes: number;
}

export const DEFAULT_CHILD_LIMITS: ChildLimits = {
  timeoutMs: 10 * 60_000,
  memoryBytes: 2 * 1024 ** 3,
  cpuSeconds: 10 * 60,
  fileBytes: 256 * 1024 ** 2,
  logBytes: 1024 * 1024,
  messageBytes: 64 * 1024 * 1024,
};

export interface ChildJob {
  appDir: string;
  workDir: string;
  file: string;
  moduleName: string;
  className?: string | undefined;
  initInputs?: Record<string, unknown> | undefined;
  functions: string[];
  function: string;
  inputs: Record<string, unknown>;
  settings: unknown;
  context: Record<string, unknown>;
}

export type ChildMessage =
  | { t: 'report'; kind: string; args: unknown[] }
  | { t: 'result'; value: unknown }
  | { t: 'failure'; type: string; message: string; traceback: string };

export interface ChildOutcome {
  /** The function's result, or its failure (Python's, or the runner's reason: a limit, a signal). */
  outcome: { ok: true; value: unknown } | { ok: false; code: string; message: string; traceback?: string };
  exit: number | null;
}

/** The unprivileged user a root runner's children run as. */
const NOBODY = 65534;

export interface ChildOptions {
  python: string;
  lib: string;
  limits: ChildLimits;
  isolate: boolean;
  /** What the child is told of its run (its own token, the relay's socket): added to its otherwise empty environment. */
  env: Record<string, string>;
  onLog(text: string): void;
  onReport(kind: string, args: unknown[]): void;
}

export class PythonChild {
  readonly done: Promise<ChildOutcome>;
  #kill: (code: string, message: string) => void = () => undefined;

  constructor(job: ChildJob, options: ChildOptions) {
    this.done = this.#run(job, options);
  }

  /** Stops the run (cancelled, or the lease lost): the whole process group. */
  stop(code: string, message: string): void {
    this.#kill(code, message);
  }

  async #run(job: ChildJob, options: ChildOptions): Promise<ChildOutcome> {
    const { limits } = options;
    const jobFile = join(job.workDir, 'job.json');
    writeFileSync(
      jobFile,
      JSON.stringify({
        ...job,
        limits: { memory: limits.memoryBytes, cpu: limits.cpuSeconds, fileSize: limits.fileBytes },
      }),
    );
    const boot = `import sys; sys.path.insert(0, ${JSON.stringify(options.lib)}); import _slotbridge_native as n; sys.exit(n.main())`;
    const python = [options.python, '-I', '-c', boot, jobFile];
    let command = python;
    if (options.isolate) {
      chownSync(job.workDir, NOBODY, NOBODY);
      chownSync(jobFile, NOBODY, NOBODY);
      command = isolated(python);
    }
    const child = spawn(command[0]!, command.slice(1), {
      cwd: job.workDir,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
      // Nothing of the runner's environment (its token least of all): the run's own token only.
      env: {
        ...options.env,
        PATH: process.env['PATH'] ?? '/usr/bin:/bin',
        HOME: job.workDir,
        LANG: 'C.UTF-8',
        MPLBACKEND: 'Agg',
        MPLCONFIGDIR: job.workDir,
        OPENBLAS_NUM_THREADS: '1',
        PYTHONDONTWRITEBYTECODE: '1',
        PYTHONUNBUFFERED: '1',
      },
    });
    let closed = false;
    const allRead = new Promise<void>((resolve) => child.once('close', () => ((closed = true), resolve())));
    let reason: { code: string; message: string } | undefined;
    const kill = (code: string, message: string) => {
      reason ??= { code, message };
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // Gone already.
      }
    };
    this.#kill = kill;
    const timer = setTimeout(
      () => kill('TIMEOUT', `The run took longer than its ${limits.timeoutMs / 1000} s; it was stopped.`),
      limits.timeoutMs,
    );

    let logBytes = 0;
    const onLog = (chunk: Buffer) => {
      logBytes += chunk.length;
      if (logBytes > limits.logBytes)
        return kill('OUTPUT_TOO_LARGE', `The run printed more than ${limits.logBytes} bytes; it was stopped.`);
      options.onLog(chunk.toString('utf8'));
    };
    child.stdout!.on('data', onLog);
    child.stderr!.on('data', onLog);

    let messageBytes = 0;
    let buffer = '';
    let result: ChildMessage | undefined;
    (child.stdio[3] as NodeJS.ReadableStream).on('data', (chunk: Buffer) => {
      messageBytes += chunk.length;
      if (messageBytes > limits.messageBytes)
        return kill('OUTPUT_TOO_LARGE', `The run sent more than ${limits.messageBytes} bytes of reports and results; it was stopped.`);
      buffer += chunk.toString('utf8');
      let end: number;
      while ((end = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 1);
        let message: ChildMessage;
        try {
          message = JSON.parse(line) as ChildMessage;
        } catch {
          return kill('EXECUTION_FAILED', 'The run wrote something other than its messages on the runner’s pipe; it was stopped.');
        }
        if (message.t === 'report') options.onReport(String(message.kind), Array.isArray(message.args) ? message.args : []);
        else result ??= message;
      }
    });

    const exit = await new Promise<number | null>((resolve) => {
      child.on('error', (err) => {
        reason ??= { code: 'EXECUTION_FAILED', message: `The runner could not start ${options.python} (${err.message}); check --python.` };
        resolve(null);
      });
      child.on('exit', (code, signal) => {
        if (signal && !reason) reason = signalReason(signal, limits);
        resolve(code);
      });
    });
    clearTimeout(timer);
    // What the function forked dies with it (and lets go of the pipes it inherited).
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // Gone.
    }
    // Every message written before the exit is read.
    if (!closed) await allRead;
    if (reason) return { outcome: { ok: false, ...reason }, exit };
    if (result?.t === 'result') return { outcome: { ok: true, value: result.value }, exit };
    if (result?.t === 'failure')
      return {
        outcome: { ok: false, code: 'EXECUTION_FAILED', message: `${result.type}: ${result.message}`, traceback: result.traceback },
        exit,
      };
    return {
      outcome: {
        ok: false,
        code: 'EXECUTION_FAILED',
        message: `The Python process ended (exit ${exit}) without a result: it exited the interpreter, or was killed (its memory limit is ${limits.memoryBytes} bytes).`,
      },
      exit,
    };
  }
}

function signalReason(signal: NodeJS.Signals, limits: ChildLimits): { code: string; message: string } {
  if (signal === 'SIGXCPU')
    return { code: 'TIMEOUT', message: `The run used more than its ${limits.cpuSeconds} s of CPU; it was stopped.` };
  if (signal === 'SIGXFSZ')
    return { code: 'OUTPUT_TOO_LARGE', message: `The run wrote a file past ${limits.fileBytes} bytes; it was stopped.` };
  return { code: 'EXECUTION_FAILED', message: `The Python process was killed (${signal}).` };
}

/** A command run without network, as `nobody`. */
function isolated(command: readonly string[]): string[] {
  return ['unshare', '--net', '--', 'setpriv', `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', '--', ...command];
}

/** Why `python` cannot run a run's child (as `nobody` when isolating: an interpreter under root's home cannot), or undefined. */
export function pythonProblem(python: string, isolate: boolean): string | undefined {
  const command = [python, '-I', '-c', 'import json, resource'];
  const [file, ...args] = isolate ? isolated(command) : command;
  const result = spawnSync(file!, args, { stdio: ['ignore', 'ignore', 'pipe'], timeout: 30_000, encoding: 'utf8' });
  if (result.status === 0) return undefined;
  const why = (result.error?.message ?? result.stderr).trim().split('\n').at(-1) ?? `exit ${result.status}`;
  return `${python} does not start${isolate ? ' as nobody (the user a root runner runs functions as)' : ''}: ${why}`;
}

/** A Python a runner here can run its children in: `SLOTBRIDGE_PYTHON`, else the first of `python3` and the system's; undefined when none. */
export function usablePython(): string | undefined {
  const isolate = canIsolate();
  const asked = process.env['SLOTBRIDGE_PYTHON'];
  return (asked ? [asked] : ['python3', '/usr/bin/python3']).find((python) => pythonProblem(python, isolate) === undefined);
}

/** Whether this runner can give its children no network and another user: root, with util-linux's unshare and setpriv. */
export function canIsolate(): boolean {
  if (process.getuid?.() !== 0) return false;
  return (
    ['unshare', 'setpriv'].every((tool) => spawnSync(tool, ['--version'], { stdio: 'ignore' }).status === 0) &&
    existsSync('/proc/self/ns/net')
  );
}
