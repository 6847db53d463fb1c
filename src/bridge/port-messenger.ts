/**
 * What slotbridge's own penpal messengers share (a frame's, on the host; a
 * Python worker's, as a guest): penpal's handlers, and the private
 * MessagePort the handshake ends with. One port at a time; a message on it
 * reaches the handlers only if the messenger accepts it; the port is closed
 * when replaced or when the messenger is destroyed.
 */
import type { InitializeMessengerOptions, Message, MessageHandler, Messenger } from 'penpal';
import { readTimed } from './message-read.js';

export abstract class PortMessenger implements Messenger {
  readonly #handlers = new Set<MessageHandler>();
  #port: MessagePort | undefined;

  abstract initialize: (options: InitializeMessengerOptions) => void;
  abstract sendMessage: (message: Message, transferables?: Transferable[]) => void;

  /** A message that came on the port, checked: the message to hand to penpal, or undefined to drop it. */
  protected abstract accept(data: unknown): Message | undefined;

  addMessageHandler = (handler: MessageHandler): void => {
    this.#handlers.add(handler);
  };

  removeMessageHandler = (handler: MessageHandler): void => {
    this.#handlers.delete(handler);
  };

  destroy = (): void => {
    this.destroyed();
    this.closePort();
    this.#handlers.clear();
  };

  /** Called first when the messenger is destroyed. */
  protected destroyed(): void {}

  /** A message on the port took `ms` to unpack; the port is closed already. */
  protected tooSlow(_ms: number): void {}

  /** The private port, once the handshake gave one. */
  protected get port(): MessagePort | undefined {
    return this.#port;
  }

  /** Takes `port` as the private port (closing the one before). */
  protected listen(port: MessagePort): void {
    this.closePort();
    this.#port = port;
    port.onmessage = (event: MessageEvent) => {
      const { data, slow } = readTimed(event);
      if (slow) {
        this.closePort();
        this.tooSlow(slow);
        return;
      }
      const message = this.accept(data);
      if (message) this.dispatch(message);
    };
  }

  protected closePort(): void {
    if (!this.#port) return;
    this.#port.onmessage = null;
    this.#port.close();
    this.#port = undefined;
  }

  protected dispatch(message: Message): void {
    for (const handler of this.#handlers) handler(message);
  }
}
