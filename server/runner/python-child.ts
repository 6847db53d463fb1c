/**
 * One run in a fresh system Python process: forked by the runner's warm
 * interpreter (`python-zygote.ts`), in a session and process group of its
 * own (killed whole), limited (address space, CPU seconds, file size, set by
 * the child on itself before any app code; wall-clock time and output bytes
 * watched here), with no credentials but its run's own token and, where the
 * runner may (root with `unshare`), no network and an unprivileged user. Its
 * stdout, stderr and messages (reports, its result, as JSON lines) come on
 * three connections to a socket in the run's folder.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { PythonZygote } from './python-zygote.js';

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
  /** The runner's warm interpreter, which forks the run's process. */
  zygote: PythonZygote;
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
    if (options.isolate) {
      chownSync(job.workDir, NOBODY, NOBODY);
      chownSync(jobFile, NOBODY, NOBODY);
    }
    let reason: { code: string; message: string } | undefined;
    let pid: number | undefined;
    const killGroup = () => {
      if (pid === undefined) return;
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // Not its own group yet (it has just forked), or gone already.
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Gone.
        }
      }
    };
    const kill = (code: string, message: string) => {
      reason ??= { code, message };
      killGroup();
    };
    this.#kill = kill;

    let logBytes = 0;
    const onLog = (chunk: Buffer) => {
      logBytes += chunk.length;
      if (logBytes > limits.logBytes) {
        kill('OUTPUT_TOO_LARGE', `The run printed more than ${limits.logBytes} bytes; it was stopped.`);
        return;
      }
      options.onLog(chunk.toString('utf8'));
    };
    let messageBytes = 0;
    let buffer = '';
    let result: ChildMessage | undefined;
    const onMessages = (chunk: Buffer) => {
      messageBytes += chunk.length;
      if (messageBytes > limits.messageBytes) {
        kill('OUTPUT_TOO_LARGE', `The run sent more than ${limits.messageBytes} bytes of reports and results; it was stopped.`);
        return;
      }
      buffer += chunk.toString('utf8');
      let end: number;
      while ((end = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 1);
        let message: ChildMessage;
        try {
          message = JSON.parse(line) as ChildMessage;
        } catch {
          kill('EXECUTION_FAILED', 'The run wrote something other than its messages on the runner’s pipe; it was stopped.');
          return;
        }
        if (message.t === 'report') options.onReport(message.kind, Array.isArray(message.args) ? message.args : []);
        else result ??= message;
      }
    };

    // The run's stdout, stderr and message pipe: three connections to a socket of its own, each named by its first byte.
    const streams: Promise<void>[] = [];
    const io = createServer((socket) => {
      let route: ((chunk: Buffer) => void) | undefined;
      streams.push(new Promise((resolve) => socket.once('close', () => resolve())));
      socket.on('error', () => undefined);
      socket.on('data', (chunk: Buffer) => {
        if (route === undefined) {
          route = chunk[0] === 0x6d ? onMessages : onLog;
          chunk = chunk.subarray(1);
        }
        if (chunk.length) route(chunk);
      });
    });
    const ioPath = join(job.workDir, 'io.sock');
    await new Promise<void>((resolve, reject) => io.once('error', reject).listen(ioPath, resolve));
    chmodSync(ioPath, 0o666);
    const timer = setTimeout(
      () => kill('TIMEOUT', `The run took longer than its ${limits.timeoutMs / 1000} s; it was stopped.`),
      limits.timeoutMs,
    );
    let exit: number | null = null;
    try {
      pid = await options.zygote.fork({
        job: jobFile,
        io: ioPath,
        env: { HOME: job.workDir, MPLCONFIGDIR: job.workDir, ...options.env },
      });
      if (reason) killGroup();
      const ended = await options.zygote.exited(pid);
      exit = ended.code;
      if (ended.signal && !reason) reason = signalReason(ended.signal, limits);
    } catch (err) {
      reason ??= { code: 'EXECUTION_FAILED', message: `${(err as Error).message} Check --python.` };
    } finally {
      clearTimeout(timer);
      // What the function forked dies with it (and lets go of the sockets it inherited).
      killGroup();
    }
    // Every message written before the exit is read: its three connections (queued ones accepted first, however busy
    // this process is), to their end. A process that died before it connected them all is given a few seconds.
    for (const until = Date.now() + 5000; streams.length < 3 && pid !== undefined && Date.now() < until;)
      await new Promise((resolve) => setTimeout(resolve, 2));
    await Promise.all(streams);
    io.close();
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
  const result = spawnSync(file, args, { stdio: ['ignore', 'ignore', 'pipe'], timeout: 30_000, encoding: 'utf8' });
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
