/**
 * The guest's event listeners, by event name. A few lines instead of
 * eventemitter3 (886 bytes gzipped in the guest bundle, whose budget is
 * 7 KB): the guest needs only add, remove, count and emit, and those bytes
 * pay for its own call path (see `connect.ts`). The host keeps eventemitter3.
 *
 * Like `addEventListener`: a function listens once per event however often it
 * is added, an emit calls the listeners there when it started, and a listener
 * that throws is reported (`reportError`) without keeping the others from
 * the event.
 */
// A payload is what the platform sent under that event's name: a listener declares the type it expects.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Listener = (payload: any) => void;

/** A listener added through `once`: the wrapper holds the function it was given, so `remove` finds it by either. */
export type OnceListener = Listener & { readonly listener: Listener };

export class Listeners {
  // Lists copied on every change, never changed in place: an emit walks the list it started with,
  // without copying it, and with no iterator (events reach every panel, some before their code is optimized).
  readonly #byName = new Map<string, readonly Listener[]>();

  add(name: string, fn: Listener): void {
    const list = this.#byName.get(name) ?? [];
    if (!list.includes(fn)) this.#byName.set(name, [...list, fn]);
  }

  /** Removes `fn` (also when added through `once`), or every listener of `name` without it. */
  remove(name: string, fn?: Listener): void {
    const rest = fn ? (this.#byName.get(name) ?? []).filter((other) => other !== fn && (other as OnceListener).listener !== fn) : [];
    // No empty lists kept: a name is in the map only while something listens to it.
    if (rest.length) this.#byName.set(name, rest);
    else this.#byName.delete(name);
  }

  count(name: string): number {
    return this.#byName.get(name)?.length ?? 0;
  }

  emit(name: string, payload: unknown): void {
    const list = this.#byName.get(name);
    if (!list) return;
    for (let i = 0; i < list.length; i++) {
      try {
        list[i](payload);
      } catch (err) {
        // The page's own error: to its console and `error` listeners, as a throwing event listener's would be.
        reportError(err);
      }
    }
  }

  clear(): void {
    this.#byName.clear();
  }
}
