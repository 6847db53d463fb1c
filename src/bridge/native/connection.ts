/**
 * The native connection to one frame, kept across the documents that load
 * in it: each document gets a fresh penpal connection (an attempt) for its
 * handshake, and then its own port (`host-link.ts`). The connected
 * document is known to be gone when its SDK says bye (pagehide), a SYN
 * comes from a new participant, or a second load event passes since its
 * first SYN (a document that never speaks replaced it). The port's `reset`
 * then fails the calls in flight instead of letting them hang.
 */
import { connect, type Connection } from 'penpal';
import type { BridgeConnection, BridgePort } from '../adapter.js';
import { PROTOCOL_VERSION } from '../protocol.js';
import { readTimed, tooSlowToRead } from '../message-read.js';
import { FrameMessenger } from './frame-messenger.js';
import { handshakeMethods } from './handshake.js';
import { synParticipant } from './penpal-message.js';
import { HostLink } from './host-link.js';

interface Attempt {
  connection: Connection;
  messenger: FrameMessenger;
  /** The document's penpal participant, once its first SYN came. */
  participant: string | undefined;
  /** Load events seen when the participant's first SYN came. */
  participantLoads: number;
  /** The guest's own port, once it said hello. */
  link: HostLink | undefined;
}

/** Window messages a document needs for its handshake (SYN, ACK1 or ACK2), with room to spare; past it, the rest of the load's are not read. */
const WINDOW_MESSAGES_PER_LOAD = 8;

export class NativeConnection implements BridgeConnection {
  #attempt: Attempt | undefined;
  #loads = 0;
  /** Window messages read since the frame's last load event. */
  #windowMessages = 0;
  #destroyed = false;
  readonly #port: BridgePort;

  constructor(port: BridgePort) {
    this.#port = port;
    this.#attempt = this.#newAttempt();
  }

  receive(event: MessageEvent): void {
    const attempt = this.#attempt;
    if (this.#destroyed || !attempt) return;
    // Everything after the handshake travels on the port: a frame that keeps posting on the window is not read.
    if (++this.#windowMessages > WINDOW_MESSAGES_PER_LOAD) {
      if (this.#windowMessages === WINDOW_MESSAGES_PER_LOAD + 1) {
        this.#port.rejected(`more than ${WINDOW_MESSAGES_PER_LOAD} messages on the window in one load; the rest are not read`);
      }
      return;
    }
    const read = readTimed(event);
    if (read.slow) {
      this.#tooSlow(read.slow);
      return;
    }
    // A SYN of another participant is another document: its handshake goes to a new attempt.
    const participant = event.origin === this.#port.origin ? synParticipant(read.data, this.#port.secret) : undefined;
    if (participant !== undefined) this.#participant(participant);
    this.#attempt!.messenger.receive(event);
  }

  loaded(): void {
    if (this.#destroyed) return;
    this.#loads++;
    this.#windowMessages = 0;
    // The connected document said its first SYN before the previous load ended: this load is another document's.
    const attempt = this.#attempt;
    if (attempt?.link && attempt.participantLoads <= this.#loads - 2) this.#replace('navigated');
  }

  send(name: string, payload: unknown, transfer?: Transferable[]): void {
    const link = this.#attempt?.link;
    if (!link) throw new Error('The frame is not connected');
    link.event(name, payload, transfer);
  }

  ping(): Promise<unknown> | undefined {
    return this.#attempt?.link?.ping();
  }

  invoke(fn: string, inputs: Record<string, unknown>): Promise<unknown> {
    const link = this.#attempt?.link;
    return link ? link.invoke(fn, inputs) : Promise.reject(new Error('The frame is not connected'));
  }

  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.#end(this.#attempt);
    this.#attempt = undefined;
  }

  /** A message took `ms` to unpack: the frame is failed and nothing more of it is read. */
  #tooSlow = (ms: number): void => {
    this.destroy();
    this.#port.fail(tooSlowToRead(ms));
  };

  /** A document said a SYN: the first names the attempt's participant; another's replaces the attempt. */
  #participant(participant: string): void {
    if (this.#attempt?.participant !== undefined && this.#attempt.participant !== participant) this.#replace('reload');
    const attempt = this.#attempt!;
    if (attempt.participant === undefined) {
      attempt.participant = participant;
      attempt.participantLoads = this.#loads;
    }
  }

  /** The connected document is gone (its page unloads, or another replaced it). */
  #retire(attempt: Attempt): void {
    if (!this.#destroyed && attempt === this.#attempt) this.#replace('navigated');
  }

  #replace(reason: 'reload' | 'navigated'): void {
    this.#end(this.#attempt);
    this.#attempt = this.#newAttempt();
    this.#port.reset(reason);
  }

  #end(attempt: Attempt | undefined): void {
    attempt?.link?.close();
    attempt?.connection.destroy();
  }

  #newAttempt(): Attempt {
    const port = this.#port;
    const messenger = new FrameMessenger(
      { window: () => port.window(), origin: port.origin, secret: port.secret },
      (reason) => port.rejected(reason),
      this.#tooSlow,
    );
    const methods = handshakeMethods(
      PROTOCOL_VERSION,
      (hello, guestPort) => {
        const answer = port.connected(hello);
        attempt.link?.close();
        // The guest's calls go from its port to the frame's, and on to the router.
        attempt.link = new HostLink(guestPort, port, { bye: () => this.#retire(attempt), slow: this.#tooSlow });
        return answer;
      },
      (error) => port.fail(error),
    );
    const attempt: Attempt = {
      messenger,
      connection: connect({ messenger, methods, channel: port.secret }),
      participant: undefined,
      participantLoads: 0,
      link: undefined,
    };
    // Destroyed before it connected: a newer attempt or destroy() took over.
    attempt.connection.promise.catch(() => undefined);
    return attempt;
  }
}
