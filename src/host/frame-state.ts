/**
 * The state machine of a frame: `loading` → `connecting` (its page loaded) →
 * `ready` (the guest finished its handshake), or `error` (the handshake
 * failed or timed out); `closed` at the end. A reload goes back to `loading`,
 * a navigation to `connecting`. The handshake timer runs in `loading` and
 * `connecting`; `ready` is a promise per connection attempt.
 */
import type { SlotbridgeError } from '../errors/slotbridge-error.js';
import type { PanelState } from './panel-handle.js';

export class FrameState {
  #state: PanelState = 'loading';
  #error: SlotbridgeError | undefined;
  #ready!: Promise<void>;
  #settle!: { resolve(): void; reject(error: SlotbridgeError): void };
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #timeout: number;
  readonly #timedOut: () => SlotbridgeError;
  readonly #changed: (state: PanelState, error: SlotbridgeError | undefined) => void;

  constructor(timeout: number, timedOut: () => SlotbridgeError, changed: (state: PanelState, error: SlotbridgeError | undefined) => void) {
    this.#timeout = timeout;
    this.#timedOut = timedOut;
    this.#changed = changed;
    this.#newReady();
  }

  get current(): PanelState {
    return this.#state;
  }

  get error(): SlotbridgeError | undefined {
    return this.#error;
  }

  get ready(): Promise<void> {
    return this.#ready;
  }

  /** Starts the handshake timer (again). */
  arm(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.fail(this.#timedOut()), this.#timeout);
  }

  loaded(): void {
    if (this.#state === 'loading') this.#set('connecting');
  }

  connected(): void {
    if (this.#state === 'error') this.#newReady();
    clearTimeout(this.#timer);
    this.#error = undefined;
    this.#set('ready');
    this.#settle.resolve();
  }

  /** A new document is coming: wait for its handshake. */
  restart(state: 'loading' | 'connecting'): void {
    if (this.#state === 'ready' || this.#state === 'error') this.#newReady();
    this.#error = undefined;
    this.#set(state);
    this.arm();
  }

  fail(error: SlotbridgeError): void {
    clearTimeout(this.#timer);
    this.#error = error;
    this.#set('error');
    this.#settle.reject(error);
  }

  /** Stops the timer; the state stays (a reload restarts it). */
  stop(): void {
    clearTimeout(this.#timer);
  }

  close(error: SlotbridgeError): void {
    clearTimeout(this.#timer);
    this.#settle.reject(error);
    this.#set('closed');
  }

  #newReady(): void {
    this.#ready = new Promise<void>((resolve, reject) => (this.#settle = { resolve, reject }));
    // Nobody has to await `ready`: an unobserved rejection is not an error.
    this.#ready.catch(() => {});
  }

  #set(state: PanelState): void {
    if (this.#state === state) return;
    this.#state = state;
    this.#changed(state, this.#error);
  }
}
