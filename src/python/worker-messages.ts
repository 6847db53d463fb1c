/** The messages between a Python module frame's runner page and the worker that runs the interpreter. */
import type { PythonModuleConfig } from './module-config.js';

/** What a Python exception becomes: its type, message and traceback. */
export interface PythonFailure {
  type: string;
  message: string;
  traceback: string;
}

export type ToWorker =
  /** Load Pyodide from `indexURL`, slotbridge's Python files from `pyBase`, then the module's `source`. */
  | { type: 'start'; indexURL: string; pyBase: string; source: string; filename: string; config: PythonModuleConfig }
  /** What the host says now of the app's settings and the module's context: sent when it changes, read by the next run. */
  | { type: 'state'; settings: unknown; context: unknown }
  /** Run one function with its inputs. */
  | { type: 'run'; id: number; name: string; inputs: Record<string, unknown> }
  /** The host's answer to a call the module made. */
  | { type: 'answer'; id: number; ok: true; value: unknown }
  | { type: 'answer'; id: number; ok: false; code: string; message: string };

export type ToRunner =
  | { type: 'started' }
  /** The module could not load (a missing package, a syntax error, an exception at import). */
  | { type: 'failed'; failure: PythonFailure }
  | { type: 'result'; id: number; ok: true; value: unknown }
  | { type: 'result'; id: number; ok: false; failure: PythonFailure }
  /** A call of the host's services (`api.items.get`, `storage.set`...), answered by `answer`. */
  | { type: 'call'; id: number; path: string[]; args: unknown[] }
  /** A report (scalar, log, plot, image), one way, in order. */
  | { type: 'report'; kind: string; args: unknown[] };
