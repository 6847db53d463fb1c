/**
 * At most `count` uses per key in any `window` milliseconds; past it,
 * `RATE_LIMITED`. Each key keeps the times of its last `count` uses, no more.
 */
import { ErrorCode } from '../errors/error-code.js';
import { SlotbridgeError } from '../errors/slotbridge-error.js';

export class RateLimit {
  readonly #uses = new Map<string, number[]>();

  constructor(
    readonly count: number,
    readonly window: number,
    readonly what: string,
    readonly advice: string,
  ) {}

  /** Counts one use of `key`, or throws `RATE_LIMITED` when it had `count` in the window already. */
  take(key: string): void {
    const now = performance.now();
    const uses = this.#uses.get(key) ?? [];
    while (uses.length > 0 && now - uses[0] >= this.window) uses.shift();
    if (uses.length >= this.count) {
      throw new SlotbridgeError(
        ErrorCode.RATE_LIMITED,
        `${key} sent ${this.count} ${this.what} in ${this.window / 1000} s already; ${this.advice}.`,
      );
    }
    uses.push(now);
    this.#uses.set(key, uses);
  }
}
