/** The messages between a Python module frame's runner page and the worker that runs the interpreter. */
import type { Message } from 'penpal';
import type { PythonModuleConfig } from './module-config.js';

/** What a Python exception becomes: its type, message and traceback. */
export interface PythonFailure {
  type: string;
  message: string;
  traceback: string;
}

export type ToWorker =
  /** Connect to the host on `channel` (the frame's secret); load Pyodide from `indexURL`, slotbridge's Python files from `pyBase`, then the module. */
  | { type: 'start'; indexURL: string; pyBase: string; channel: string; config: PythonModuleConfig }
  /** A handshake message from the host's window. */
  | { type: 'handshake'; message: unknown };

/** A handshake message for the host's window (the last one carries the worker's private port). */
export type ToRunner = { type: 'handshake'; message: Message };

/** How a call's error begins when the interpreter failed for good (Pyodide's fatal error): the host starts the module afresh. */
export const INTERPRETER_LOST = 'The Python interpreter failed for good';
