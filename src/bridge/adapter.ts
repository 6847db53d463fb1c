/**
 * A protocol adapter: how the host speaks to one kind of guest. The host owns
 * the frame (its iframe, sandbox, state, handshake timer, heartbeat, router,
 * permissions, limits and log); an adapter only turns the frame's messages
 * into router calls and the host's events into messages. The native protocol
 * (`slotbridge/guest`, penpal underneath) is one adapter; a platform adds
 * others with `createHost({ bridges: { name: adapter } })`, and an app picks
 * one by name with its manifest's `bridge` field.
 */
import type { SlotbridgeError } from '../errors/slotbridge-error.js';
import type { ApiDefinition } from './define-api.js';

export interface BridgeAdapter {
  /**
   * How the host finds the frame's window. `'secret'`: its first message
   * carries the frame secret as `channel` (the native protocol). `'load'`:
   * the window is bound when the frame fires its load event (for protocols
   * in which the host speaks first and the guest knows no secret).
   */
  readonly binds: 'secret' | 'load';
  /** With `binds: 'secret'`: the secret a message of this protocol carries, read from its data (undefined if none). */
  secretOf?(data: unknown): string | undefined;
  /**
   * Its guests accept a handshake from any window with a real origin and then
   * obey it (Dataloop's jssdk runs the `code` such a window sends). On a page
   * with such an adapter no app's window may have a real origin: the host
   * refuses `allow-same-origin` and `allow-popups-to-escape-sandbox` for every
   * frame, of every app, for the host's whole life (a popup outlives the frame
   * that opened it).
   */
  readonly guestTrustsAnyWindow?: boolean;
  /**
   * Methods of the adapter's own, keyed by its protocol's names (from
   * `defineApi`, or `method()`s in namespaces a platform api may not use):
   * callable by its frames only, through the same router as any call.
   */
  readonly api?: ApiDefinition;
  /**
   * Checks a platform event (`host.emit(name, payload)`) before it reaches any
   * frame; throws a `BAD_INPUT` `SlotbridgeError` for one this protocol gives a
   * meaning it does not have (Dataloop's `data`, a CRUD change, has a shape).
   */
  checkEvent?(name: string, payload: unknown): void;
  /** Loads what the adapter needs before its first connection (schemas...); called once. */
  load?(): Promise<void>;
  /** Starts speaking to one frame. Called when the frame starts and again after each reload. */
  connect(port: BridgePort): BridgeConnection;
}

/** What a guest says when its handshake is done: the functions it registered, and the events it takes (`'all'` for a protocol without subscriptions). */
export interface GuestHello {
  functions?: readonly string[];
  events?: readonly string[] | 'all';
}

/** The host's side of one frame, as an adapter sees it. */
export interface BridgePort {
  readonly app: string;
  readonly panel: string;
  readonly project: string;
  /** The exact origin the frame's messages must come from: its http(s) origin, or `'null'` when sandboxed. */
  readonly origin: string;
  /** Fresh for each load of the frame; also in its URL fragment (`sb-secret`). */
  readonly secret: string;
  /** The frame's window once bound; messages reach `receive` only from it. */
  window(): Window | undefined;
  /** The context the guest sees now: its slot context (the current item, dataset...) with app, project, user, theme and locale. */
  context(): Record<string, unknown>;
  /**
   * Runs a call through the router: method lookup, permission, in-flight
   * limit, payload cap, argument schema, timeout, log. Answers the result (or
   * a promise of it); a refusal throws or rejects with a serialized error.
   */
  call(method: unknown, args: unknown): unknown;
  /**
   * The guest finished its handshake: the frame is ready. `events` are the
   * event names it takes (`'all'` for a protocol without subscriptions).
   * Returns what to tell it.
   */
  connected(hello: GuestHello): { context: Record<string, unknown>; capabilities: string[] };
  /** An event from the guest for the platform (`panel:event` on the host), within the payload cap. */
  emit(name: string, payload: unknown): void;
  /** A new document replaced the connected one: calls in flight fail, a new handshake is awaited. */
  reset(reason: 'reload' | 'navigated'): void;
  /** The handshake cannot succeed (an unknown protocol version...): the frame goes to `error`. */
  fail(error: SlotbridgeError): void;
  /** A message was dropped by a sender or shape check: logged as `ORIGIN_REJECTED`. */
  rejected(reason: string): void;
}

/** One connection to one frame. */
export interface BridgeConnection {
  /** A message whose source is the frame's window (the adapter still checks origin and shape). */
  receive(event: MessageEvent): void;
  /** The frame's load event. */
  loaded(): void;
  /** Sends an event the guest listens to; throws (`DataCloneError`) if it cannot be cloned. */
  send(name: string, payload: unknown, transfer?: Transferable[]): void;
  /** The heartbeat: settles when the guest's page next answers. Undefined when not connected. */
  ping(): Promise<unknown> | undefined;
  /** Runs a function the guest registered (module frames). Rejects with what the guest threw. */
  invoke?(fn: string, inputs: Record<string, unknown>): Promise<unknown>;
  destroy(): void;
}
