/**
 * The Python worker's side of the bridge: a penpal messenger whose three
 * handshake messages its frame's page relays to and from the host's window
 * (a worker has no window of its own), and whose private port, made here,
 * the page hands to the host with the last of them. Every call after that
 * reaches the interpreter in one hop, as a JavaScript module's reach its page.
 */
import type { InitializeMessengerOptions, Message } from 'penpal';
import { PortMessenger } from '../port-messenger.js';
import { isHandshake } from './penpal-message.js';

export class RelayedMessenger extends PortMessenger {
  #validate: InitializeMessengerOptions['validateReceivedMessage'] | undefined;
  readonly #relay: (message: Message, transfer: Transferable[]) => void;

  /** `relay` posts a handshake message to the page, which posts it to the host's window. */
  constructor(relay: (message: Message, transfer: Transferable[]) => void) {
    super();
    this.#relay = relay;
  }

  initialize = ({ validateReceivedMessage }: InitializeMessengerOptions): void => {
    this.#validate = validateReceivedMessage;
  };

  /** A handshake message the page relayed from the host's window; anything else is not taken from there. */
  receive(data: unknown): void {
    if (!isHandshake(data) || !this.#validate?.(data)) return;
    // A new handshake (the host's SYN) replaces the port of the last one.
    if (data.type === 'SYN') this.closePort();
    this.dispatch(data);
  }

  sendMessage = (message: Message, transferables: Transferable[] = []): void => {
    if (message.type === 'ACK2') {
      const { port1, port2 } = new MessageChannel();
      this.listen(port1);
      this.#relay(message, [port2, ...transferables]);
    } else if (isHandshake(message)) {
      this.#relay(message, transferables);
    } else if (this.port) {
      this.port.postMessage(message, { transfer: transferables });
    } else {
      throw new Error('The Python module is not connected to its host yet');
    }
  };

  protected accept(data: unknown): Message | undefined {
    return this.#validate?.(data) ? data : undefined;
  }
}
