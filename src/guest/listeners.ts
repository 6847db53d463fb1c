/**
 * The guest's event listeners, by event name. A few lines instead of
 * eventemitter3 (886 bytes gzipped in the guest bundle, whose budget is
 * 7 KB): the guest needs only add, remove, count and emit, and those bytes
 * pay for its own call path (see `connect.ts`). The host keeps eventemitter3.
 *
 * Like `addEventListener`: a function listens once per event however often it
 * is added, and an emit calls the listeners there when it started.
 */
export type Listener = (payload: any) => void;

export class Listeners {
  readonly #byName = new Map<string, Set<Listener>>();

  add(name: string, fn: Listener): void {
    let set = this.#byName.get(name);
    if (!set) this.#byName.set(name, (set = new Set()));
    set.add(fn);
  }

  /** Removes `fn`, or every listener of `name` without it. */
  remove(name: string, fn?: Listener): void {
    if (fn) this.#byName.get(name)?.delete(fn);
    else this.#byName.delete(name);
  }

  count(name: string): number {
    return this.#byName.get(name)?.size ?? 0;
  }

  emit(name: string, payload: unknown): void {
    const set = this.#byName.get(name);
    if (set) for (const fn of [...set]) fn(payload);
  }

  clear(): void {
    this.#byName.clear();
  }
}
