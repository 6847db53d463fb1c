/**
 * The wire protocol between host and guest, on top of penpal. Both sides
 * import it; it holds no code that would weigh on the guest bundle.
 *
 * Handshake: the host puts a per-frame secret and its own origin in the
 * frame's URL fragment. The guest uses the secret as penpal's channel, so
 * every message (the first SYN included) carries it; the host drops any
 * message without it. After penpal connects, the guest's first call is
 * `hello`, which carries the protocol version and returns the context and
 * the capability list.
 *
 * Events go one way, on the private port with the calls and replies, so
 * they arrive in the order they were sent. An event is the list
 * `[name, payload, secret]`: the SDK takes it where penpal checks what it
 * receives, before penpal's handlers, so an event costs the guest one check;
 * the secret keeps lists from anyone else on the guest's window out, as
 * penpal's channel does for its own messages. Nothing answers a one-way
 * event: the heartbeat (a call) tells whether the guest keeps up.
 */

/** Protocol version: a different major on the other side is `PROTOCOL_MISMATCH`. */
export const PROTOCOL_VERSION = '1.2';

/** Most arguments any method takes; more is refused before the list is looked at. */
export const MAX_ARGS = 32;

/** URL fragment parameters the host hands to a frame. */
export const FRAGMENT_SECRET = 'sb-secret';
export const FRAGMENT_ORIGIN = 'sb-origin';

/** Methods the host exposes to every guest through penpal. */
// Type aliases, not interfaces: penpal's Methods constraint needs an implicit index signature.
export type HostWire = {
  hello(request: HelloRequest): Promise<HelloResponse>;
  call(method: string, args: unknown[]): Promise<unknown>;
  /** The guest's page is going away (pagehide): its calls in flight are lost. */
  bye(): void;
};

/**
 * The event the host's heartbeat sends: no guest listens to it, but any
 * guest whose page is free answers it, which is all the heartbeat asks.
 */
export const PING_EVENT = 'sb:ping';

/**
 * The host's own events, which every guest gets whether or not it listens:
 * `context` keeps `host.context` current, and `sb:capabilities` (the list
 * `supports()` answers from) follows the app's grant when it is installed
 * again. A guest may not emit these names to other frames.
 */
export const CAPABILITIES_EVENT = 'sb:capabilities';
export const ALWAYS_DELIVERED: readonly string[] = ['context', CAPABILITIES_EVENT];

/** Methods a guest exposes to the host through penpal. */
export type GuestWire = {
  event(name: string, payload: unknown): void;
  invoke(fn: string, inputs: Record<string, unknown>): Promise<unknown>;
};

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

/** An event, as it travels: `[name, payload, secret]`. */
export type EventList = [name: string, payload: unknown, secret: string];
