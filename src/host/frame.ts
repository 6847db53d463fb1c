/**
 * One frame of an app: a panel in a slot, or a module's hidden page. It
 * holds what the router and the built-ins read of it (`FrameSession`), its
 * iframe, its state (`frame-state.ts`) and its wire to the guest
 * (`frame-wire.ts`). It tells what happens through its events, never by
 * calling into the host.
 */
import EventEmitter from 'eventemitter3';
import { ErrorCode } from '../errors/error-code.js';
import { SlotbridgeError } from '../errors/slotbridge-error.js';
import { ALWAYS_DELIVERED } from '../bridge/protocol.js';
import { toWireError } from '../errors/wire.js';
import { FrameEvents } from '../bridge/events.js';
import { exceedsSize } from '../bridge/payload-size.js';
import type { Abortable, FrameKind, FrameSession } from '../bridge/session.js';
import type { Manifest } from '../manifest/normalize.js';
import { createFrameElement, randomSecret } from './frame-element.js';
import { FrameState } from './frame-state.js';
import { type FrameDeps, FrameWire, type HostSide } from './frame-wire.js';
import { type PanelFacts, type PanelHandle, type PanelState, panelHandle } from './panel-handle.js';

export interface FrameOptions {
  id: string;
  kind: FrameKind;
  app: string;
  panel: string;
  slot: string;
  project: string;
  manifest: Manifest;
  url: string;
  sandbox: string[];
  context: Record<string, unknown>;
  title: string;
}

/** What a frame tells its owner. */
export interface FrameEventMap {
  state: [];
  responding: [];
  resize: [height: number];
  /** The platform gave it a new context (a slot's or a toolbar's next item). */
  context: [];
  event: [name: string, payload: unknown];
  closed: [];
}

export class Frame extends EventEmitter<FrameEventMap> implements FrameSession, PanelFacts {
  readonly id: string;
  readonly kind: FrameKind;
  readonly app: string;
  readonly panel: string;
  readonly slot: string;
  readonly project: string;
  readonly manifest: Manifest;
  readonly calls = new Set<Abortable>();
  /** The face the platform gets. */
  readonly handle: PanelHandle = panelHandle(this);
  functions: ReadonlySet<string> = new Set();
  #context: Record<string, unknown>;
  #element!: HTMLIFrameElement;
  #secret = '';
  readonly #state: FrameState;
  readonly #events: FrameEvents;
  readonly #wire: FrameWire;
  readonly #options: FrameOptions;
  readonly #deps: FrameDeps;
  /** Events the guest sent the platform in the current second. */
  readonly #sent: EventBudget;

  constructor(options: FrameOptions, deps: FrameDeps) {
    super();
    this.#sent = new EventBudget(deps.maxEvents);
    ({
      id: this.id,
      kind: this.kind,
      app: this.app,
      panel: this.panel,
      slot: this.slot,
      project: this.project,
      manifest: this.manifest,
    } = options);
    this.#options = options;
    this.#deps = deps;
    this.#context = { ...options.context };
    const timeout = deps.handshakeTimeout;
    const timedOut = () =>
      new SlotbridgeError(
        ErrorCode.HANDSHAKE_TIMEOUT,
        `${this.app}/${this.panel} did not connect within ${timeout} ms. Check that its page loads and connects (connect() from slotbridge/guest, or its platform's SDK), then retry.`,
      );
    this.#state = new FrameState(timeout, timedOut, (state, error) => {
      deps.log.entry(this, {
        kind: 'state',
        name: state,
        outcome: error ? 'error' : 'ok',
        ...(error ? { code: error.code, message: error.message } : {}),
      });
      this.emit('state');
    });
    const origin = options.sandbox.includes('allow-same-origin') ? new URL(options.url).origin : 'null';
    this.#wire = new FrameWire(
      deps,
      this.#hostSide(),
      origin,
      () => this.state !== 'closed',
      (responding) => {
        deps.log.entry(this, { kind: 'state', name: responding ? 'responding' : 'not responding', outcome: responding ? 'ok' : 'error' });
        this.emit('responding');
      },
    );
    this.#events = new FrameEvents({
      ready: () => this.state === 'ready',
      post: (name, payload, transfer) => this.#wire.connection!.send(name, payload, transfer),
      responding: () => this.#wire.responding,
      onFailure: (name, code, message) => deps.log.entry(this, { kind: 'event', name, outcome: 'error', code, message }),
    });
    this.#newElement();
  }

  get grant(): ReadonlySet<string> {
    return this.#deps.grant(this);
  }
  get element(): HTMLIFrameElement {
    return this.#element;
  }
  get state(): PanelState {
    return this.#state.current;
  }
  get error(): SlotbridgeError | undefined {
    return this.#state.error;
  }
  get ready(): Promise<void> {
    return this.#state.ready;
  }
  get responding(): boolean {
    return this.#wire.responding;
  }
  get context(): Record<string, unknown> {
    return this.#context;
  }
  set context(value: Record<string, unknown>) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new SlotbridgeError(ErrorCode.BAD_INPUT, 'A panel context is a plain object (the current item, dataset, selection...).');
    }
    this.#context = { ...value };
    this.deliver('context', this.#deps.fullContext(this));
    this.emit('context');
  }
  guestContext(): Record<string, unknown> {
    return this.#deps.fullContext(this);
  }
  get subscriptions(): ReadonlySet<string> {
    return this.#events.subscriptions;
  }
  /** Whether the guest takes events of this name (it subscribed, or its protocol takes them all). */
  listens(name: string): boolean {
    return this.#events.listens(name);
  }

  /** Starts the frame once its iframe is in the document. */
  start(): void {
    if (!this.#element.isConnected)
      throw new SlotbridgeError(ErrorCode.BAD_INPUT, 'The panel element must be in the document before the frame starts.');
    this.#state.arm();
    this.#wire.start(this.#secret, this.#element, (error) => this.#state.fail(error));
  }

  /** One heartbeat; a frame whose iframe left the page without being closed is closed. */
  heartbeat(): void {
    if (this.state !== 'closed' && !this.#element.isConnected) {
      this.#close(
        new SlotbridgeError(
          ErrorCode.CONNECTION_LOST,
          `The frame of ${this.app}/${this.panel} was removed from the page; call again once it is mounted anew.`,
        ),
      );
    } else if (this.state === 'ready') this.#wire.ping();
  }

  /** Sends an event to the guest if it listens to it; waits while the frame is not ready. `transfer` moves those objects instead of copying them. */
  deliver(name: string, payload: unknown, transfer?: Transferable[]): void {
    if (this.state !== 'closed') this.#events.deliver(name, payload, transfer);
  }
  subscribe(name: string): void {
    this.#events.subscribe(name);
  }
  unsubscribe(name: string): void {
    this.#events.unsubscribe(name);
  }

  /** Runs a function the guest registered. */
  invoke(fn: string, inputs: Record<string, unknown>): Promise<unknown> {
    const connection = this.state === 'ready' ? this.#wire.connection : undefined;
    if (!connection?.invoke)
      return Promise.reject(
        new SlotbridgeError(ErrorCode.CONNECTION_LOST, `${this.app}/${this.panel} is not connected; call again once it is ready.`),
      );
    // What a module answers is the guest's: bounded as any argument it sends, before the host uses it.
    return connection.invoke(fn, inputs).then((result) => {
      if (result !== undefined && exceedsSize(result, this.#deps.maxPayload)) {
        throw new SlotbridgeError(
          ErrorCode.PAYLOAD_TOO_LARGE,
          `${this.app}/${this.panel}: ${fn} returned more than ${this.#deps.maxPayload} bytes; return less, or store it as an artifact.`,
        );
      }
      return result;
    });
  }

  /**
   * The guest asked for a height: the frame takes it (up to the host's
   * limit), then says so; whoever mounted it may size it within its own
   * bounds on hearing it (a slot element does).
   */
  resize(height: number): void {
    if (this.kind === 'panel') this.element.style.height = `${Math.min(height, this.#deps.maxPanelHeight)}px`;
    this.emit('resize', height);
  }

  close(): void {
    this.#close(new SlotbridgeError(ErrorCode.DESTROYED, `The ${this.kind} ${this.app}/${this.panel} was closed.`));
  }

  /** Loads the panel again in a fresh iframe with a fresh secret (the same src again would only be a fragment navigation). */
  reload(): void {
    if (this.state === 'closed') return;
    const old = this.#element;
    this.#detach(new SlotbridgeError(ErrorCode.CONNECTION_LOST, 'The panel was reloaded while the call ran; call again.'));
    this.#newElement();
    old.replaceWith(this.#element);
    this.#restart('loading');
    if (this.#element.isConnected) this.start();
  }

  /** The host's side of the connection, as the adapter sees it. */
  #hostSide = (): HostSide => ({
    app: this.app,
    panel: this.panel,
    project: this.project,
    call: (method, args) => {
      // Whatever the adapter, nothing is served before the guest finished its handshake.
      if (this.state !== 'ready')
        throw toWireError(
          new SlotbridgeError(
            ErrorCode.PROTOCOL_MISMATCH,
            "The frame has not finished its handshake: call hello first (connect() from slotbridge/guest, or its platform's SDK).",
          ),
        );
      return this.#deps.call(this, method, args);
    },
    connected: (hello) => {
      this.functions = new Set(hello.functions ?? []);
      this.#state.connected();
      for (const name of [...ALWAYS_DELIVERED, ...(hello.events === 'all' ? [] : (hello.events ?? []))]) this.subscribe(name);
      if (hello.events === 'all') this.#events.subscribeAll();
      return { context: this.#deps.fullContext(this), capabilities: this.#deps.capabilities(this) };
    },
    reset: (reason) => {
      this.#abortCalls(
        new SlotbridgeError(
          ErrorCode.CONNECTION_LOST,
          `The panel ${reason === 'reload' ? 'reloaded' : 'navigated away'} while the call ran; call again.`,
        ),
      );
      this.#restart('connecting');
    },
    fail: (error) => this.#state.fail(error),
    context: () => this.guestContext(),
    emit: (name, payload) => {
      if (typeof name !== 'string' || name === '' || name.length > 128) {
        this.#deps.log.entry(this, {
          kind: 'rejected',
          name: 'an event name that is not 1 to 128 characters',
          outcome: 'error',
          code: ErrorCode.BAD_INPUT,
        });
        return;
      }
      if (exceedsSize(payload, this.#deps.maxPayload)) {
        this.#deps.log.entry(this, {
          kind: 'rejected',
          name: `event ${name}: larger than the payload cap`,
          outcome: 'error',
          code: ErrorCode.PAYLOAD_TOO_LARGE,
        });
        return;
      }
      if (!this.#sent.take()) {
        // One line per second of flooding, not one per event dropped.
        if (this.#sent.dropped === 1)
          this.#deps.log.entry(this, {
            kind: 'rejected',
            name: `events to the platform past ${this.#deps.maxEvents} a second: dropped`,
            outcome: 'error',
            code: ErrorCode.RATE_LIMITED,
          });
        return;
      }
      this.#deps.log.entry(this, { kind: 'event', name, outcome: 'ok' });
      this.emit('event', name, payload);
    },
    rejected: (reason) => this.#deps.log.entry(this, { kind: 'rejected', name: reason, outcome: 'error', code: ErrorCode.ORIGIN_REJECTED }),
  });

  #newElement(): void {
    this.#secret = randomSecret();
    const { url, sandbox, title } = this.#options;
    this.#element = createFrameElement({
      url,
      secret: this.#secret,
      hostOrigin: this.#deps.hostOrigin,
      sandbox: sandbox.join(' '),
      title,
      app: this.app,
      panel: this.panel,
    });
    this.#element.addEventListener('load', this.#onLoad);
  }

  #onLoad = (): void => {
    this.#wire.loaded();
    this.#state.loaded();
  };

  #restart(state: 'loading' | 'connecting'): void {
    this.#wire.newDocument();
    this.#events.newDocument();
    this.#state.restart(state);
  }

  #close(error: SlotbridgeError): void {
    if (this.state === 'closed') return;
    this.#detach(error);
    this.#events.clear();
    this.#element.remove();
    this.#state.close(error);
    this.emit('closed');
    this.removeAllListeners();
  }

  /** Drops the connection and the iframe's listeners; the element stays where it is. */
  #detach(error: SlotbridgeError): void {
    this.#state.stop();
    this.#abortCalls(error);
    this.#wire.stop();
    this.#element.removeEventListener('load', this.#onLoad);
  }

  #abortCalls(error: SlotbridgeError): void {
    for (const call of [...this.calls]) call.abort(error);
    this.calls.clear();
  }
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
