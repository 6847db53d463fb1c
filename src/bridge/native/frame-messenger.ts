/**
 * A penpal Messenger for one connection to one frame, with slotbridge's
 * sender checks: the message must come from the frame's window, from the
 * exact expected origin (`'null'` for an opaque-origin frame), carry the
 * frame's secret as penpal's channel, and have a valid shape.
 */
import type { InitializeMessengerOptions, Message } from 'penpal';
import { PortMessenger } from '../port-messenger.js';
import { parsePenpalMessage } from './penpal-message.js';

/**
 * Penpal elects the handshake's leader by comparing participant ids as
 * strings. Prefixing the guest's id with a character below any id character
 * (and the host's with one above) makes the host lead every time, which
 * saves the guest a round trip in half of all handshakes; both sides still
 * agree, since each compares the same pair.
 */
const GUEST_PREFIX = '!';
const HOST_PREFIX = '~';

export interface FrameTarget {
  /** The frame's window (the same object across its navigations), once known. */
  window(): Window | undefined;
  /** Exact origin expected of the frame: an http(s) origin, or `'null'` for a sandboxed frame. */
  origin: string;
  /** The per-frame secret, used as penpal's channel. */
  secret: string;
}

export class FrameMessenger extends PortMessenger {
  #remoteSeen = false;
  #destroyed = false;
  readonly #target: FrameTarget;
  readonly #onRejected: (reason: string) => void;
  readonly #onSlow: (ms: number) => void;

  constructor(target: FrameTarget, onRejected: (reason: string) => void, onSlow: (ms: number) => void) {
    super();
    this.#target = target;
    this.#onRejected = onRejected;
    this.#onSlow = onSlow;
  }

  initialize = (_options: InitializeMessengerOptions): void => {
    // Validation happens in receive(): it is stricter than penpal's.
  };

  /** Called by the host's window listener for every message whose source is this frame's window. */
  receive(event: MessageEvent): void {
    if (this.#destroyed) return;
    if (event.origin !== this.#target.origin) {
      this.#onRejected(`message from origin ${event.origin}, expected ${this.#target.origin}`);
      return;
    }
    const message = parsePenpalMessage(event.data, this.#target.secret);
    if (!message) {
      this.#onRejected('message without the frame secret or with a malformed shape');
      return;
    }
    if (message.type === 'SYN') {
      this.#remoteSeen = true;
      this.closePort();
      this.dispatch({ ...message, participantId: `${GUEST_PREFIX}${message.participantId}` });
      return;
    } else if (message.type === 'ACK2') {
      const port = event.ports.at(0);
      if (!port) return;
      this.listen(port);
    } else if (message.type !== 'ACK1') {
      // Everything after the handshake travels on the private port, never the window.
      this.#onRejected(`${message.type} posted on the window instead of the port`);
      return;
    }
    this.dispatch(message);
  }

  sendMessage = (message: Message, transferables?: Transferable[]): void => {
    if (this.#destroyed) return;
    if (message.type === 'SYN' || message.type === 'ACK1' || message.type === 'ACK2') {
      // An opaque origin cannot be targeted, so the first SYN waits for the frame's own SYN:
      // the secret then only goes to a document that already had it.
      if (!this.#remoteSeen) return;
      if (message.type === 'SYN') message = { ...message, participantId: `${HOST_PREFIX}${message.participantId}` };
      const targetOrigin = this.#target.origin === 'null' ? '*' : this.#target.origin;
      const transfer = transferables ? [...transferables] : [];
      if (message.type === 'ACK2') {
        const { port1, port2 } = new MessageChannel();
        this.listen(port1);
        transfer.unshift(port2);
      }
      this.#target.window()?.postMessage(message, { targetOrigin, transfer });
      return;
    }
    this.post(message, transferables);
  };

  /** Posts on the private port: penpal's messages after the handshake, and slotbridge's own (one-way events). */
  post(message: object, transfer?: Transferable[]): void {
    const port = this.port;
    if (this.#destroyed || !port) throw new Error('The frame is not connected');
    if (transfer) port.postMessage(message, { transfer });
    else port.postMessage(message);
  }

  protected override destroyed(): void {
    this.#destroyed = true;
  }

  protected override tooSlow(ms: number): void {
    this.#destroyed = true;
    this.#onSlow(ms);
  }

  protected accept(data: unknown): Message | undefined {
    const message = parsePenpalMessage(data, this.#target.secret);
    if (!message) this.#onRejected('malformed message on the port');
    return message;
  }
}
