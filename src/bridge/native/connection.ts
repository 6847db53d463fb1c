/**
 * The native connection to one frame, kept across the documents that load
 * in it: each document gets a fresh penpal connection (an attempt). The
 * connected document is known to be gone when its SDK says bye (pagehide), a
 * SYN comes from a new participant, or a second load event passes since its
 * first SYN (a document that never speaks replaced it). The port's `reset`
 * then fails the calls in flight instead of letting them hang.
 */
import { connect, type Connection, type RemoteProxy } from 'penpal';
import type { BridgeConnection, BridgePort } from '../adapter.js';
import { type EventList, type GuestWire, PING_EVENT } from '../protocol.js';
import { readTimed, tooSlowToRead } from '../message-read.js';
import { FrameMessenger } from './frame-messenger.js';
import { hostMethods } from './handshake.js';
import { parsePenpalMessage } from './penpal-message.js';

interface Attempt {
  messenger: FrameMessenger;
  connection: Connection<GuestWire>;
  remote: RemoteProxy<GuestWire> | undefined;
  participant: string | undefined;
  /** Load events seen when the participant's first SYN came. */
  participantLoads: number;
  /** `connected`: penpal connected; `ready`: the guest said hello. */
  state: { connected: boolean; ready: boolean };
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
    const data = read.data as { namespace?: unknown; type?: unknown; channel?: unknown; participantId?: unknown } | null;
    const isOwnSyn =
      data !== null &&
      typeof data === 'object' &&
      data.namespace === 'penpal' &&
      data.type === 'SYN' &&
      data.channel === this.#port.secret &&
      typeof data.participantId === 'string' &&
      event.origin === this.#port.origin;
    if (isOwnSyn) {
      const participant = data.participantId as string;
      if (attempt.participant !== undefined && attempt.participant !== participant) this.#replace('reload');
      if (this.#attempt!.participant === undefined) {
        this.#attempt!.participant = participant;
        this.#attempt!.participantLoads = this.#loads;
      }
    }
    this.#attempt!.messenger.receive(event);
  }

  loaded(): void {
    if (this.#destroyed) return;
    this.#loads++;
    this.#windowMessages = 0;
    // The connected document said its first SYN before the previous load ended: this load is another document's.
    const attempt = this.#attempt;
    if (attempt?.state.connected && attempt.participantLoads <= this.#loads - 2) this.#replace('navigated');
  }

  /** One way, on the private port, as the list `[name, payload, secret]`. Throws if the payload cannot be cloned. */
  send(name: string, payload: unknown, transfer?: Transferable[]): void {
    if (!this.#attempt) throw new Error('The frame is not connected');
    const message: EventList = [name, payload, this.#port.secret];
    this.#attempt.messenger.post(message, transfer);
  }

  ping(): Promise<unknown> | undefined {
    const attempt = this.#attempt;
    return attempt?.state.ready ? attempt.remote?.event(PING_EVENT, undefined) : undefined;
  }

  invoke(fn: string, inputs: Record<string, unknown>): Promise<unknown> {
    const remote = this.#attempt?.state.ready ? this.#attempt.remote : undefined;
    return remote ? remote.invoke(fn, inputs) : Promise.reject(new Error('The frame is not connected'));
  }

  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.#attempt?.connection.destroy();
    this.#attempt = undefined;
  }

  /** A message took `ms` to unpack: the frame is failed and nothing more of it is read. */
  #tooSlow(ms: number): void {
    this.destroy();
    this.#port.fail(tooSlowToRead(ms));
  }

  /** The connected document is gone (its page unloads, or another replaced it). */
  #retire = (): void => {
    if (!this.#destroyed && this.#attempt?.participant !== undefined) this.#replace('navigated');
  };

  #replace(reason: 'reload' | 'navigated'): void {
    this.#attempt?.connection.destroy();
    this.#attempt = this.#newAttempt();
    this.#port.reset(reason);
  }

  #newAttempt(): Attempt {
    const port = this.#port;
    const target = { window: () => port.window(), origin: port.origin, secret: port.secret, parse: parsePenpalMessage };
    const messenger = new FrameMessenger(
      target,
      (reason) => port.rejected(reason),
      (ms) => this.#tooSlow(ms),
    );
    const state = { connected: false, ready: false };
    const connection = connect<GuestWire>({ messenger, methods: hostMethods(port, state, this.#retire), channel: port.secret });
    const attempt: Attempt = { messenger, connection, remote: undefined, participant: undefined, participantLoads: 0, state };
    connection.promise.then(
      (remote) => {
        attempt.remote = remote;
        attempt.state.connected = true;
      },
      () => {
        // Destroyed before it connected: a newer attempt or destroy() took over.
      },
    );
    return attempt;
  }
}
