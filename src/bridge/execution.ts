import type { SerializedSlotbridgeError } from '../errors/slotbridge-error.js';

/** The record of one run of a declared function. */
export interface Execution {
  id: string;
  app: string;
  /** `module.function`. */
  function: string;
  project: string;
  status: 'success' | 'failed';
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
  error: SerializedSlotbridgeError | undefined;
  /** `Date.now()` when it started. */
  startedAt: number;
  /** Milliseconds it took. */
  duration: number;
}

/**
 * How far a run got before its answer, for a page to say (`host.execute`'s
 * `progress`): its module's page is starting, Python's interpreter is
 * starting (a first run loads it: seconds), or it went to a service's queue
 * and waits for a runner.
 */
export type ExecutionStage = 'starting-module' | 'starting-python' | 'queued';

/** The platform's executor for modules that run server-side (a Dataloop module with an `entryPoint`). */
export interface FunctionExecutor {
  execute(request: {
    app: string;
    module: string;
    function: string;
    inputs: Record<string, unknown>;
    project: string;
    context: Record<string, unknown>;
    signal: AbortSignal;
    /**
     * The function's calls back to the host while it runs elsewhere (a
     * runner's Python calling `slotbridge.api...`): answered as the app's
     * module would be, with its grant; rejects with the refusal.
     */
    call?: (method: string, args: unknown[]) => Promise<unknown>;
    /** The reports the function makes elsewhere, as they reach the page: the host announces each (`report`), as its own. */
    report?: (report: { kind: string; app: string; project: string }) => void;
  }): unknown;
}
