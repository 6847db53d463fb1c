/**
 * The bridge log: one structured entry per call, event, state change or
 * refused message, for `createHost({ log })`, the host's `call` event and
 * `<sb-inspector>`. When nobody listens, nothing is built.
 */
import type { ErrorCode } from '../errors/error-code.js';
import type { SerializedSlotbridgeError } from '../errors/slotbridge-error.js';
import type { FrameSession } from './session.js';
import { summarize } from './summarize.js';

export interface BridgeLogEntry {
  /** `Date.now()` when the entry was made. */
  time: number;
  kind: 'call' | 'event' | 'state' | 'rejected' | 'execution';
  app: string | undefined;
  panel: string | undefined;
  /** Frame id (one per mounted panel or started module). */
  frame: string | undefined;
  /** The method, event name, new state, or what was refused. */
  name: string;
  /** Milliseconds the call took, for calls and executions. */
  duration?: number;
  outcome: 'ok' | 'error';
  code?: ErrorCode;
  message?: string;
  /** The original error on the host side (never sent to a guest). */
  error?: unknown;
  /** A call's arguments in one short line (`summarize`): a Python run's printed lines in `report.batch`, say. */
  args?: string;
  /** A call's result in one short line. */
  result?: string;
}

export type LogSink = (entry: BridgeLogEntry) => void;

export class BridgeLog {
  readonly #sinks: () => LogSink[];

  /** `sinks` is read on every use, so listeners added later are seen and none are kept alive here. */
  constructor(sinks: () => LogSink[]) {
    this.#sinks = sinks;
  }

  get enabled(): boolean {
    return this.#sinks().length > 0;
  }

  call(
    frame: FrameSession,
    method: string,
    started: number,
    error: SerializedSlotbridgeError | undefined,
    original?: unknown,
    detail: { args?: unknown; result?: unknown } = {},
  ): void {
    this.#write(frame, {
      kind: 'call',
      name: method,
      duration: performance.now() - started,
      outcome: error ? 'error' : 'ok',
      ...(error ? { code: error.code, message: error.message, error: original } : {}),
      ...('args' in detail ? { args: summarize(detail.args) } : {}),
      ...(detail.result !== undefined ? { result: summarize(detail.result) } : {}),
    });
  }

  entry(frame: FrameSession | undefined, entry: Omit<BridgeLogEntry, 'time' | 'app' | 'panel' | 'frame'>): void {
    this.#write(frame, entry);
  }

  #write(frame: FrameSession | undefined, entry: Omit<BridgeLogEntry, 'time' | 'app' | 'panel' | 'frame'>): void {
    const sinks = this.#sinks();
    if (sinks.length === 0) return;
    const full: BridgeLogEntry = { time: Date.now(), app: frame?.app, panel: frame?.panel, frame: frame?.id, ...entry };
    for (const sink of sinks) {
      try {
        sink(full);
      } catch {
        // A broken log sink must not break the bridge.
      }
    }
  }
}
