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
 * Events: from protocol 1.1 the host sends them one way, as an
 * `EVENT_MESSAGE` on the private port. Penpal on the guest ignores a type it
 * does not know; the SDK takes it. No reply comes back: the heartbeat (a call)
 * tells whether the guest keeps up. A 1.0 guest gets each event as a call.
 */

/** Protocol version: a different major on the other side is `PROTOCOL_MISMATCH`. */
export const PROTOCOL_VERSION = '1.1';

/** The type of a one-way event message: `{ namespace: 'penpal', channel, type, name, payload }`. */
export const EVENT_MESSAGE = 'SB_EVENT';

export interface EventMessage {
  namespace: 'penpal';
  channel: string;
  type: typeof EVENT_MESSAGE;
  name: string;
  payload: unknown;
}

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

/** Built-in guest namespaces, implemented by the runtime; a platform api may not reuse them. */
export const RESERVED_NAMESPACES = ['ui', 'context', 'settings', 'storage', 'events', 'functions', 'report', 'artifacts'] as const;

export function majorOf(version: string): string {
  return version.split('.')[0] ?? '';
}

/** Whether a guest of this protocol takes events one way (1.1 and later of the same major). */
export function takesOneWayEvents(version: string): boolean {
  return Number(version.split('.')[1]) >= 1;
}
