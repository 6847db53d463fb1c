/**
 * The host router: every call from a guest goes through here. In order: the
 * method must be an own entry of the exposed api (a Map, so no prototype is
 * ever walked; an adapter's own methods for its frames only), granted, not over the frame's in-flight limit, not over the
 * payload cap, and its arguments must parse. The handler then runs under a
 * timeout whose signal it receives.
 */
import type * as z from 'zod/mini';
import { ErrorCode } from '../errors/error-code.js';
import { SlotbridgeError, type SerializedSlotbridgeError } from '../errors/slotbridge-error.js';
import { toWireError } from '../errors/wire.js';
import { exceedsSize } from './payload-size.js';
import { formatPath } from '../manifest/issues.js';
import type { CallContext, MethodDefinition, UserInfo } from './define-api.js';
import type { Abortable, FrameSession } from './session.js';
import { addDeadline } from './deadlines.js';
import type { BridgeLog } from './call-log.js';
import { MAX_ARGS } from './protocol.js';
import { NATIVE_BRIDGE } from '../manifest/vocabulary.js';

export interface RouterLimits {
  /** Default call timeout, ms. */
  call: number;
  /** Calls a frame may have in flight at once. */
  maxInFlight: number;
  /** Largest argument list or result, in bytes (estimated). */
  maxPayload: number;
}

/** What built-in handlers receive in addition to the public CallContext. */
export interface InternalCallContext extends CallContext {
  frame: FrameSession;
}

export class CallRouter {
  readonly #methods: Map<string, MethodDefinition>;
  readonly #limits: RouterLimits;
  readonly #log: BridgeLog;
  readonly #user: () => UserInfo;

  constructor(methods: Map<string, MethodDefinition>, limits: RouterLimits, log: BridgeLog, user: () => UserInfo) {
    this.#methods = methods;
    this.#limits = limits;
    this.#log = log;
    this.#user = user;
  }

  /** The `namespace.method` names a frame of `bridge` with this grant may call. */
  capabilities(grant: ReadonlySet<string>, bridge: string): string[] {
    const out: string[] = [];
    for (const [name, def] of this.#methods)
      if ((!def.spec.permission || grant.has(def.spec.permission)) && (def.bridge === undefined || def.bridge === bridge)) out.push(name);
    return out;
  }

  /**
   * Serves one call. Answers with the result (a plain value when the handler
   * was synchronous: penpal awaits either, and a plain value saves a turn),
   * or throws / rejects with a plain wire error: never an Error, so no stack
   * crosses to the guest.
   */
  handle(frame: FrameSession, method: unknown, args: unknown): unknown {
    const started = this.#log.enabled ? performance.now() : 0;
    try {
      const found = typeof method === 'string' ? this.#methods.get(method) : undefined;
      // An adapter's own methods are for its frames only.
      const def = found && (found.bridge === undefined || found.bridge === frame.manifest.bridge) ? found : undefined;
      if (!def) {
        // An adapter's guest has no host.supports(): it is told only that the platform lacks the call.
        const advice =
          frame.manifest.bridge === NATIVE_BRIDGE ? 'check host.supports(name) before calling' : 'this platform does not offer it';
        throw new SlotbridgeError(ErrorCode.METHOD_NOT_FOUND, `${describe(method)} is not a method this host offers; ${advice}.`);
      }
      const { spec } = def;
      if (spec.permission && !frame.grant.has(spec.permission)) {
        throw new SlotbridgeError(
          ErrorCode.PERMISSION_DENIED,
          `${method as string} needs the permission "${spec.permission}", which app "${frame.app}" was not granted; add it to the manifest's permissions and reinstall.`,
          { method, permission: spec.permission },
        );
      }
      if (frame.calls.size >= this.#limits.maxInFlight) {
        throw new SlotbridgeError(
          ErrorCode.RATE_LIMITED,
          `Too many calls in flight (limit ${this.#limits.maxInFlight}); wait for some to finish before sending more.`,
        );
      }
      if (!Array.isArray(args)) throw new SlotbridgeError(ErrorCode.INVALID_ARGUMENTS, 'Arguments must be sent as a list.');
      // A list's length costs its sender nothing (it may be sparse): bounded before anything walks or spreads it.
      if (args.length > MAX_ARGS)
        throw new SlotbridgeError(
          ErrorCode.INVALID_ARGUMENTS,
          `${method as string} was sent ${args.length} arguments; a method takes at most ${MAX_ARGS}.`,
        );
      if (exceedsSize(args, this.#limits.maxPayload)) {
        throw new SlotbridgeError(
          ErrorCode.PAYLOAD_TOO_LARGE,
          `The arguments of ${method as string} are larger than ${this.#limits.maxPayload} bytes; send less, or in parts.`,
        );
      }
      const parsed = spec.input.safeParse(args);
      if (!parsed.success) throw invalidArguments(method as string, parsed.error.issues);
      const callArgs: unknown[] = Array.isArray(parsed.data) ? parsed.data : [parsed.data];
      const result = this.#run(frame, method as string, def, callArgs);
      if (!isThenable(result)) return this.#answer(frame, method as string, def, result, started, args);
      return Promise.resolve(result)
        .then((value) => this.#answer(frame, method as string, def, value, started, args))
        .catch((err: unknown) => this.#refuse(frame, method, err, started, args));
    } catch (err) {
      return this.#refuse(frame, method, err, started, args);
    }
  }

  /** Checks a handler's result on its way out (`args` as the guest sent them, for the log); throws a SlotbridgeError for the caller to refuse with. */
  #answer(frame: FrameSession, method: string, def: MethodDefinition, value: unknown, started: number, args: unknown): unknown {
    let result = value;
    if (def.spec.output) {
      const out = def.spec.output.safeParse(result);
      if (!out.success) {
        throw new SlotbridgeError(
          ErrorCode.INVALID_OUTPUT,
          `The host's ${method} returned a value that does not match its declared output; this is a platform bug, report it.`,
        );
      }
      result = out.data;
    }
    if (result !== undefined && exceedsSize(result, this.#limits.maxPayload)) {
      throw new SlotbridgeError(
        ErrorCode.PAYLOAD_TOO_LARGE,
        `The result of ${method} is larger than ${this.#limits.maxPayload} bytes; ask for less at a time.`,
      );
    }
    if (this.#log.enabled) this.#log.call(frame, method, started, undefined, undefined, { args, result });
    return result;
  }

  /** Turns any failure into the wire error the guest gets, logs it, and throws it. */
  #refuse(frame: FrameSession, method: unknown, err: unknown, started: number, args: unknown): never {
    const wire = toWireError(
      err,
      () =>
        new SlotbridgeError(
          ErrorCode.EXECUTION_FAILED,
          `The host could not complete ${describe(method)}; try again, or report it if it keeps failing.`,
        ),
    );
    if (this.#log.enabled) {
      // Refused before its size was checked, perhaps: the log summarizes it only within the payload cap (a bounded walk).
      const logged = exceedsSize(args, this.#limits.maxPayload) ? '(larger than the payload cap)' : args;
      this.#log.call(frame, typeof method === 'string' ? method : describe(method), started, wire, err, { args: logged });
    }
    throw wire satisfies SerializedSlotbridgeError;
  }

  /**
   * Runs a handler under its timeout. A handler that answers synchronously is
   * done before any timer or bookkeeping is needed. One that returns a promise
   * counts against the frame's in-flight limit until it settles; a timeout,
   * or the frame going away, settles it at once and aborts its signal.
   */
  #run(frame: FrameSession, method: string, def: MethodDefinition, args: unknown[]): unknown {
    const call = new RunningCall(frame, this.#user());
    // `args` is the parser's own fresh array: the context can go on its end without a copy,
    // after any optional argument the guest left out.
    while (args.length < def.arity) args.push(undefined);
    args.push(call);
    const work = (def.handler as (...a: unknown[]) => unknown)(...args);
    if (!isThenable(work)) return work;
    const timeout = def.spec.timeout ?? this.#limits.call;
    return new Promise((resolve, reject) => {
      call.reject = reject;
      call.cancelDeadline = addDeadline(timeout, () =>
        call.abort(new SlotbridgeError(ErrorCode.CALL_TIMEOUT, `${method} did not finish within ${timeout} ms; try again later.`)),
      );
      frame.calls.add(call);
      work.then(
        (value) => {
          call.finish();
          resolve(value);
        },
        (err: unknown) => {
          call.finish();
          reject(err);
        },
      );
    });
  }
}

/** Whether a handler answered a promise (or any thenable) rather than a plain value. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/**
 * One handler run: its CallContext, and what cuts it short. A class, not an
 * object literal with a getter: it is made on every call. The signal's
 * AbortController is only made if the handler reads it; most never do.
 */
class RunningCall implements InternalCallContext, Abortable {
  readonly app: string;
  readonly panel: string;
  readonly project: string;
  cancelDeadline: () => void = noop;
  reject: (reason: unknown) => void = noop;
  #controller: AbortController | undefined;
  #abortedWith: unknown;

  constructor(
    readonly frame: FrameSession,
    readonly user: UserInfo,
  ) {
    this.app = frame.app;
    this.panel = frame.panel;
    this.project = frame.project;
  }

  get context(): Record<string, unknown> {
    return this.frame.guestContext();
  }

  get signal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController();
      if (this.#abortedWith !== undefined) this.#controller.abort(this.#abortedWith);
    }
    return this.#controller.signal;
  }

  abort(reason: unknown): void {
    if (this.#abortedWith !== undefined) return;
    this.#abortedWith = reason;
    this.#controller?.abort(reason);
    this.finish();
    this.reject(reason);
  }

  finish(): void {
    this.cancelDeadline();
    this.frame.calls.delete(this);
  }
}

function noop(): void {}

function invalidArguments(method: string, issues: readonly z.core.$ZodIssue[]): SlotbridgeError {
  const first = issues.at(0);
  const path = first ? `arguments${formatPath(first.path).replace(/^(?=[^[])/, '.')}` : 'arguments';
  return new SlotbridgeError(
    ErrorCode.INVALID_ARGUMENTS,
    `${method}: ${path} is not valid (${first?.code ?? 'invalid'}${first && 'expected' in first ? `, expected ${String(first.expected)}` : ''}); check the method's signature.`,
    { path, issues: issues.map((i) => ({ path: formatPath(i.path), code: i.code })) },
  );
}

function describe(method: unknown): string {
  return typeof method === 'string' ? `"${method.slice(0, 100)}"` : `A ${typeof method} method name`;
}
