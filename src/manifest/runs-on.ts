/**
 * Where a module's function runs, in the seeds' words: a function (or its
 * module) with a `computeConfig` (Dataloop) or a `queue` (ClearML) runs on the
 * registry service's queue of that name; a Python module without one runs in
 * the browser when the host has Python, else on the `default` queue; a
 * browser module (a page) runs in its sandbox.
 */
import { isPythonModule } from './python-module.js';

export type RunPlace = { on: 'browser' } | { on: 'queue'; queue: string };

/** The queue every server-side run without a named one goes to. */
export const DEFAULT_QUEUE = 'default';
/** A queue's name: what pg-boss takes and a URL carries plainly. */
export const QUEUE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;

export function runsOn(module: object, fn: object | undefined, host: { python: boolean }): RunPlace {
  const mod = module as { entryPoint?: unknown; runtime?: unknown; url?: unknown; computeConfig?: unknown; queue?: unknown };
  const own = fn as { computeConfig?: unknown; queue?: unknown } | undefined;
  const named = [own?.computeConfig, own?.queue, mod.computeConfig, mod.queue].find(
    (q): q is string => typeof q === 'string' && QUEUE_NAME.test(q),
  );
  if (named !== undefined) return { on: 'queue', queue: named };
  if (isPythonModule(mod) && !host.python) return { on: 'queue', queue: DEFAULT_QUEUE };
  return { on: 'browser' };
}
