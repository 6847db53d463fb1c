/**
 * One frame of an app: a panel in a slot, or a module's hidden page. Owns
 * its iframe, its connection (across reloads), its state and its handshake
 * timer. `PanelHandle` is its public face.
 */
import type { Methods, RemoteProxy } from 'penpal';
import { ErrorCode, SlotbridgeError, type SerializedSlotbridgeError } from '../errors/index.js';
import { ALWAYS_DELIVERED, FRAGMENT_ORIGIN, FRAGMENT_SECRET, type GuestWire, type HelloRequest, type HelloResponse, PING_EVENT, PROTOCOL_VERSION } from '../bridge/protocol.js';
import type { BridgeRuntime } from './bridge-runtime.js';
import { toWireError } from '../bridge/wire-error.js';
import { FrameEvents } from './frame-events.js';
import { FrameLink } from './frame-link.js';
import type { Abortable, FrameKind, FrameSession } from './frame-session.js';
import type { Manifest } from '../manifest/index.js';

export type PanelState = 'loading' | 'connecting' | 'ready' | 'error' | 'closed';

/** A mounted panel (or a started module). */
export interface PanelHandle {
  readonly id: string;
  readonly app: string;
  readonly panel: string;
  readonly slot: string;
  readonly state: PanelState;
  /** The error that put the panel in the `error` state. */
  readonly error: SlotbridgeError | undefined;
  /**
   * False while a ready guest leaves the host's heartbeat unanswered (an
   * endless loop, a frozen page); true again once it answers. Each change
   * is a `panel:responding` host event.
   */
  readonly responding: boolean;
  /** Resolves when the guest is connected; rejects on error or close. A reload brings a new one. */
  readonly ready: Promise<void>;
  /** The slot context: setting it sends a `context` event to the guest. */
  context: Record<string, unknown>;
  /** The iframe. */
  readonly element: HTMLIFrameElement;
  /** Loads the panel again (Retry). */
  reload(): void;
  /** Removes the frame and its connection. */
  close(): void;
}

export interface FrameServices {
  hub: {
    expect(secret: string, element: HTMLIFrameElement, handler: (event: MessageEvent) => void): void;
    forget(secret: string): void;
    windowOf(secret: string): Window | undefined;
  };
  hostOrigin: string;
  /** The bridge runtime: `value` once loaded, `load()` to wait for it. */
  runtime: { readonly value: BridgeRuntime | undefined; load(): Promise<BridgeRuntime> };
  /** Refuses focus the user did not send into the frame; returns what stops it. */
  guardFocus(frame: HTMLIFrameElement): () => void;
  handshakeTimeout: number;
  hostMethods(frame: Frame): Methods;
  /** What the app's installation grants now: read on every call, so a re-install with less takes effect at once. */
  grant(frame: Frame): ReadonlySet<string>;
  capabilities(frame: Frame): string[];
  fullContext(frame: Frame): Record<string, unknown>;
  onState(frame: Frame): void;
  onClosed(frame: Frame): void;
  onResize(frame: Frame, height: number): void;
  onResponding(frame: Frame): void;
  log: { entry(frame: FrameSession, entry: { kind: 'state' | 'rejected' | 'event'; name: string; outcome: 'ok' | 'error'; code?: ErrorCode; message?: string }): void };
}

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

export class Frame implements FrameSession, PanelHandle {
  readonly id: string;
  readonly kind: FrameKind;
  readonly app: string;
  readonly panel: string;
  readonly slot: string;
  readonly project: string;
  readonly manifest: Manifest;
  readonly calls = new Set<Abortable>();
  functions: ReadonlySet<string> = new Set();
  remote: RemoteProxy<GuestWire> | undefined;

  #state: PanelState = 'loading';
  #error: SlotbridgeError | undefined;
  #responding = true;
  /** The connection a heartbeat ping is out on, unanswered. */
  #pinged: RemoteProxy<GuestWire> | undefined;
  #context: Record<string, unknown>;
  #ready!: Promise<void>;
  #settle!: { resolve(): void; reject(error: SlotbridgeError): void };
  readonly #events: FrameEvents;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #link: FrameLink | undefined;
  /** What came before the bridge runtime loaded (messages, and `'load'` for load events), in order. */
  #early: (MessageEvent | 'load')[] = [];
  #element: HTMLIFrameElement;
  #unguard: (() => void) | undefined;
  #secret = randomSecret();
  readonly #url: string;
  readonly #sandbox: string;
  readonly #title: string;
  readonly #services: FrameServices;
  readonly #origin: string;

  constructor(options: FrameOptions, services: FrameServices) {
    this.id = options.id;
    this.kind = options.kind;
    this.app = options.app;
    this.panel = options.panel;
    this.slot = options.slot;
    this.project = options.project;
    this.manifest = options.manifest;
    this.#context = { ...options.context };
    this.#services = services;
    this.#url = options.url;
    this.#origin = options.sandbox.includes('allow-same-origin') ? new URL(options.url).origin : 'null';
    this.#sandbox = options.sandbox.join(' ');
    this.#title = options.title;
    this.#events = new FrameEvents({
      remote: () => (this.#state === 'ready' ? this.remote : undefined),
      post: (name, payload, transfer) => this.#link!.sendEvent(name, payload, transfer),
      responding: () => this.#responding,
      onFailure: (name, code, message) => services.log.entry(this, { kind: 'event', name, outcome: 'error', code, message }),
    });
    this.#newReady();
    this.#element = this.#createIframe();
  }

  get grant(): ReadonlySet<string> {
    return this.#services.grant(this);
  }

  /** The iframe; a reload replaces it with a fresh one. */
  get element(): HTMLIFrameElement {
    return this.#element;
  }

  /** Starts the frame once its iframe is in the document. */
  start(): void {
    if (!this.#element.isConnected) throw new SlotbridgeError(ErrorCode.BAD_INPUT, 'The panel element must be in the document before the frame starts.');
    const secret = this.#secret;
    this.#early = [];
    this.#services.hub.expect(secret, this.#element, (event) => (this.#link ? this.#link.receive(event) : this.#hold(event)));
    this.#armTimer();
    const runtime = this.#services.runtime.value;
    if (runtime) this.#connect(runtime);
    else {
      // The first frame of the page: its messages wait while the runtime loads (the frame loads meanwhile).
      this.#services.runtime.load().then(
        (loaded) => {
          if (this.#secret === secret && this.#state !== 'closed') this.#connect(loaded);
        },
        (err: unknown) => {
          if (this.#secret === secret && this.#state !== 'closed') this.#fail(new SlotbridgeError(ErrorCode.CONNECTION_LOST, `The bridge runtime did not load (${String(err)}); check the network and retry.`));
        },
      );
    }
  }

  #connect(runtime: BridgeRuntime): void {
    const secret = this.#secret;
    const target = { window: () => this.#services.hub.windowOf(secret), origin: this.#origin, secret, parse: runtime.parsePenpalMessage };
    this.#link = new FrameLink(target, this.#services.hostMethods(this), {
      onReset: (reason) => this.#reset(reason),
      onConnected: (remote) => {
        this.remote = remote;
      },
      onRejected: (reason) => this.#services.log.entry(this, { kind: 'rejected', name: reason, outcome: 'error', code: ErrorCode.ORIGIN_REJECTED }),
    });
    for (const early of this.#early.splice(0)) {
      if (early === 'load') this.#link.loaded();
      else this.#link.receive(early);
    }
  }

  /** Keeps what comes before the runtime. A handshake is a few messages: a frame that sends more meanwhile is not owed them. */
  #hold(early: MessageEvent | 'load'): void {
    if (this.#early.length < MAX_EARLY) this.#early.push(early);
  }

  #createIframe(): HTMLIFrameElement {
    const frame = document.createElement('iframe');
    frame.setAttribute('sandbox', this.#sandbox);
    frame.title = this.#title;
    frame.dataset['sbApp'] = this.app;
    frame.dataset['sbPanel'] = this.panel;
    // No referrer, no powerful features: a panel gets what the sandbox allows and nothing else.
    frame.referrerPolicy = 'no-referrer';
    frame.allow = '';
    frame.addEventListener('load', this.#onLoad);
    this.#unguard?.();
    this.#unguard = this.#services.guardFocus(frame);
    // The URL goes in before the frame joins the document: it then loads once, not about:blank first.
    frame.src = this.#frameUrl();
    return frame;
  }

  get state(): PanelState {
    return this.#state;
  }

  get error(): SlotbridgeError | undefined {
    return this.#error;
  }

  get responding(): boolean {
    return this.#responding;
  }

  /**
   * One heartbeat: a guest still holding the previous ping is not
   * responding; otherwise it gets a new ping, whose answer (whenever it
   * comes) marks it responding again.
   */
  heartbeat(): void {
    if (this.#state !== 'closed' && !this.#element.isConnected) {
      // The page removed the iframe without closing the panel: nothing will answer its calls.
      this.#close(new SlotbridgeError(ErrorCode.CONNECTION_LOST, `The frame of ${this.app}/${this.panel} was removed from the page; call again once it is mounted anew.`));
      return;
    }
    const remote = this.#state === 'ready' ? this.remote : undefined;
    if (!remote) return;
    if (this.#pinged === remote) {
      this.#setResponding(false);
      return;
    }
    this.#pinged = remote;
    const answered = (): void => {
      if (this.#pinged !== remote) return;
      this.#pinged = undefined;
      this.#setResponding(true);
    };
    remote.event(PING_EVENT, undefined).then(answered, answered);
  }

  get ready(): Promise<void> {
    return this.#ready;
  }

  get context(): Record<string, unknown> {
    return this.#context;
  }

  set context(value: Record<string, unknown>) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new SlotbridgeError(ErrorCode.BAD_INPUT, 'A panel context is a plain object (the current item, dataset, selection...).');
    }
    this.#context = { ...value };
    this.deliver('context', this.#services.fullContext(this));
  }

  /** The guest's first call on each connection. */
  hello(request: unknown): HelloResponse {
    let hello: HelloRequest;
    try {
      hello = this.#services.runtime.value!.parseHello(request, PROTOCOL_VERSION);
    } catch (err) {
      const error = err as SlotbridgeError;
      this.#fail(error);
      throw toWireError(error, () => error);
    }
    if (!this.remote) {
      // Penpal resolves its side before the first call arrives; this cannot happen with a real penpal guest.
      throw toWireError(new SlotbridgeError(ErrorCode.PROTOCOL_MISMATCH, 'hello came before the connection was set up.'), () => new SlotbridgeError(ErrorCode.PROTOCOL_MISMATCH, ''));
    }
    if (this.#state === 'error') this.#newReady();
    this.functions = new Set(hello.functions);
    this.#clearTimer();
    this.#error = undefined;
    this.#setState('ready');
    this.#settle.resolve();
    for (const name of [...ALWAYS_DELIVERED, ...hello.events]) this.subscribe(name);
    return { protocol: PROTOCOL_VERSION, context: this.#services.fullContext(this), capabilities: this.#services.capabilities(this) };
  }

  /** The guest's page is unloading. */
  bye(): void {
    this.#link?.retire();
  }

  /** True once the current connection said hello. */
  get isReady(): boolean {
    return this.#state === 'ready';
  }

  /** Sends an event to the guest if it listens to it; waits while the frame is not ready. `transfer` moves those objects instead of copying them. */
  deliver(name: string, payload: unknown, transfer?: Transferable[]): void {
    if (this.#state !== 'closed') this.#events.deliver(name, payload, transfer);
  }

  get subscriptions(): ReadonlySet<string> {
    return this.#events.subscriptions;
  }

  subscribe(name: string): void {
    this.#events.subscribe(name);
  }

  unsubscribe(name: string): void {
    this.#events.unsubscribe(name);
  }

  close(): void {
    this.#close(new SlotbridgeError(ErrorCode.DESTROYED, `The ${this.kind} ${this.app}/${this.panel} was closed.`));
  }

  #close(error: SlotbridgeError): void {
    if (this.#state === 'closed') return;
    this.#teardown(error);
    this.#setState('closed');
    this.#services.onClosed(this);
  }

  resize(height: number): void {
    this.#services.onResize(this, height);
  }

  /**
   * Loads the panel again in a fresh iframe with a fresh secret. (Setting the
   * same src again would only be a fragment navigation, not a reload.)
   */
  reload(): void {
    if (this.#state === 'closed') return;
    const old = this.#element;
    this.#detach(new SlotbridgeError(ErrorCode.CONNECTION_LOST, 'The panel was reloaded while the call ran; call again.'));
    this.#secret = randomSecret();
    this.#element = this.#createIframe();
    old.replaceWith(this.#element);
    this.#beginConnecting('loading');
    if (this.#element.isConnected) this.start();
  }

  #onLoad = (): void => {
    if (this.#link) this.#link.loaded();
    else this.#hold('load');
    if (this.#state === 'loading') this.#setState('connecting');
  };

  #reset(reason: 'reload' | 'navigated'): void {
    this.#abortCalls(new SlotbridgeError(ErrorCode.CONNECTION_LOST, `The panel ${reason === 'reload' ? 'reloaded' : 'navigated away'} while the call ran; call again.`));
    this.#beginConnecting('connecting');
  }

  #beginConnecting(state: 'loading' | 'connecting'): void {
    this.remote = undefined;
    this.#pinged = undefined;
    this.#setResponding(true);
    this.#events.newDocument();
    if (this.#state === 'ready' || this.#state === 'error') this.#newReady();
    this.#error = undefined;
    this.#setState(state);
    this.#armTimer();
  }

  #fail(error: SlotbridgeError): void {
    this.#clearTimer();
    this.#error = error;
    this.#setState('error');
    this.#settle.reject(error);
  }

  #teardown(error: SlotbridgeError): void {
    this.#detach(error);
    this.#events.clear();
    this.#settle.reject(error);
    this.#element.remove();
  }

  /** Drops the connection and the iframe's listeners; the element stays where it is. */
  #detach(error: SlotbridgeError): void {
    this.#clearTimer();
    this.#abortCalls(error);
    this.#link?.destroy();
    this.#link = undefined;
    this.#early = [];
    this.remote = undefined;
    this.#services.hub.forget(this.#secret);
    this.#element.removeEventListener('load', this.#onLoad);
    this.#unguard?.();
    this.#unguard = undefined;
  }

  #abortCalls(error: SlotbridgeError): void {
    for (const call of [...this.calls]) call.abort(error);
    this.calls.clear();
  }

  #armTimer(): void {
    this.#clearTimer();
    const timeout = this.#services.handshakeTimeout;
    this.#timer = setTimeout(() => {
      this.#fail(
        new SlotbridgeError(
          ErrorCode.HANDSHAKE_TIMEOUT,
          `${this.app}/${this.panel} did not connect within ${timeout} ms. Check that its page loads and calls connect() from slotbridge/guest, then retry.`,
        ),
      );
    }, timeout);
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #newReady(): void {
    this.#ready = new Promise<void>((resolve, reject) => {
      this.#settle = { resolve, reject };
    });
    // Nobody has to await `ready`: an unobserved rejection is not an error.
    this.#ready.catch(() => {});
  }

  #setResponding(responding: boolean): void {
    if (this.#responding === responding) return;
    this.#responding = responding;
    this.#services.log.entry(this, { kind: 'state', name: responding ? 'responding' : 'not responding', outcome: responding ? 'ok' : 'error' });
    this.#services.onResponding(this);
  }

  #setState(state: PanelState): void {
    if (this.#state === state) return;
    this.#state = state;
    const error = this.#error ? (toWireError(this.#error, () => this.#error!) as SerializedSlotbridgeError) : undefined;
    this.#services.log.entry(this, { kind: 'state', name: state, outcome: error ? 'error' : 'ok', ...(error ? { code: error.code, message: error.message } : {}) });
    this.#services.onState(this);
  }

  #frameUrl(): string {
    const url = new URL(this.#url);
    const params = new URLSearchParams(url.hash.slice(1));
    params.set(FRAGMENT_SECRET, this.#secret);
    params.set(FRAGMENT_ORIGIN, this.#services.hostOrigin);
    url.hash = params.toString();
    return url.href;
  }
}

/** Messages and load events a frame may leave waiting for the bridge runtime. */
const MAX_EARLY = 64;

function randomSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

