/**
 * A frame's wire to its guest, for one iframe: the window route, what arrives
 * before the adapter is loaded, the adapter's connection, and the heartbeat.
 */
import { ErrorCode } from '../errors/error-code.js';
import { SlotbridgeError } from '../errors/slotbridge-error.js';
import { toWireError } from '../errors/wire.js';
import type { BridgeAdapter, BridgeConnection, BridgePort } from '../bridge/adapter.js';
import type { BridgeLog } from '../bridge/call-log.js';
import type { FrameSession } from '../bridge/session.js';
import type { WindowHub } from '../bridge/window-hub.js';
import { tooSlowToRead } from '../bridge/message-read.js';
import type { OnDemand } from './on-demand.js';

/** What every frame gets from the host: services it reads, never the host itself. */
export interface FrameDeps {
  hub: WindowHub;
  adapter: BridgeAdapter;
  /** The bridge runtime and the adapter, loaded once for all frames. */
  loaded: OnDemand<true>;
  hostOrigin: string;
  handshakeTimeout: number;
  /** The payload cap, for what a guest sends the platform outside calls. */
  maxPayload: number;
  /** Events one frame may send the platform in a second. */
  maxEvents: number;
  /** Tallest a panel may make itself. */
  maxPanelHeight: number;
  /** Refuses focus the user did not send into the frame; returns what stops it. */
  guardFocus(iframe: HTMLIFrameElement): () => void;
  /** One call through the router. */
  call(frame: FrameSession, method: unknown, args: unknown): unknown;
  /** What the app's installation grants now: read on every call, so a re-install with less takes effect at once. */
  grant(frame: FrameSession): ReadonlySet<string>;
  capabilities(frame: FrameSession): string[];
  fullContext(frame: FrameSession): Record<string, unknown>;
  log: Pick<BridgeLog, 'entry'>;
}

/** The port without what changes with each iframe. */
export type HostSide = Omit<BridgePort, 'origin' | 'secret' | 'window'>;

/** Messages and load events a frame may leave waiting for the adapter to load: a handshake is a few. */
const MAX_EARLY = 64;

export class FrameWire {
  connection: BridgeConnection | undefined;
  responding = true;
  /** What came before the adapter loaded (messages, and `'load'` for load events), in order. */
  #early: (MessageEvent | 'load')[] = [];
  #secret = '';
  #unguard: (() => void) | undefined;
  /** Counts documents; the heartbeat ping out, unanswered, names the one it was sent to. */
  #document = 0;
  #pinged: number | undefined;
  readonly #deps: FrameDeps;
  readonly #side: HostSide;
  readonly #origin: string;
  readonly #alive: () => boolean;
  readonly #onResponding: (responding: boolean) => void;

  constructor(deps: FrameDeps, side: HostSide, origin: string, alive: () => boolean, onResponding: (responding: boolean) => void) {
    this.#deps = deps;
    this.#side = side;
    this.#origin = origin;
    this.#alive = alive;
    this.#onResponding = onResponding;
  }

  start(secret: string, element: HTMLIFrameElement, fail: (error: SlotbridgeError) => void): void {
    const { hub, loaded } = this.#deps;
    this.#secret = secret;
    this.#early = [];
    hub.expect(
      secret,
      element,
      (event) => (this.connection ? this.connection.receive(event) : this.#hold(event)),
      (ms) => {
        if (this.#secret !== secret || !this.#alive()) return;
        this.stop();
        fail(tooSlowToRead(ms));
      },
    );
    this.#unguard = this.#deps.guardFocus(element);
    if (loaded.value) {
      this.#connect();
      return;
    }
    // The first frame of the page: its messages wait while the runtime loads (the frame loads meanwhile).
    loaded.load().then(
      () => this.#secret === secret && this.#alive() && this.#connect(),
      (err: unknown) => {
        if (this.#secret === secret && this.#alive())
          fail(
            new SlotbridgeError(
              ErrorCode.CONNECTION_LOST,
              `The bridge runtime did not load (${String(err)}); check the network and retry.`,
            ),
          );
      },
    );
  }

  /** The iframe's load event. */
  loaded(): void {
    if (this.#deps.adapter.binds === 'load') this.#deps.hub.bind(this.#secret);
    if (this.connection) this.connection.loaded();
    else this.#hold('load');
  }

  /** A ping to a ready guest; a guest still holding the previous one is not responding. */
  ping(): void {
    const document = this.#document;
    if (this.#pinged === document) {
      this.#setResponding(false);
      return;
    }
    const answer = this.connection?.ping();
    if (!answer) return;
    this.#pinged = document;
    const answered = (): void => {
      if (this.#pinged !== document) return;
      this.#pinged = undefined;
      this.#setResponding(true);
    };
    answer.then(answered, answered);
  }

  /** Another document is coming: the heartbeat starts afresh. */
  newDocument(): void {
    this.#document++;
    this.#pinged = undefined;
    this.#setResponding(true);
  }

  stop(): void {
    this.connection?.destroy();
    this.connection = undefined;
    this.#early = [];
    this.#deps.hub.forget(this.#secret);
    this.#unguard?.();
    this.#unguard = undefined;
  }

  #connect(): void {
    const { hub } = this.#deps;
    const secret = this.#secret;
    const side = this.#side;
    // A port outlives its iframe only in an adapter that keeps it: what it says then changes nothing.
    const live = (): boolean => this.#secret === secret && this.connection !== undefined && this.#alive();
    const gone = () =>
      toWireError(new SlotbridgeError(ErrorCode.CONNECTION_LOST, 'This frame was closed or reloaded; its calls are not served.'));
    this.connection = this.#deps.adapter.connect({
      ...{ app: side.app, panel: side.panel, project: side.project, origin: this.#origin, secret },
      window: () => hub.windowOf(secret),
      call: (method, args) => {
        if (!live()) throw gone();
        return side.call(method, args);
      },
      connected: (hello) => {
        if (!live()) throw gone();
        return side.connected(hello);
      },
      reset: (reason) => void (live() && side.reset(reason)),
      fail: (error) => void (live() && side.fail(error)),
      rejected: (reason) => void (live() && side.rejected(reason)),
      emit: (name, payload) => void (live() && side.emit(name, payload)),
      context: () => side.context(),
    });
    for (const early of this.#early.splice(0)) {
      if (early === 'load') this.connection.loaded();
      else this.connection.receive(early);
    }
  }

  #hold(early: MessageEvent | 'load'): void {
    if (this.#early.length < MAX_EARLY) this.#early.push(early);
  }

  #setResponding(responding: boolean): void {
    if (this.responding === responding) return;
    this.responding = responding;
    this.#onResponding(responding);
  }
}
