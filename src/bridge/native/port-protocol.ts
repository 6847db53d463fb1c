/**
 * slotbridge's own protocol on the private port a guest hands the host with
 * its `hello` (penpal carries the handshake up to there; see `handshake.ts`
 * and docs/bridge.md). Each message is a short list whose first entry says
 * what it is. No other file knows these shapes: the host's end (`HostLink`)
 * and the guest's (`GuestLink`) are both here.
 *
 * Guest to host:
 * - `[CALL, id, method, args]`: one call; answered by one REPLY.
 * - `[RESULT, id, ok, value]`: what a function the host invoked returned (or threw).
 * - `[PONG, id]`: the answer to a heartbeat.
 * - `[BYE]`: this document is going away (pagehide).
 *
 * Host to guest:
 * - `[REPLY, id, ok, value]`: a call's result, or its refusal (`{ name, code, message }`).
 * - `[EVENT, name, payload]`: an event the guest listens to, one way.
 * - `[INVOKE, id, fn, inputs]`: runs a function the guest registered.
 * - `[PING, id]`: the heartbeat.
 * - `[CLOSED]`: the host closed the connection (the frame closed or reloaded): calls in flight fail now.
 */
import { ErrorCode } from '../../errors/error-code.js';
import { SlotbridgeError } from '../../errors/slotbridge-error.js';
import { fromWireError, toWireError } from '../../errors/wire.js';
import { addDeadline } from '../deadlines.js';
import { readTimed } from '../message-read.js';

const CALL = 0;
const RESULT = 1;
const PONG = 2;
const BYE = 3;

const REPLY = 0;
const EVENT = 1;
const INVOKE = 2;
const PING = 3;
const CLOSED = 4;

/** What the host's end serves. */
export interface HostSide {
  /** One call: its result, a promise of it, or a thrown refusal. */
  call(method: unknown, args: unknown): unknown;
  /** The guest's document is going away. */
  bye(): void;
  /** A message that is none of the protocol's. */
  rejected(reason: string): void;
  /** A message took `ms` to unpack: the port is closed already. */
  slow(ms: number): void;
}

/** What the guest's end serves. */
export interface GuestSide {
  event(name: string, payload: unknown): void;
  /** Runs a registered function; rejects (with a wire error) for one it does not have. */
  invoke(fn: unknown, inputs: unknown): Promise<unknown>;
}

type Settle = (ok: boolean, value: unknown) => void;

/** The host's end of one guest's port. */
export class HostLink {
  readonly #port: MessagePort;
  readonly #side: HostSide;
  /** Invocations and pings out, by id. */
  readonly #pending = new Map<number, Settle>();
  #next = 0;
  #closed = false;

  constructor(port: MessagePort, side: HostSide) {
    this.#port = port;
    this.#side = side;
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
      this.#side.slow(slow);
      return;
    }
    if (!Array.isArray(data)) {
      this.#side.rejected('a message on the port that is not one of the protocol');
      return;
    }
    const message = data as unknown[];
    const [kind, id] = message;
    if (kind === CALL && message.length === 4 && typeof id === 'number') this.#serve(id, message[2], message[3]);
    else if ((kind === RESULT && message.length === 4) || (kind === PONG && message.length === 2)) {
      const settle = typeof id === 'number' ? this.#pending.get(id) : undefined;
      if (!settle) {
        this.#side.rejected('an answer to nothing the host asked');
        return;
      }
      this.#pending.delete(id as number);
      settle(kind === PONG || message[2] === true, message[3]);
    } else if (kind === BYE && message.length === 1) this.#side.bye();
    else this.#side.rejected('a message on the port that is not one of the protocol');
  };

  #serve(id: number, method: unknown, args: unknown): void {
    // The router checks everything of the call, its arguments' count first.
    let result: unknown;
    try {
      result = this.#side.call(method, args);
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

/** The guest's end of its port. */
export class GuestLink {
  readonly #port: MessagePort;
  readonly #side: GuestSide;
  readonly #callTimeout: number;
  readonly #pending = new Map<number, Settle>();
  #next = 0;
  #closed = false;

  constructor(port: MessagePort, side: GuestSide, callTimeout: number) {
    this.#port = port;
    this.#side = side;
    this.#callTimeout = callTimeout;
    port.onmessage = this.#receive;
  }

  /** One call: its result, or a `SlotbridgeError` (the host's refusal, a timeout, a closed connection). */
  call(method: string, args: unknown[]): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const timeout = this.#callTimeout;
      const fail = (err: unknown) => reject(fromWireError(err, method, timeout, ErrorCode.CONNECTION_LOST));
      if (this.#closed) {
        fail(undefined);
        return;
      }
      const id = this.#next++;
      const cancel = addDeadline(timeout, () => {
        this.#pending.delete(id);
        reject(new SlotbridgeError(ErrorCode.CALL_TIMEOUT, `${method} got no answer within ${timeout} ms.`));
      });
      this.#pending.set(id, (ok, value) => {
        cancel();
        if (ok) resolve(value);
        else fail(value);
      });
      try {
        this.#port.postMessage([CALL, id, method, args]);
      } catch (err) {
        // Not sent, so nothing will answer: an argument cannot be cloned.
        this.#pending.delete(id);
        cancel();
        fail(
          err instanceof DOMException && err.name === 'DataCloneError'
            ? new SlotbridgeError(
                ErrorCode.INVALID_ARGUMENTS,
                `The arguments of ${method} cannot be cloned (a function, a DOM node...): send plain data.`,
              )
            : err,
        );
      }
    });
  }

  /** Tells the host this document is going, so its calls in flight fail now instead of timing out. */
  bye(): void {
    if (!this.#closed) this.#port.postMessage([BYE]);
  }

  /** Closes the port; the calls in flight fail with `CONNECTION_LOST`. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#port.onmessage = null;
    this.#port.close();
    for (const settle of this.#pending.values()) settle(false, undefined);
    this.#pending.clear();
  }

  #receive = (event: MessageEvent): void => {
    const message = event.data as unknown[];
    if (!Array.isArray(message)) return;
    const [kind, id] = message;
    if (kind === REPLY && typeof id === 'number') {
      const settle = this.#pending.get(id);
      if (!settle) return;
      this.#pending.delete(id);
      settle(message[2] === true, message[3]);
    } else if (kind === EVENT && typeof id === 'string') this.#side.event(id, message[2]);
    else if (kind === INVOKE) {
      this.#side.invoke(message[2], message[3]).then(
        (value) => this.#answer([RESULT, id, true, value]),
        (err: unknown) => this.#answer([RESULT, id, false, toWireError(err)]),
      );
    } else if (kind === PING) this.#answer([PONG, id]);
    else if (kind === CLOSED) this.close();
  };

  #answer(message: unknown[]): void {
    if (this.#closed) return;
    try {
      this.#port.postMessage(message);
    } catch (err) {
      // A function's result that cannot be cloned: the host hears why instead of waiting.
      if (message[0] === RESULT) this.#port.postMessage([RESULT, message[1], false, toWireError(err)]);
    }
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
