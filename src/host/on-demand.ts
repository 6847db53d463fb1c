/**
 * A part of the runtime loaded on first use: `load()` starts it (once) and
 * resolves with it; `value` holds it once it is here, for code that must not
 * wait. A failed load is not kept: the next `load()` tries again.
 */
export class OnDemand<T> {
  value: T | undefined;
  #promise: Promise<T> | undefined;
  readonly #load: () => Promise<T>;

  constructor(load: () => Promise<T>) {
    this.#load = load;
  }

  load(): Promise<T> {
    this.#promise ??= this.#load().then(
      (value) => (this.value = value),
      (err: unknown) => {
        this.#promise = undefined;
        throw err;
      },
    );
    return this.#promise;
  }
}
