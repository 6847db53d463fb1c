import { ErrorCode } from '../errors/error-code.js';
import { SlotbridgeError } from '../errors/slotbridge-error.js';

/** Any function: each event hands its listener arguments of its own types (eventemitter3 takes them as `any[]`). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Listener = (...args: any[]) => void;

// One wrapper per function, so `off` finds what `on` or `once` registered.
const wrappers = new WeakMap<Listener, Listener>();

/**
 * A host listener is the platform's code, called from inside the runtime (a
 * registry write, a frame's change of state). The wrapper reports what it
 * throws (`reportError`: the page's console and `error` listeners, as a
 * throwing event listener's would be) so that neither the other listeners
 * nor the runtime's own work stop there.
 */
export function isolated(event: string, fn: Listener): Listener {
  if (typeof (fn as unknown) !== 'function') {
    throw new SlotbridgeError(
      ErrorCode.BAD_INPUT,
      `host.on("${event}") and host.once("${event}") take a function to call with the event; got ${(fn as unknown) === null ? 'null' : typeof fn}.`,
    );
  }
  let wrapper = wrappers.get(fn);
  if (!wrapper) {
    const call = fn as (...args: unknown[]) => void;
    wrapper = (...args: unknown[]) => {
      try {
        call(...args);
      } catch (err) {
        reportError(err);
      }
    };
    wrappers.set(fn, wrapper);
  }
  return wrapper;
}

/** The wrapper `isolated` made for `fn`, if it made one. */
export const isolatedOf = (fn: Listener): Listener | undefined => wrappers.get(fn);
