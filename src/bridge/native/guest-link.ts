/**
 * The guest's end of its own port (`port-messages.ts`): the SDK's calls and
 * their deadlines, the host's events and invocations, the heartbeat's
 * answer, and the bye of a page going away.
 */
import { ErrorCode } from '../../errors/error-code.js';
import { SlotbridgeError } from '../../errors/slotbridge-error.js';
import { fromWireError, toWireError } from '../../errors/wire.js';
import { addDeadline } from '../deadlines.js';
import { BYE, CALL, CLOSED, EVENT, INVOKE, PING, PONG, REPLY, RESULT, type Settle } from './port-messages.js';

/** What the guest's end serves. */
export interface GuestSide {
  event(name: string, payload: unknown): void;
  /** Runs a registered function; rejects (with a wire error) for one it does not have. */
  invoke(fn: unknown, inputs: unknown): Promise<unknown>;
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
    // Read by index: the hot path of every call and answer.
    const kind = message[0];
    const id = message[1];
    if (kind === REPLY) {
      const settle = this.#pending.get(id as number);
      if (!settle) return;
      this.#pending.delete(id as number);
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
