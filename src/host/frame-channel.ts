/**
 * The host's side of one iframe's connection: the `BridgePort` its adapter
 * talks to. Made with the iframe (a reload makes a new one, with a new
 * secret), it routes the window's messages to the adapter, holds what comes
 * before the adapter has loaded, sends the heartbeat, checks what the guest
 * sends the platform, and hands calls to the router in one hop. Once
 * closed, nothing its adapter says changes anything.
 */
import { ErrorCode } from '../errors/error-code.js';
import { SlotbridgeError } from '../errors/slotbridge-error.js';
import { toWireError } from '../errors/wire.js';
import type { BridgeAdapter, BridgeConnection, BridgePort, GuestHello } from '../bridge/adapter.js';
import type { BridgeLog } from '../bridge/call-log.js';
import type { EventLine } from '../bridge/events.js';
import { tooSlowToRead } from '../bridge/message-read.js';
import { exceedsSize } from '../bridge/payload-size.js';
import type { CallRouter } from '../bridge/router.js';
import type { WindowHub } from '../bridge/window-hub.js';
import type { FocusGuard } from './focus-guard.js';
import type { Grants } from './grants.js';
import type { GuestContext } from './guest-context.js';
import type { ResolvedLimits } from './host-options.js';
import type { OnDemand } from './on-demand.js';
import type { PanelState } from './panel-handle.js';
import type { FrameSession } from '../bridge/session.js';

/** What the frames of one adapter share: the host's collaborators, never the host itself. */
export interface FrameBridge {
  readonly adapter: BridgeAdapter;
  /** The built-ins and the adapter, loaded once for all its frames. */
  readonly loaded: OnDemand<true>;
  readonly hub: WindowHub;
  readonly router: CallRouter;
  readonly log: BridgeLog;
  readonly grants: Grants;
  readonly focus: FocusGuard;
  readonly context: GuestContext;
  readonly limits: ResolvedLimits;
}

/** What a channel reads of the frame it serves, and what it tells it. */
export interface ChannelFrame extends FrameSession {
  readonly state: PanelState;
  /** The guest finished its handshake. */
  connected(hello: GuestHello): void;
  /** A new document replaced the connected one. */
  replaced(reason: 'reload' | 'navigated'): void;
  fail(error: SlotbridgeError): void;
  /** An event from the guest for the platform, checked. */
  heard(name: string, payload: unknown): void;
  /** The heartbeat found the guest answering again, or not. */
  respondingChanged(): void;
}

/** Messages and load events a frame may leave waiting for the adapter to load: a handshake is a few. */
const MAX_EARLY = 64;

export class FrameChannel implements BridgePort, EventLine {
  readonly app: string;
  readonly panel: string;
  readonly project: string;
  readonly origin: string;
  readonly secret: string;
  /** False while the heartbeat finds the guest's page not answering. */
  responding = true;
  #connection: BridgeConnection | undefined;
  #live = true;
  /** What came before the adapter loaded (messages, and `'load'` for load events), in order. */
  #early: (MessageEvent | 'load')[] = [];
  #unguard: (() => void) | undefined;
  /** Counts documents; the heartbeat ping out, unanswered, names the one it was sent to. */
  #document = 0;
  #pinged: number | undefined;
  readonly #sent: EventBudget;
  readonly #frame: ChannelFrame;
  readonly #bridge: FrameBridge;

  constructor(frame: ChannelFrame, bridge: FrameBridge, secret: string, origin: string) {
    ({ app: this.app, panel: this.panel, project: this.project } = frame);
    this.#frame = frame;
    this.#bridge = bridge;
    this.secret = secret;
    this.origin = origin;
    this.#sent = new EventBudget(bridge.limits.maxEvents);
  }

  /** Starts routing the iframe's window to the adapter (once the adapter has loaded). */
  open(element: HTMLIFrameElement): void {
    const { hub, loaded, focus } = this.#bridge;
    // Until the adapter has loaded, the channel holds the window's messages; then the hub hands them to the connection.
    hub.expect(
      this.secret,
      element,
      (event) => this.#hold(event),
      (ms) => this.#failWith(tooSlowToRead(ms)),
      (data) => this.#bridge.adapter.secretOf?.(data),
    );
    this.#unguard = focus.watch(element);
    if (loaded.value) {
      this.#connect();
      return;
    }
    // The first frame of the page: its messages wait while the runtime loads (the frame loads meanwhile).
    loaded.load().then(
      () => this.#live && this.#connect(),
      (err: unknown) =>
        this.#failWith(
          new SlotbridgeError(ErrorCode.CONNECTION_LOST, `The bridge runtime did not load (${String(err)}); check the network and retry.`),
        ),
    );
  }

  /** The iframe's load event. */
  loaded(): void {
    if (this.#bridge.adapter.binds === 'load') this.#bridge.hub.bind(this.secret);
    if (this.#connection) this.#connection.loaded();
    else this.#hold('load');
  }

  /** True once the guest finished its handshake. */
  get ready(): boolean {
    return this.#live && this.#frame.state === 'ready';
  }

  /** Sends an event the guest listens to; throws if the connection is gone or the payload cannot be cloned. */
  send(name: string, payload: unknown, transfer?: Transferable[]): void {
    if (!this.#connection) throw new Error('The frame is not connected');
    this.#connection.send(name, payload, transfer);
  }

  /** Runs a function the guest registered; undefined when its adapter runs none. */
  invoke(fn: string, inputs: Record<string, unknown>): Promise<unknown> | undefined {
    return this.#connection?.invoke?.(fn, inputs);
  }

  /** A ping to a ready guest; a guest still holding the previous one is not responding. */
  ping(): void {
    const document = this.#document;
    if (this.#pinged === document) {
      this.#setResponding(false);
      return;
    }
    const answer = this.#connection?.ping();
    if (!answer) return;
    this.#pinged = document;
    const answered = (): void => {
      if (this.#pinged !== document) return;
      this.#pinged = undefined;
      this.#setResponding(true);
    };
    answer.then(answered, answered);
  }

  close(): void {
    this.#live = false;
    this.#connection?.destroy();
    this.#connection = undefined;
    this.#early = [];
    this.#bridge.hub.forget(this.secret);
    this.#unguard?.();
    this.#unguard = undefined;
  }

  failed(name: string, code: ErrorCode, message: string): void {
    this.#log({ kind: 'event', name, outcome: 'error', code, message });
  }

  // The port, as the adapter sees it.

  window(): Window | undefined {
    return this.#bridge.hub.windowOf(this.secret);
  }

  context(): Record<string, unknown> {
    return this.#frame.guestContext();
  }

  call(method: unknown, args: unknown): unknown {
    if (!this.#live) throw gone();
    // Whatever the adapter, nothing is served before the guest finished its handshake.
    if (this.#frame.state !== 'ready')
      throw toWireError(
        new SlotbridgeError(
          ErrorCode.PROTOCOL_MISMATCH,
          "The frame has not finished its handshake: call hello first (connect() from slotbridge/guest, or its platform's SDK).",
        ),
      );
    return this.#bridge.router.handle(this.#frame, method, args);
  }

  connected(hello: GuestHello): { context: Record<string, unknown>; capabilities: string[] } {
    if (!this.#live) throw gone();
    this.#frame.connected(hello);
    return { context: this.#frame.guestContext(), capabilities: this.#bridge.grants.capabilities(this.#frame) };
  }

  reset(reason: 'reload' | 'navigated'): void {
    if (!this.#live) return;
    this.#document++;
    this.#pinged = undefined;
    this.#setResponding(true);
    this.#frame.replaced(reason);
  }

  fail(error: SlotbridgeError): void {
    if (this.#live) this.#frame.fail(error);
  }

  rejected(reason: string): void {
    if (this.#live) this.#log({ kind: 'rejected', name: reason, outcome: 'error', code: ErrorCode.ORIGIN_REJECTED });
  }

  emit(name: string, payload: unknown): void {
    if (!this.#live) return;
    const { maxPayload, maxEvents } = this.#bridge.limits;
    if (typeof name !== 'string' || name === '' || name.length > 128) {
      this.#log({ kind: 'rejected', name: 'an event name that is not 1 to 128 characters', outcome: 'error', code: ErrorCode.BAD_INPUT });
    } else if (exceedsSize(payload, maxPayload)) {
      this.#log({
        kind: 'rejected',
        name: `event ${name}: larger than the payload cap`,
        outcome: 'error',
        code: ErrorCode.PAYLOAD_TOO_LARGE,
      });
    } else if (!this.#sent.take()) {
      // One line per second of flooding, not one per event dropped.
      if (this.#sent.dropped === 1)
        this.#log({
          kind: 'rejected',
          name: `events to the platform past ${maxEvents} a second: dropped`,
          outcome: 'error',
          code: ErrorCode.RATE_LIMITED,
        });
    } else {
      this.#log({ kind: 'event', name, outcome: 'ok' });
      this.#frame.heard(name, payload);
    }
  }

  #connect(): void {
    const connection = (this.#connection = this.#bridge.adapter.connect(this));
    this.#bridge.hub.route(this.secret, (event) => connection.receive(event));
    for (const early of this.#early.splice(0)) {
      if (early === 'load') this.#connection.loaded();
      else this.#connection.receive(early);
    }
  }

  #hold(early: MessageEvent | 'load'): void {
    if (this.#early.length < MAX_EARLY) this.#early.push(early);
  }

  #failWith(error: SlotbridgeError): void {
    if (!this.#live) return;
    this.close();
    this.#frame.fail(error);
  }

  #setResponding(responding: boolean): void {
    if (this.responding === responding) return;
    this.responding = responding;
    this.#log({ kind: 'state', name: responding ? 'responding' : 'not responding', outcome: responding ? 'ok' : 'error' });
    this.#frame.respondingChanged();
  }

  #log(entry: Parameters<BridgeLog['entry']>[1]): void {
    this.#bridge.log.entry(this.#frame, entry);
  }
}

function gone(): unknown {
  return toWireError(new SlotbridgeError(ErrorCode.CONNECTION_LOST, 'This frame was closed or reloaded; its calls are not served.'));
}

/** A count of events per one-second window: `take()` is false past the limit, and `dropped` counts what the window refused. */
class EventBudget {
  #start = 0;
  #taken = 0;
  dropped = 0;

  constructor(readonly limit: number) {}

  take(): boolean {
    const now = performance.now();
    if (now - this.#start >= 1000) {
      this.#start = now;
      this.#taken = 0;
      this.dropped = 0;
    }
    if (this.#taken < this.limit) {
      this.#taken++;
      return true;
    }
    this.dropped++;
    return false;
  }
}
