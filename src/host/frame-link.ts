/**
 * The connection to one frame, kept across the frame's reloads. Each document
 * in the frame gets a fresh penpal connection under the same link. The
 * connected document is known to be gone when: its SDK says bye (pagehide);
 * a SYN comes from a new participant; or a second load event passes since
 * its first SYN (a document that never speaks replaced it). Calls in flight
 * then fail with `CONNECTION_LOST` instead of hanging.
 */
import { connect, type Connection, type Methods, type RemoteProxy } from 'penpal';
import { FrameMessenger, type FrameTarget } from './frame-messenger.js';
import type { EventList, GuestWire } from '../bridge/protocol.js';

export interface FrameLinkEvents {
  /** A new document in the frame started a handshake (or may have): the previous connection is gone. */
  onReset(reason: 'reload' | 'navigated'): void;
  /** Penpal connected; the guest's `hello` comes next. */
  onConnected(remote: RemoteProxy<GuestWire>): void;
  /** A message was dropped by the sender checks. */
  onRejected(reason: string): void;
}

interface Attempt {
  messenger: FrameMessenger;
  connection: Connection<GuestWire>;
  participant: string | undefined;
  /** Load events seen when the participant's first SYN came. */
  participantLoads: number;
  connected: boolean;
}

export class FrameLink {
  #attempt: Attempt | undefined;
  #loads = 0;
  #destroyed = false;
  readonly #target: FrameTarget;
  readonly #methods: Methods;
  readonly #events: FrameLinkEvents;

  constructor(target: FrameTarget, methods: Methods, events: FrameLinkEvents) {
    this.#target = target;
    this.#methods = methods;
    this.#events = events;
    this.#attempt = this.#newAttempt();
  }

  /** Every message whose source is this frame's window. */
  receive(event: MessageEvent): void {
    if (this.#destroyed || !this.#attempt) return;
    const data = event.data as { namespace?: unknown; type?: unknown; channel?: unknown; participantId?: unknown } | null;
    const isOwnSyn =
      data !== null &&
      typeof data === 'object' &&
      data.namespace === 'penpal' &&
      data.type === 'SYN' &&
      data.channel === this.#target.secret &&
      typeof data.participantId === 'string' &&
      event.origin === this.#target.origin;
    if (isOwnSyn) {
      const participant = data.participantId as string;
      if (this.#attempt.participant !== undefined && this.#attempt.participant !== participant) this.#replace('reload');
      if (this.#attempt!.participant === undefined) {
        this.#attempt!.participant = participant;
        this.#attempt!.participantLoads = this.#loads;
      }
    }
    this.#attempt!.messenger.receive(event);
  }

  /** The frame's load event: a document finished loading in the frame. */
  loaded(): void {
    if (this.#destroyed) return;
    this.#loads++;
    // The connected document said its first SYN before the previous load ended: this load is another document's.
    const attempt = this.#attempt;
    if (attempt?.connected && attempt.participantLoads <= this.#loads - 2) this.#replace('navigated');
  }

  /** The connected document said bye: it is unloading. */
  retire(): void {
    if (!this.#destroyed && this.#attempt?.participant !== undefined) this.#replace('navigated');
  }

  /**
   * Sends an event one way to the connected document, as the list
   * `[name, payload, secret]`. Throws if the payload cannot be cloned.
   */
  sendEvent(name: string, payload: unknown, transfer?: Transferable[]): void {
    if (!this.#attempt) throw new Error('The frame is not connected');
    const message: EventList = [name, payload, this.#target.secret];
    this.#attempt.messenger.post(message, transfer);
  }

  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.#attempt?.connection.destroy();
    this.#attempt = undefined;
  }

  #replace(reason: 'reload' | 'navigated'): void {
    this.#attempt?.connection.destroy();
    this.#attempt = this.#newAttempt();
    this.#events.onReset(reason);
  }

  #newAttempt(): Attempt {
    const messenger = new FrameMessenger(this.#target, (reason) => this.#events.onRejected(reason));
    const connection = connect<GuestWire>({ messenger, methods: this.#methods, channel: this.#target.secret });
    const attempt: Attempt = { messenger, connection, participant: undefined, participantLoads: 0, connected: false };
    connection.promise.then(
      (remote) => {
        if (this.#attempt !== attempt) return;
        attempt.connected = true;
        this.#events.onConnected(remote);
      },
      () => {
        // Destroyed before it connected: a newer attempt or destroy() took over.
      },
    );
    return attempt;
  }
}
