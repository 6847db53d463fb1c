/**
 * One frame of an app: a panel in a slot, or a module's hidden page. It
 * holds what the router and the built-ins read of it (`FrameSession`), its
 * iframe, its state (`frame-state.ts`) and the channel of its current iframe
 * (`frame-channel.ts`). It tells what happens through its events, never by
 * calling into the host.
 */
import EventEmitter from 'eventemitter3';
import { ErrorCode } from '../errors/error-code.js';
import { SlotbridgeError } from '../errors/slotbridge-error.js';
import { ALWAYS_DELIVERED } from '../bridge/protocol.js';
import type { GuestHello } from '../bridge/adapter.js';
import { FrameEvents } from '../bridge/events.js';
import { exceedsSize } from '../bridge/payload-size.js';
import type { Abortable, FrameKind } from '../bridge/session.js';
import type { Manifest } from '../manifest/normalize.js';
import { createFrameElement, randomSecret } from './frame-element.js';
import { type ChannelFrame, type FrameBridge, FrameChannel } from './frame-channel.js';
import { FrameState } from './frame-state.js';
import { type PanelFacts, type PanelHandle, type PanelState, panelHandle } from './panel-handle.js';
import { isObject } from '../errors/untrusted.js';

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

export class Frame extends EventEmitter<FrameEventMap> implements ChannelFrame, PanelFacts {
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
  #channel!: FrameChannel;
  readonly #state: FrameState;
  /** What the guest listens to and what waits for it; sent on the current iframe's channel. */
  readonly #events = new FrameEvents();
  readonly #options: FrameOptions;
  readonly #bridge: FrameBridge;
  /** The exact origin its messages come from: its own when it keeps a real one, else `'null'`. */
  readonly #origin: string;

  constructor(options: FrameOptions, bridge: FrameBridge) {
    super();
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
    this.#bridge = bridge;
    this.#context = { ...options.context };
    this.#origin = options.sandbox.includes('allow-same-origin') ? new URL(options.url).origin : 'null';
    const timeout = bridge.limits.handshake;
    const timedOut = () =>
      new SlotbridgeError(
        ErrorCode.HANDSHAKE_TIMEOUT,
        `${this.app}/${this.panel} did not connect within ${timeout} ms. Check that its page loads and connects (connect() from slotbridge/guest, or its platform's SDK), then retry.`,
      );
    this.#state = new FrameState(timeout, timedOut, (state, error) => {
      bridge.log.entry(this, {
        kind: 'state',
        name: state,
        outcome: error ? 'error' : 'ok',
        ...(error ? { code: error.code, message: error.message } : {}),
      });
      this.emit('state');
    });
    this.#newElement();
  }

  get grant(): ReadonlySet<string> {
    return this.#bridge.grants.of(this.app, this.project);
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
    return this.#channel.responding;
  }
  get context(): Record<string, unknown> {
    return this.#context;
  }
  set context(value: Record<string, unknown>) {
    if (!isObject(value) || Array.isArray(value)) {
      throw new SlotbridgeError(ErrorCode.BAD_INPUT, 'A panel context is a plain object (the current item, dataset, selection...).');
    }
    this.#context = { ...value };
    this.deliver('context', this.guestContext());
    this.emit('context');
  }
  guestContext(): Record<string, unknown> {
    return this.#bridge.context.of(this);
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
    this.#channel.open(this.#element);
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
    } else if (this.state === 'ready') this.#channel.ping();
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
    const running = this.state === 'ready' ? this.#channel.invoke(fn, inputs) : undefined;
    if (!running)
      return Promise.reject(
        new SlotbridgeError(ErrorCode.CONNECTION_LOST, `${this.app}/${this.panel} is not connected; call again once it is ready.`),
      );
    // What a module answers is the guest's: bounded as any argument it sends, before the host uses it.
    const { maxPayload } = this.#bridge.limits;
    return running.then((result) => {
      if (result !== undefined && exceedsSize(result, maxPayload)) {
        throw new SlotbridgeError(
          ErrorCode.PAYLOAD_TOO_LARGE,
          `${this.app}/${this.panel}: ${fn} returned more than ${maxPayload} bytes; return less, or store it as an artifact.`,
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
    if (this.kind === 'panel') this.element.style.height = `${Math.min(height, this.#bridge.limits.maxPanelHeight)}px`;
    this.emit('resize', height);
  }

  close(): void {
    this.#close(new SlotbridgeError(ErrorCode.DESTROYED, `The ${this.kind} ${this.app}/${this.panel} was closed.`));
  }

  /** Loads the panel again in a fresh iframe with a fresh secret (the same src again would only be a fragment navigation). */
  reload(): void {
    if (this.state === 'closed') return;
    const old = this.#element;
    const wasResponding = this.responding;
    this.#detach(new SlotbridgeError(ErrorCode.CONNECTION_LOST, 'The panel was reloaded while the call ran; call again.'));
    this.#newElement();
    old.replaceWith(this.#element);
    this.#events.newDocument();
    this.#state.restart('loading');
    if (!wasResponding) this.emit('responding');
    if (this.#element.isConnected) this.start();
  }

  // What its channel tells it.

  /** The guest finished its handshake: it takes these events and registered these functions. */
  connected(hello: GuestHello): void {
    this.functions = new Set(hello.functions ?? []);
    this.#state.connected();
    for (const name of [...ALWAYS_DELIVERED, ...(hello.events === 'all' ? [] : (hello.events ?? []))]) this.subscribe(name);
    if (hello.events === 'all') this.#events.subscribeAll();
  }

  /** A new document replaced the connected one in the same iframe: its calls fail, a new handshake is awaited. */
  replaced(reason: 'reload' | 'navigated'): void {
    this.#abortCalls(
      new SlotbridgeError(
        ErrorCode.CONNECTION_LOST,
        `The panel ${reason === 'reload' ? 'reloaded' : 'navigated away'} while the call ran; call again.`,
      ),
    );
    this.#events.newDocument();
    this.#state.restart('connecting');
  }

  /** The connection cannot go on (a handshake it cannot finish, a message too slow to read...). */
  fail(error: SlotbridgeError): void {
    this.#state.fail(error);
  }

  heard(name: string, payload: unknown): void {
    this.emit('event', name, payload);
  }

  respondingChanged(): void {
    this.emit('responding');
  }

  #newElement(): void {
    const secret = randomSecret();
    const { url, sandbox, title } = this.#options;
    this.#element = createFrameElement({
      url,
      secret,
      hostOrigin: window.location.origin,
      sandbox: sandbox.join(' '),
      title,
      app: this.app,
      panel: this.panel,
    });
    this.#channel = new FrameChannel(this, this.#bridge, secret, this.#origin);
    this.#events.attach(this.#channel);
    this.#element.addEventListener('load', this.#onLoad);
  }

  #onLoad = (): void => {
    this.#channel.loaded();
    this.#state.loaded();
  };

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
    this.#channel.close();
    this.#element.removeEventListener('load', this.#onLoad);
  }

  #abortCalls(error: SlotbridgeError): void {
    for (const call of [...this.calls]) call.abort(error);
    this.calls.clear();
  }
}
