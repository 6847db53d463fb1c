/**
 * One `message` listener for the whole host, dispatching by the sending
 * window: with fifty frames that is one lookup per message, not fifty
 * listeners each checking `event.source`.
 *
 * A frame's window is not read when the frame is created: reading
 * `iframe.contentWindow` before the frame has committed its first navigation
 * costs milliseconds of synchronous work. Instead the frame is expected by
 * its secret. A message from a window the hub has not bound is matched to
 * an expected frame by its window first (`contentWindow === event.source`,
 * free once the frame has committed), and only then is its data read, for
 * the secret. The data of a message from any other window is never read:
 * reading is what unpacks it (`message-read.ts`).
 */
import { readTimed } from './message-read.js';

interface Expected {
  element: HTMLIFrameElement;
  handler: (event: MessageEvent) => void;
  /** The secret a message of the frame's protocol carries (its adapter knows where), if it carries one. */
  secretOf: ((data: unknown) => string | undefined) | undefined;
  /** A message of this frame took `ms` to unpack: the frame is to be closed. */
  slow: (ms: number) => void;
  window: MessageEventSource | undefined;
}

export class WindowHub {
  readonly #routes = new Map<MessageEventSource, Expected>();
  readonly #expected = new Map<string, Expected>();
  readonly #onStray: (event: MessageEvent) => void;
  /** Windows already logged as strays: one line each, however much they post. */
  readonly #strays = new WeakSet();

  constructor(onStray: (event: MessageEvent) => void) {
    this.#onStray = onStray;
    window.addEventListener('message', this.#onMessage);
  }

  /**
   * Routes the messages of `element`'s window to `handler` once a message of
   * it presents `secret` (read by `secretOf`, its protocol's), or once `bind`
   * binds it (a protocol whose messages carry no secret).
   */
  expect(
    secret: string,
    element: HTMLIFrameElement,
    handler: (event: MessageEvent) => void,
    slow: (ms: number) => void,
    secretOf?: (data: unknown) => string | undefined,
  ): void {
    this.#expected.set(secret, { element, handler, slow, secretOf, window: undefined });
  }

  /** From now on, routes the frame's messages to `handler` (its adapter's connection, once there is one). */
  route(secret: string, handler: (event: MessageEvent) => void): void {
    const entry = this.#expected.get(secret);
    if (entry) entry.handler = handler;
  }

  /** Stops routing for a frame (by its secret), bound or not. */
  forget(secret: string): void {
    const entry = this.#expected.get(secret);
    if (!entry) return;
    this.#expected.delete(secret);
    if (entry.window) this.#routes.delete(entry.window);
  }

  /**
   * Binds the frame's window now, for protocols whose guest carries no secret:
   * called on the frame's load event, when reading the window is free. The
   * window stays the same object across the frame's navigations.
   */
  bind(secret: string): void {
    const entry = this.#expected.get(secret);
    const window = entry?.element.contentWindow;
    if (!entry || !window || entry.window === window) return;
    if (entry.window) this.#routes.delete(entry.window);
    entry.window = window;
    this.#routes.set(window, entry);
  }

  /** The frame's window, if it has been bound. */
  windowOf(secret: string): Window | undefined {
    return this.#expected.get(secret)?.window as Window | undefined;
  }

  get size(): number {
    return this.#expected.size;
  }

  destroy(): void {
    window.removeEventListener('message', this.#onMessage);
    this.#routes.clear();
    this.#expected.clear();
  }

  #onMessage = (event: MessageEvent): void => {
    const source = event.source;
    if (!source) return;
    // A bound frame's adapter reads (timed, within its own budget) what its frame posts.
    const bound = this.#routes.get(source);
    if (bound) {
      bound.handler(event);
      return;
    }
    const expected = this.#unboundWith(source);
    if (!expected) {
      this.#stray(source, event);
      return;
    }
    const { data, slow } = readTimed(event);
    if (slow) {
      expected.slow(slow);
      return;
    }
    const secret = expected.secretOf?.(data);
    if (secret === undefined || this.#expected.get(secret) !== expected) {
      this.#stray(source, event);
      return;
    }
    expected.window = source;
    this.#routes.set(source, expected);
    expected.handler(event);
  };

  /** The expected frame, not yet bound, whose window `source` is. */
  #unboundWith(source: MessageEventSource): Expected | undefined {
    // Only this page's child frames can be; reading another window's parent is free, a frame's contentWindow is not before it commits.
    if ((source as Window).parent !== window) return undefined;
    for (const entry of this.#expected.values()) if (!entry.window && entry.element.contentWindow === source) return entry;
    return undefined;
  }

  /** A window that is no frame of this host: its data is never read; one log line per child frame that posts. */
  #stray(source: MessageEventSource, event: MessageEvent): void {
    if ((source as Window).parent !== window || this.#strays.has(source)) return;
    this.#strays.add(source);
    this.#onStray(event);
  }
}
