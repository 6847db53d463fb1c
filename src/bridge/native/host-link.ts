/**
 * The host's end of a guest's own port (`port-messages.ts`): it serves the
 * guest's calls through the frame's port to the router, sends events, runs
 * the guest's functions, pings it, and closes.
 */
import { ErrorCode } from '../../errors/error-code.js';
import { SlotbridgeError } from '../../errors/slotbridge-error.js';
import { toWireError } from '../../errors/wire.js';
import type { BridgePort } from '../adapter.js';
import { readTimed } from '../message-read.js';
import { isThenable } from '../router.js';
import { BYE, CALL, CLOSED, EVENT, INVOKE, PING, PONG, REPLY, RESULT, type Settle } from './port-messages.js';

/** What ends the guest's document or its port: the connection's to decide. */
export interface LinkEnds {
  /** The guest's document is going away. */
  bye(): void;
  /** A message took `ms` to unpack: the port is closed already. */
  slow(ms: number): void;
}

/** The host's end of one guest's port. */
export class HostLink {
  readonly #port: MessagePort;
  readonly #frame: Pick<BridgePort, 'call' | 'rejected'>;
  readonly #ends: LinkEnds;
  /** Invocations and pings out, by id. */
  readonly #pending = new Map<number, Settle>();
  #next = 0;
  #closed = false;

  /** `frame`: the frame's port, which takes each call to the router. */
  constructor(port: MessagePort, frame: Pick<BridgePort, 'call' | 'rejected'>, ends: LinkEnds) {
    this.#port = port;
    this.#frame = frame;
    this.#ends = ends;
    port.onmessage = this.#receive;
  }

  /** Sends an event one way; throws if the payload cannot be cloned or the port is closed. */
  event(name: string, payload: unknown, transfer?: Transferable[]): void {
    if (this.#closed) throw new Error('The frame is not connected');
    const message = [EVENT, name, payload];
    if (transfer) this.#port.postMessage(message, { transfer });
    else this.#port.postMessage(message);
  }

  /** Runs a function the guest registered; rejects with what it threw. */
  invoke(fn: string, inputs: Record<string, unknown>): Promise<unknown> {
    return this.#ask((id) => [INVOKE, id, fn, inputs]);
  }

  /** Settles when the guest's page next answers. */
  ping(): Promise<unknown> {
    return this.#ask((id) => [PING, id]);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#port.onmessage = null;
    this.#port.postMessage([CLOSED]);
    this.#port.close();
    const lost = toWireError(new SlotbridgeError(ErrorCode.CONNECTION_LOST, 'The frame went away before it answered.'));
    for (const settle of this.#pending.values()) settle(false, lost);
    this.#pending.clear();
  }

  #ask(message: (id: number) => unknown[]): Promise<unknown> {
    if (this.#closed) return Promise.reject(new Error('The frame is not connected'));
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, (ok, value) => (ok ? resolve(value) : reject(value)));
      try {
        this.#port.postMessage(message(id));
      } catch (err) {
        this.#pending.delete(id);
        reject(err);
      }
    });
  }

  #receive = (event: MessageEvent): void => {
    const { data, slow } = readTimed(event);
    if (slow) {
      this.close();
      this.#ends.slow(slow);
      return;
    }
    if (!Array.isArray(data)) {
      this.#frame.rejected('a message on the port that is not one of the protocol');
      return;
    }
    const message = data as unknown[];
    // Read by index: the hot path of every call and answer.
    const kind = message[0];
    const id = message[1];
    if (kind === CALL && message.length === 4 && typeof id === 'number') this.#serve(id, message[2], message[3]);
    else if ((kind === RESULT && message.length === 4) || (kind === PONG && message.length === 2)) {
      const settle = typeof id === 'number' ? this.#pending.get(id) : undefined;
      if (!settle) {
        this.#frame.rejected('an answer to nothing the host asked');
        return;
      }
      this.#pending.delete(id as number);
      settle(kind === PONG || message[2] === true, message[3]);
    } else if (kind === BYE && message.length === 1) this.#ends.bye();
    else this.#frame.rejected('a message on the port that is not one of the protocol');
  };

  #serve(id: number, method: unknown, args: unknown): void {
    // The router checks everything of the call, its arguments' count first.
    let result: unknown;
    try {
      result = this.#frame.call(method, args);
    } catch (err) {
      this.#reply(id, false, err);
      return;
    }
    if (isThenable(result))
      result.then(
        (value) => this.#reply(id, true, value),
        (err: unknown) => this.#reply(id, false, err),
      );
    else this.#reply(id, true, result);
  }

  #reply(id: number, ok: boolean, value: unknown): void {
    if (this.#closed) return;
    // A refusal crosses as `{ name, code, message }`: never an Error, so no stack leaves the host.
    const answer = ok ? value : toWireError(value);
    try {
      this.#port.postMessage([REPLY, id, ok, answer]);
    } catch {
      // A result the platform returned that cannot be cloned (a function, a DOM node...).
      const error = new SlotbridgeError(
        ErrorCode.INVALID_OUTPUT,
        'The call returned what cannot be sent to a frame (a function, a DOM node...).',
      );
      this.#port.postMessage([REPLY, id, false, toWireError(error)]);
    }
  }
}
