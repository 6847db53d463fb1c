/**
 * `defineApi` and `method`: how a platform declares the SDK calls it exposes
 * to extensions. Each method has an input schema (a zod/mini tuple of its
 * arguments), an optional output schema and the permission it needs.
 */
import type * as z from 'zod/mini';
import { ErrorCode } from '../errors/error-code.js';
import { SlotbridgeError } from '../errors/slotbridge-error.js';
import { RESERVED_NAMESPACES } from './protocol.js';
import { isObject } from '../errors/untrusted.js';

/** What a handler learns about the call it serves. */
export interface CallContext {
  /** The calling app's name. */
  app: string;
  /** The calling panel or module name. */
  panel: string;
  /** The project the frame runs in. */
  project: string;
  user: UserInfo;
  /** The context the calling frame sees: its slot context (the current item, dataset...) with app, project, user, theme and locale. */
  readonly context: Record<string, unknown>;
  /** Aborted when the call times out or the frame goes away. */
  signal: AbortSignal;
}

export interface UserInfo {
  id: string;
  name?: string;
  [key: string]: unknown;
}

type Schema = z.ZodMiniType;

export interface MethodSpec<I extends Schema = Schema, O extends Schema | undefined = Schema | undefined> {
  /** The arguments, as a tuple schema: `z.tuple([z.string()])`. */
  input: I;
  /** Checked before the result leaves the host (`INVALID_OUTPUT` when it does not match). */
  output?: O;
  /** The permission an app must have been granted, as `namespace:verb`; omit only for calls any app may make. */
  permission?: string;
  /** Per-method call timeout in ms; the host's `timeouts.call` otherwise. */
  timeout?: number;
}

type Args<I extends Schema> = z.output<I> extends readonly unknown[] ? z.output<I> : [z.output<I>];
type Result<O> = O extends Schema ? z.input<O> : unknown;

/** A declared method: its spec and its handler. */
export interface MethodDefinition<I extends Schema = Schema, O extends Schema | undefined = Schema | undefined> {
  readonly spec: MethodSpec<I, O>;
  readonly handler: (...args: [...Args<I>, CallContext]) => Result<O> | Promise<Result<O>>;
  /** Arguments the input tuple declares: omitted optional ones are passed as `undefined`, so the context stays last. @internal */
  readonly arity: number;
  /** The protocol adapter whose frames alone may call it (an adapter's own api). @internal */
  readonly bridge?: string;
  /** @internal */
  readonly [METHOD]: true;
}

// A registered symbol: a method() made by another copy of slotbridge (an adapter's bundle, say) is still one.
const METHOD = Symbol.for('slotbridge.method');

/** Declares one platform method. */
export function method<I extends Schema, O extends Schema | undefined = undefined>(
  spec: MethodSpec<I, O>,
  handler: (...args: [...Args<I>, CallContext]) => Result<O> | Promise<Result<O>>,
): MethodDefinition<I, O> {
  if (!isObject(spec) || !isObject((spec as { input?: unknown }).input)) {
    throw new SlotbridgeError(ErrorCode.BAD_INPUT, 'method() needs { input: z.tuple([...]) } as its first argument.');
  }
  if (typeof handler !== 'function')
    throw new SlotbridgeError(ErrorCode.BAD_INPUT, 'method() needs a handler function as its second argument.');
  if (spec.permission !== undefined && !/^[a-z][a-zA-Z0-9_-]*:[a-zA-Z*][a-zA-Z0-9_*-]*$/.test(spec.permission)) {
    throw new SlotbridgeError(ErrorCode.BAD_INPUT, `Permission "${spec.permission}" is not of the form namespace:verb (e.g. items:read).`);
  }
  const items = (spec.input as { _zod?: { def?: { items?: unknown } } })._zod?.def?.items;
  return Object.freeze({ spec, handler, arity: Array.isArray(items) ? items.length : 0, [METHOD]: true as const });
}

// Each method has input and output types of its own; `unknown` would not take them (a handler's parameters are contravariant).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ApiDefinition = Record<string, Record<string, MethodDefinition<any, any>>>;

const NAME = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const reserved: ReadonlySet<string> = new Set(RESERVED_NAMESPACES);

/**
 * Declares the platform api: namespaces of methods. Refuses reserved
 * namespaces (`ui`, `storage`...), names that are not identifiers, and
 * anything that is not a `method()`.
 */
export function defineApi<T extends ApiDefinition>(definition: T): T {
  if (!isObject(definition)) throw new SlotbridgeError(ErrorCode.BAD_INPUT, 'defineApi() takes an object of namespaces.');
  for (const [namespace, methods] of Object.entries(definition)) {
    if (reserved.has(namespace)) {
      throw new SlotbridgeError(
        ErrorCode.BAD_INPUT,
        `"${namespace}" is a built-in namespace of slotbridge; name the platform's namespace differently (e.g. "platform${namespace[0].toUpperCase()}${namespace.slice(1)}").`,
      );
    }
    if (!NAME.test(namespace))
      throw new SlotbridgeError(ErrorCode.BAD_INPUT, `Namespace "${namespace}" must be an identifier (letters, digits, _ and $).`);
    if (!isObject(methods)) throw new SlotbridgeError(ErrorCode.BAD_INPUT, `Namespace "${namespace}" must be an object of methods.`);
    for (const [name, definitionOfMethod] of Object.entries(methods)) {
      if (!NAME.test(name)) throw new SlotbridgeError(ErrorCode.BAD_INPUT, `Method "${namespace}.${name}" must be named by an identifier.`);
      if (!isMethod(definitionOfMethod))
        throw new SlotbridgeError(ErrorCode.BAD_INPUT, `"${namespace}.${name}" is not declared with method(spec, handler).`);
    }
  }
  return definition;
}

export function isMethod(value: unknown): value is MethodDefinition {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[METHOD] === true;
}

/** Flattens an api definition into `namespace.method` entries. */
export function flattenApi(definition: ApiDefinition): Map<string, MethodDefinition> {
  const out = new Map<string, MethodDefinition>();
  for (const [namespace, methods] of Object.entries(definition)) {
    for (const [name, def] of Object.entries(methods)) out.set(`${namespace}.${name}`, def as MethodDefinition);
  }
  return out;
}

/**
 * Adds a protocol adapter's own methods (its api, keyed by its protocol's
 * names), callable by that adapter's frames only. `BAD_INPUT` for anything
 * that is not a `method()`, or a name the platform's api already has.
 */
export function addAdapterApi(methods: Map<string, MethodDefinition>, bridge: string, api: ApiDefinition | undefined): void {
  if (api === undefined) return;
  if (!isObject(api))
    throw new SlotbridgeError(ErrorCode.BAD_INPUT, `The "${bridge}" adapter's api is an object of namespaces of method()s.`);
  for (const [namespace, entries] of Object.entries(api)) {
    for (const [name, def] of Object.entries(isObject(entries) ? entries : {})) {
      const key = `${namespace}.${name}`;
      if (!isMethod(def))
        throw new SlotbridgeError(ErrorCode.BAD_INPUT, `The "${bridge}" adapter's ${key} is not declared with method(spec, handler).`);
      if (methods.has(key))
        throw new SlotbridgeError(
          ErrorCode.BAD_INPUT,
          `The "${bridge}" adapter's ${key} has the name of a method of the platform's api; rename one of them.`,
        );
      methods.set(key, Object.freeze({ ...def, bridge }));
    }
  }
}

/** The guest-side view of an api definition: each method returns a promise of its output. */
export type GuestApi<T extends ApiDefinition> = {
  [N in keyof T]: {
    [M in keyof T[N]]: T[N][M] extends MethodDefinition<infer I, infer O>
      ? (...args: z.input<I> extends readonly unknown[] ? z.input<I> : [z.input<I>]) => Promise<O extends Schema ? z.output<O> : unknown>
      : never;
  };
};
