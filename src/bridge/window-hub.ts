/**
 * One `message` listener for the whole host, dispatching by the sending
 * window: with fifty frames that is one lookup per message, not fifty
 * listeners each checking `event.source`.
 *
 * A frame's window is not read when the frame is created: reading
 * `iframe.contentWindow` before the frame has committed its first navigation
 * costs milliseconds of synchronous work. Instead the frame is expected by
 * its secret; its first message names the secret, and the window is checked
 * (`contentWindow === event.source`) and bound then, when reading it is free.
 */
interface Expected {
  element: HTMLIFrameElement;
  handler: (event: MessageEvent) => void;
  window: MessageEventSource | undefined;
}

export class WindowHub {
  readonly #routes = new Map<MessageEventSource, Expected>();
  readonly #expected = new Map<string, Expected>();
  readonly #onStray: (event: MessageEvent) => void;

  constructor(onStray: (event: MessageEvent) => void) {
    this.#onStray = onStray;
    window.addEventListener('message', this.#onMessage);
  }

  /** Routes the messages of `element`'s window, once it presents `secret`, to `handler`. */
  expect(secret: string, element: HTMLIFrameElement, handler: (event: MessageEvent) => void): void {
    this.#expected.set(secret, { element, handler, window: undefined });
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
    const bound = source ? this.#routes.get(source) : undefined;
    if (bound) {
      bound.handler(event);
      return;
    }
    const channel = (event.data as { channel?: unknown } | null)?.channel;
    const expected = typeof channel === 'string' ? this.#expected.get(channel) : undefined;
    if (source && expected && !expected.window && expected.element.contentWindow === source) {
      expected.window = source;
      this.#routes.set(source, expected);
      expected.handler(event);
    } else if (isProtocolMessage(event.data)) {
      this.#onStray(event);
    }
  };
}

/** Only strays shaped as a protocol's messages (penpal's, Dataloop's xFrame) are worth a log entry; pages post all sorts of things. */
function isProtocolMessage(data: unknown): boolean {
  return typeof data === 'object' && data !== null && ((data as { namespace?: unknown }).namespace === 'penpal' || (data as { xFrame?: unknown }).xFrame === true);
}
