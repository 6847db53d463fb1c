/**
 * One `message` listener for the whole host, dispatching by the sending
 * window: with fifty frames that is one lookup per message, not fifty
 * listeners each checking `event.source`.
 */
export class WindowHub {
  readonly #routes = new Map<MessageEventSource, (event: MessageEvent) => void>();
  readonly #onStray: (event: MessageEvent) => void;

  constructor(onStray: (event: MessageEvent) => void) {
    this.#onStray = onStray;
    window.addEventListener('message', this.#onMessage);
  }

  route(source: Window, handler: (event: MessageEvent) => void): void {
    this.#routes.set(source, handler);
  }

  unroute(source: Window): void {
    this.#routes.delete(source);
  }

  get size(): number {
    return this.#routes.size;
  }

  destroy(): void {
    window.removeEventListener('message', this.#onMessage);
    this.#routes.clear();
  }

  #onMessage = (event: MessageEvent): void => {
    const handler = event.source ? this.#routes.get(event.source) : undefined;
    if (handler) handler(event);
    else if (isProtocolMessage(event.data)) this.#onStray(event);
  };
}

/** Only penpal-shaped strays are worth a log entry; pages post all sorts of things. */
function isProtocolMessage(data: unknown): boolean {
  return typeof data === 'object' && data !== null && (data as { namespace?: unknown }).namespace === 'penpal';
}
