/**
 * The events of one frame: what its guest listens to, what waits for it,
 * and how many it has been sent while it does not answer.
 */
import { ErrorCode } from '../errors/error-code.js';
import { ALWAYS_DELIVERED } from './protocol.js';

/** Events kept for a frame that is not ready yet. */
const MAX_QUEUED_EVENTS = 1000;
/** Events sent to a guest that does not answer, past which it gets no more. */
const MAX_UNANSWERED_EVENTS = 1000;

/** The line events go out on: one iframe's channel to its guest (a reload brings a new one). */
export interface EventLine {
  /** True once the guest finished its handshake on this line. */
  readonly ready: boolean;
  /** False while the heartbeat finds the guest not answering. */
  readonly responding: boolean;
  /** Sends an event one way; throws if the payload cannot be cloned. */
  send(name: string, payload: unknown, transfer?: Transferable[]): void;
  /** An event that could not go out, for the log. */
  failed(name: string, code: ErrorCode, message: string): void;
}

export class FrameEvents {
  readonly subscriptions = new Set<string>();
  #queue: [string, unknown, Transferable[] | undefined][] = [];
  /** One-way events sent since the heartbeat found the guest not answering. */
  #sentWhileSilent = 0;
  /** Set when the guest takes every event (protocols without subscriptions): the host's own `sb:` events excepted. */
  #all = false;
  #line: EventLine | undefined;

  /** From now on, events go out on `line`. */
  attach(line: EventLine): void {
    this.#line = line;
  }

  /**
   * Sends an event if the guest listens to it. Until the frame is ready the
   * event waits; it goes out, in order, once the guest subscribes to its name
   * (a guest subscribes right after connecting, so nothing sent while it
   * loaded is lost).
   */
  deliver(name: string, payload: unknown, transfer?: Transferable[]): void {
    if (!this.#line?.ready) {
      if (this.#queue.length >= MAX_QUEUED_EVENTS) this.#queue.shift();
      this.#queue.push([name, payload, transfer]);
      return;
    }
    if (this.listens(name)) this.#send(name, payload, transfer);
  }

  /** Whether the guest takes events of this name. */
  listens(name: string): boolean {
    return this.subscriptions.has(name) || (this.#all && !name.startsWith('sb:'));
  }

  /** The guest takes every event; what waited for it goes out now, in order. */
  subscribeAll(): void {
    this.#all = true;
    this.#flush();
  }

  subscribe(name: string): void {
    this.subscriptions.add(name);
    this.#flush();
  }

  /** Sends, in order, what waited for the guest to listen to it. */
  #flush(): void {
    if (!this.#line?.ready || this.#queue.length === 0) return;
    const waiting = this.#queue.filter(([name]) => this.listens(name));
    this.#queue = this.#queue.filter(([name]) => !this.listens(name));
    for (const [name, payload, transfer] of waiting) this.#send(name, payload, transfer);
  }

  unsubscribe(name: string): void {
    if (!ALWAYS_DELIVERED.includes(name)) this.subscriptions.delete(name);
  }

  /** A new document listens to nothing until it says so. */
  newDocument(): void {
    this.#all = false;
    this.subscriptions.clear();
  }

  clear(): void {
    this.#all = false;
    this.subscriptions.clear();
    this.#queue = [];
  }

  #send(name: string, payload: unknown, transfer?: Transferable[]): void {
    // Nothing answers a one-way event: a guest the heartbeat finds silent gets a bounded number more, which wait in its page.
    const line = this.#line!;
    if (line.responding) this.#sentWhileSilent = 0;
    else if (this.#sentWhileSilent++ >= MAX_UNANSWERED_EVENTS) {
      this.#fail(name, ErrorCode.RATE_LIMITED, 'dropped: the guest is not answering events');
      return;
    }
    try {
      line.send(name, payload, transfer);
    } catch (err) {
      if (err instanceof DOMException && err.name === 'DataCloneError')
        this.#fail(name, ErrorCode.BAD_INPUT, `The payload of "${name}" cannot be cloned (a function, a DOM node...): send plain data.`);
      else this.#fail(name, ErrorCode.CONNECTION_LOST, err);
    }
  }

  #fail(name: string, code: ErrorCode, err: unknown): void {
    this.#line?.failed(name, code, err instanceof Error ? err.message : String(err));
  }
}
