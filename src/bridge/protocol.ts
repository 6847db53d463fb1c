/**
 * What host and guest agree on, whatever carries it: the protocol version,
 * the handshake's request and answer, the built-in namespaces, and the
 * names of the events the host sends itself. Both sides import it; it holds
 * no code that would weigh on the guest bundle. The messages themselves are
 * in `native/` (penpal's for the handshake, slotbridge's own on the port
 * after it: `native/port-messages.ts`).
 */

/** Protocol version: a different major on the other side is `PROTOCOL_MISMATCH`. */
export const PROTOCOL_VERSION = '2.0';

/** Most arguments any method takes; more is refused before the list is looked at. */
export const MAX_ARGS = 32;

/** URL fragment parameters the host hands to a frame. */
export const FRAGMENT_SECRET = 'sb-secret';
export const FRAGMENT_ORIGIN = 'sb-origin';

/**
 * The host's own events, which every guest gets whether or not it listens:
 * `context` keeps `host.context` current, and `sb:capabilities` (the list
 * `supports()` answers from) follows the app's grant when it is installed
 * again. A guest may not emit these names to other frames.
 */
export const CAPABILITIES_EVENT = 'sb:capabilities';
export const ALWAYS_DELIVERED: readonly string[] = ['context', CAPABILITIES_EVENT];

export interface HelloRequest {
  protocol: string;
  /** Names of the functions this frame registered with `connect({ functions })`. */
  functions: string[];
  /** Events this frame listens to from the start. */
  events: string[];
}

export interface HelloResponse {
  protocol: string;
  context: Record<string, unknown>;
  /** Every `namespace.method` this frame may call. */
  capabilities: string[];
}

/**
 * The built-in namespaces and their methods, declared once: the host's
 * built-ins implement exactly these (`builtinApi` is checked against them),
 * the guest SDK and the Python worker offer what they take of them, and a
 * platform api may not reuse a namespace.
 */
export const BUILTIN_METHODS = {
  context: ['get'],
  ui: ['notify', 'openPanel', 'close', 'resize'],
  settings: ['get', 'set'],
  storage: ['get', 'set', 'remove', 'keys'],
  events: ['subscribe', 'unsubscribe', 'emit'],
  functions: ['execute'],
  report: ['batch'],
  artifacts: ['list', 'read'],
} as const;

export type BuiltinMethods = typeof BUILTIN_METHODS;

/** Built-in guest namespaces, implemented by the runtime; a platform api may not reuse them. */
export const RESERVED_NAMESPACES = Object.keys(BUILTIN_METHODS) as (keyof BuiltinMethods)[];

export function majorOf(version: string): string {
  return version.split('.')[0] ?? '';
}
