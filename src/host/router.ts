/**
 * The host router: every call from a guest goes through here. In order: the
 * method must be an own entry of the exposed api (a Map, so no prototype is
 * ever walked), granted, not over the frame's in-flight limit, not over the
 * payload cap, and its arguments must parse. The handler then runs under a
 * timeout whose signal it receives.
 */
import type * as z from 'zod/mini';
import { ErrorCode, SlotbridgeError, type SerializedSlotbridgeError } from '../errors/index.js';
import { toWireError } from '../bridge/wire-error.js';
import { exceedsSize } from '../bridge/payload-size.js';
import { formatPath } from '../manifest/issues.js';
import type { CallContext, MethodDefinition, UserInfo } from './define-api.js';
import type { FrameSession } from './frame-session.js';
import type { BridgeLog } from './bridge-log.js';

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

  /** The `namespace.method` names a frame with this grant may call. */
  capabilities(grant: ReadonlySet<string>): string[] {
    const out: string[] = [];
    for (const [name, def] of this.#methods) if (!def.spec.permission || grant.has(def.spec.permission)) out.push(name);
    return out;
  }

  has(name: string): boolean {
    return this.#methods.has(name);
  }

  /** Serves one call; rejects with a plain wire error (never an Error: no stack crosses). */
  async handle(frame: FrameSession, method: unknown, args: unknown): Promise<unknown> {
    const started = this.#log.enabled ? performance.now() : 0;
    let controller: AbortController | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const def = typeof method === 'string' ? this.#methods.get(method) : undefined;
      if (!def) {
        throw new SlotbridgeError(ErrorCode.METHOD_NOT_FOUND, `${describe(method)} is not a method this host offers; check host.supports(name) before calling.`);
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
        throw new SlotbridgeError(ErrorCode.RATE_LIMITED, `Too many calls in flight (limit ${this.#limits.maxInFlight}); wait for some to finish before sending more.`);
      }
      if (!Array.isArray(args)) throw new SlotbridgeError(ErrorCode.INVALID_ARGUMENTS, 'Arguments must be sent as a list.');
      if (exceedsSize(args, this.#limits.maxPayload)) {
        throw new SlotbridgeError(ErrorCode.PAYLOAD_TOO_LARGE, `The arguments of ${method as string} are larger than ${this.#limits.maxPayload} bytes; send less, or in parts.`);
      }
      const parsed = spec.input.safeParse(args);
      if (!parsed.success) throw invalidArguments(method as string, parsed.error.issues);

      controller = new AbortController();
      frame.calls.add(controller);
      const signal = controller.signal;
      const timeout = spec.timeout ?? this.#limits.call;
      const aborted = new Promise<never>((_resolve, reject) => {
        signal.addEventListener('abort', () => reject(signal.reason), { once: true });
      });
      timer = setTimeout(
        () => controller!.abort(new SlotbridgeError(ErrorCode.CALL_TIMEOUT, `${method as string} did not finish within ${timeout} ms; try again later.`)),
        timeout,
      );
      const context: InternalCallContext = { app: frame.app, panel: frame.panel, project: frame.project, user: this.#user(), signal, frame };
      const callArgs = Array.isArray(parsed.data) ? parsed.data : [parsed.data];
      const handler = def.handler as (...args: unknown[]) => unknown;
      const work = Promise.resolve(handler(...callArgs, context));
      // If the timeout wins, the handler's own late failure must not surface as unhandled.
      work.catch(() => {});
      let result = await Promise.race([work, aborted]);
      if (spec.output) {
        const out = (spec.output as z.ZodMiniType).safeParse(result);
        if (!out.success) {
          throw new SlotbridgeError(ErrorCode.INVALID_OUTPUT, `The host's ${method as string} returned a value that does not match its declared output; this is a platform bug, report it.`);
        }
        result = out.data;
      }
      if (result !== undefined && exceedsSize(result, this.#limits.maxPayload)) {
        throw new SlotbridgeError(ErrorCode.PAYLOAD_TOO_LARGE, `The result of ${method as string} is larger than ${this.#limits.maxPayload} bytes; ask for less at a time.`);
      }
      if (this.#log.enabled) this.#log.call(frame, method as string, started, undefined);
      return result;
    } catch (err) {
      const wire = toWireError(err, () => new SlotbridgeError(ErrorCode.EXECUTION_FAILED, `The host could not complete ${describe(method)}; try again, or report it if it keeps failing.`));
      if (this.#log.enabled) this.#log.call(frame, typeof method === 'string' ? method : describe(method), started, wire, err);
      throw wire satisfies SerializedSlotbridgeError;
    } finally {
      if (timer !== undefined) clearTimeout(timer);
      if (controller) frame.calls.delete(controller);
    }
  }
}

function invalidArguments(method: string, issues: readonly z.core.$ZodIssue[]): SlotbridgeError {
  const first = issues[0];
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
