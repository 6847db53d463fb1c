/**
 * A runner's warm interpreter (`_slotbridge_zygote.py`): one Python process,
 * started once (without network when the runner isolates), that has imported
 * slotbridge's modules and forks a fresh process for each run. A run's start
 * is then a fork, not an interpreter's start and its imports. It runs no app
 * code; a run's process drops to `nobody` itself, so it cannot signal this
 * one. Started again when it dies; stopped with its runner.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:os';

/** How a run's process ended: its exit code, or the signal that killed it. */
export type Exit = { code: number; signal: null } | { code: null; signal: NodeJS.Signals };

export interface ZygoteOptions {
  python: string;
  lib: string;
  isolate: boolean;
}

const SIGNAL_NAMES = new Map(Object.entries(constants.signals).map(([name, number]) => [number, name as NodeJS.Signals]));

export class PythonZygote {
  readonly #options: ZygoteOptions;
  #process: ChildProcess | undefined;
  #buffer = '';
  #next = 0;
  readonly #started = new Map<number, { resolve(pid: number): void; reject(err: Error): void }>();
  readonly #exits = new Map<number, (exit: Exit) => void>();
  /** Exits heard before anyone waited for them. */
  readonly #early = new Map<number, Exit>();

  constructor(options: ZygoteOptions) {
    this.#options = options;
  }

  /** Forks a run's process: resolves with its pid (also its process group's). */
  fork(request: { job: string; io: string; env: Record<string, string> }): Promise<number> {
    const zygote = this.#running();
    const id = ++this.#next;
    return new Promise<number>((resolve, reject) => {
      this.#started.set(id, { resolve, reject });
      zygote.stdin!.write(`${JSON.stringify({ id, ...request })}\n`);
    });
  }

  /** How the process `pid` ended (or ends). */
  exited(pid: number): Promise<Exit> {
    const early = this.#early.get(pid);
    if (early) {
      this.#early.delete(pid);
      return Promise.resolve(early);
    }
    return new Promise((resolve) => this.#exits.set(pid, resolve));
  }

  stop(): void {
    this.#process?.kill('SIGKILL');
    this.#process = undefined;
  }

  #running(): ChildProcess {
    if (this.#process && this.#process.exitCode === null && this.#process.signalCode === null) return this.#process;
    const { python, lib, isolate } = this.#options;
    const boot = `import sys; sys.path.insert(0, ${JSON.stringify(lib)}); import _slotbridge_zygote as z; z.serve()`;
    const command = [python, '-I', '-c', boot, isolate ? 'drop' : 'keep'];
    const [file, ...args] = isolate ? ['unshare', '--net', '--', ...command] : command;
    const zygote = spawn(file, args, {
      stdio: ['pipe', 'pipe', 'inherit'],
      // Nothing of the runner's environment (its token least of all); each run adds its own.
      env: {
        PATH: process.env['PATH'] ?? '/usr/bin:/bin',
        LANG: 'C.UTF-8',
        MPLBACKEND: 'Agg',
        OPENBLAS_NUM_THREADS: '1',
        PYTHONDONTWRITEBYTECODE: '1',
      },
    });
    this.#process = zygote;
    this.#buffer = '';
    zygote.stdout.setEncoding('utf8').on('data', (chunk: string) => this.#read(chunk));
    zygote.on('error', () => undefined);
    zygote.once('exit', () => this.#lost(zygote));
    return zygote;
  }

  #read(chunk: string): void {
    this.#buffer += chunk;
    let end: number;
    while ((end = this.#buffer.indexOf('\n')) >= 0) {
      const message = JSON.parse(this.#buffer.slice(0, end)) as { started?: number; pid?: number; exited?: number; code?: number };
      this.#buffer = this.#buffer.slice(end + 1);
      if (message.started !== undefined) {
        this.#started.get(message.started)?.resolve(message.pid!);
        this.#started.delete(message.started);
      } else if (message.exited !== undefined) {
        const code = message.code!;
        const exit: Exit = code >= 0 ? { code, signal: null } : { code: null, signal: SIGNAL_NAMES.get(-code) ?? 'SIGKILL' };
        const waiting = this.#exits.get(message.exited);
        this.#exits.delete(message.exited);
        if (waiting) waiting(exit);
        else this.#early.set(message.exited, exit);
      }
    }
  }

  /** The interpreter died: what it was starting fails, what it had started is taken for killed. */
  #lost(zygote: ChildProcess): void {
    if (this.#process === zygote) this.#process = undefined;
    for (const started of this.#started.values()) started.reject(new Error(`The runner's Python (${this.#options.python}) ended.`));
    this.#started.clear();
    for (const resolve of this.#exits.values()) resolve({ code: null, signal: 'SIGKILL' });
    this.#exits.clear();
  }
}
