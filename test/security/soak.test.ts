/**
 * Soak: 1,000 open/close cycles of a panel, and 100,000 calls. No error, and
 * no growth in listeners, frames, DOM nodes or heap beyond 5 %.
 */
import { expect } from 'chai';
import { executeServerCommand } from '@web/test-runner-commands';
import { createHarness, type Harness } from '../browser/bridge/harness.js';
import { attacks, honestStillWorks } from './attack.js';

/**
 * Counts the listeners added and not removed on the window and the document
 * while installed. (Listeners of removed elements go with them; holding
 * those elements here would itself be the leak.)
 */
function trackListeners() {
  const live = new Map<EventTarget, Set<string>>();
  const proto = EventTarget.prototype;
  const { addEventListener: add, removeEventListener: remove } = proto;
  const keyOf = (type: string, listener: unknown, options: unknown) => {
    const capture = typeof options === 'boolean' ? options : Boolean((options as { capture?: boolean } | undefined)?.capture);
    let id = listenerIds.get(listener as object);
    if (id === undefined) listenerIds.set(listener as object, (id = nextId++));
    return `${type}|${capture}|${id}`;
  };
  const listenerIds = new WeakMap<object, number>();
  let nextId = 0;
  proto.addEventListener = function (
    this: EventTarget,
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | AddEventListenerOptions,
  ) {
    if (listener && (this === window || this === document))
      (live.get(this) ?? live.set(this, new Set()).get(this)!).add(keyOf(type, listener, options));
    add.call(this, type, listener, options);
  };
  proto.removeEventListener = function (
    this: EventTarget,
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | EventListenerOptions,
  ) {
    if (listener) live.get(this)?.delete(keyOf(type, listener, options));
    remove.call(this, type, listener, options);
  };
  return {
    count(): number {
      let n = 0;
      for (const keys of live.values()) n += keys.size;
      return n;
    },
    restore() {
      proto.addEventListener = add;
      proto.removeEventListener = remove;
    },
  };
}

/** The page's JavaScript heap after a full collection (see the `heap-size` server command). */
const heap = () => executeServerCommand<number, undefined>('heap-size');

const growth = (after: number, before: number) => (after - before) / before;

describe('security: soak', function () {
  this.timeout(600_000);
  let h: Harness;
  let listeners: ReturnType<typeof trackListeners>;
  const attack = attacks('soak', () => honestStillWorks(h));

  beforeEach(async () => {
    listeners = trackListeners();
    h = await createHarness({ timeouts: { handshake: 10_000, call: 10_000 } });
    await h.mountGuest('honest');
  });

  afterEach(() => {
    h.destroy();
    listeners.restore();
  });

  /** Mounts and closes the panel `cycles` times, each time until it is ready. */
  async function cycle(cycles: number): Promise<void> {
    for (let i = 0; i < cycles; i++) {
      const slot = document.createElement('div');
      h.container.append(slot);
      // The guest on the built bundle: what an extension ships, and one request to load.
      const panel = h.host.mount('app-a', 'built', slot);
      await panel.ready;
      panel.close();
      slot.remove();
      h.records.length = 0;
    }
  }

  attack('opens and closes a panel 1,000 times: no listener, frame, node or heap left behind', async () => {
    await cycle(50);
    const before = {
      listeners: listeners.count(),
      frames: h.host.liveCounts,
      iframes: document.querySelectorAll('iframe').length,
      nodes: document.getElementsByTagName('*').length,
      heap: await heap(),
    };
    await cycle(1000);
    const after = {
      listeners: listeners.count(),
      frames: h.host.liveCounts,
      iframes: document.querySelectorAll('iframe').length,
      nodes: document.getElementsByTagName('*').length,
      heap: await heap(),
    };
    let leaks = 0;
    for (const key of ['listeners', 'iframes', 'nodes'] as const) if (after[key] > before[key]) leaks++;
    if (after.frames.frames > before.frames.frames || after.frames.routes > before.frames.routes) leaks++;
    if (growth(after.heap, before.heap) > 0.05) leaks++;
    expect({ ...after, heap: undefined }).to.deep.equal({ ...before, heap: undefined });
    expect(growth(after.heap, before.heap), `heap ${before.heap} → ${after.heap}`).to.be.at.most(0.05);
    return { tried: 1000, refused: 0, leaks };
  });

  attack('makes 100,000 calls: every one answered, no heap left behind', async () => {
    await h.mountGuest('caller');
    expect((await h.command('caller', 'callMany', { count: 5000 })).value).to.equal(5000);
    const before = { heap: await heap(), listeners: listeners.count() };
    expect((await h.command('caller', 'callMany', { count: 100_000 })).value).to.equal(100_000);
    h.records.length = 0;
    const after = { heap: await heap(), listeners: listeners.count() };
    expect(after.listeners).to.equal(before.listeners);
    expect(growth(after.heap, before.heap), `heap ${before.heap} → ${after.heap}`).to.be.at.most(0.05);
    return {
      tried: 100_000,
      refused: 0,
      leaks: (after.listeners > before.listeners ? 1 : 0) + (growth(after.heap, before.heap) > 0.05 ? 1 : 0),
    };
  });
});
