import { expect } from 'chai';
import { createHarness } from './harness.js';
import { waitFor } from '../wait-for.js';
import { ErrorCode, SlotbridgeError } from '../../../src/index.js';

/**
 * Counts what the host leaves behind: `message` listeners on window and
 * timers it started and never cleared, by wrapping the browser's own functions.
 */
function trackResources() {
  const listeners = new Set<unknown>();
  const timers = new Set<number>();
  const stacks = new Map<number, string>();
  const { addEventListener: add, removeEventListener: remove } = window;
  const { setTimeout: set, clearTimeout: clear } = window;
  window.addEventListener = function (this: Window, type: string, fn: unknown, options?: unknown) {
    if (type === 'message') listeners.add(fn);
    add.call(this, type, fn as EventListener, options as AddEventListenerOptions);
  } as typeof window.addEventListener;
  window.removeEventListener = function (this: Window, type: string, fn: unknown, options?: unknown) {
    if (type === 'message') listeners.delete(fn);
    remove.call(this, type, fn as EventListener, options as EventListenerOptions);
  } as typeof window.removeEventListener;
  window.setTimeout = ((fn: TimerHandler, delay?: number, ...args: unknown[]) => {
    const id = set(
      (...a: unknown[]) => {
        timers.delete(id);
        if (typeof fn === 'function') (fn as (...x: unknown[]) => void)(...a);
      },
      delay,
      ...args,
    );
    // Short timers are the test's own polling; they end by themselves.
    if ((delay ?? 0) >= 100) {
      timers.add(id);
      stacks.set(id, new Error().stack ?? '');
    }
    return id;
  }) as typeof window.setTimeout;
  window.clearTimeout = ((id?: number) => {
    if (id !== undefined) timers.delete(id);
    clear(id);
  }) as typeof window.clearTimeout;
  return {
    listeners,
    timers,
    pending: () => [...timers].map((id) => stacks.get(id)),
    /** One turn of the event loop: rejections of calls in flight settle (and clear their timers) by then. */
    settle: () => new Promise((r) => set(r, 0)),
    restore() {
      Object.assign(window, { addEventListener: add, removeEventListener: remove, setTimeout: set, clearTimeout: clear });
    },
  };
}

describe('teardown', () => {
  it('host.destroy() leaves no frame, window listener, timer or route behind', async () => {
    const tracked = trackResources();
    try {
      const h = await createHarness();
      await h.mountGuest('a');
      await h.mountGuest('b');
      await h.host.execute('app-a', 'worker.double', { n: 1 });
      // Calls and events in flight when the host goes.
      h.host.emit('cmd', { id: 'late', tag: 'a', op: 'context' });
      const silent = h.host.mount('app-a', 'silent', h.container);
      expect(tracked.listeners.size).to.be.greaterThan(0);
      expect(tracked.timers.size).to.be.greaterThan(0, "the silent panel's handshake timer runs");
      h.host.destroy();
      await tracked.settle();
      expect(document.querySelectorAll('iframe').length).to.equal(0);
      expect(document.querySelector('[data-slotbridge-modules]')).to.equal(null);
      expect(h.host.liveCounts).to.deep.equal({ frames: 0, routes: 0 });
      expect(tracked.listeners.size).to.equal(0, 'window message listeners');
      expect(tracked.timers.size).to.equal(0, `timers: ${tracked.pending().join('\n')}`);
      expect(silent.state).to.equal('closed');
      expect(
        await silent.ready.then(
          () => 'resolved',
          (err: SlotbridgeError) => err.code,
        ),
      ).to.equal(ErrorCode.DESTROYED);
      h.host.destroy();
      h.container.remove();
    } finally {
      tracked.restore();
    }
  });

  it('a destroyed host refuses further work with DESTROYED', async () => {
    const h = await createHarness();
    h.host.destroy();
    expect(() => h.host.mount('app-a', 'remote', h.container))
      .to.throw(SlotbridgeError)
      .with.property('code', ErrorCode.DESTROYED);
    expect(() => h.host.emit('x'))
      .to.throw(SlotbridgeError)
      .with.property('code', ErrorCode.DESTROYED);
    const error = await h.host.execute('app-a', 'worker.double', { n: 1 }).then(
      () => undefined,
      (err: SlotbridgeError) => err,
    );
    expect(error?.code).to.equal(ErrorCode.DESTROYED);
    h.container.remove();
  });

  it('PanelHandle.close() removes its frame, route and timers, and the other panel keeps working', async () => {
    const tracked = trackResources();
    try {
      const h = await createHarness();
      const a = await h.mountGuest('a');
      await h.mountGuest('b');
      const states: string[] = [];
      h.host.on('panel:state', (p, s) => p === a && states.push(s));
      a.close();
      a.close();
      expect(states).to.deep.equal(['closed']);
      expect(a.element.isConnected).to.equal(false);
      expect(h.host.liveCounts).to.deep.equal({ frames: 1, routes: 1 });
      expect((await h.command('b', 'call', { method: 'items.get', args: ['x'] })).ok).to.equal(true);
      h.destroy();
      await tracked.settle();
      expect(tracked.timers.size).to.equal(0, `timers: ${tracked.pending().join('\n')}`);
    } finally {
      tracked.restore();
    }
  });

  it('uninstalling an app closes its panels and modules', async () => {
    const h = await createHarness({ apps: ['app-a', 'app-b'] });
    const a = await h.mountGuest('a');
    await h.mountGuest('b', { app: 'app-b' });
    await h.host.execute('app-a', 'worker.double', { n: 1 });
    await h.host.registry.uninstall('app-a');
    expect(a.state).to.equal('closed');
    expect(h.host.liveCounts.frames).to.equal(1);
    expect(document.querySelectorAll('[data-slotbridge-modules] iframe').length).to.equal(0);
    expect((await h.command('b', 'call', { method: 'items.get', args: ['x'] })).ok).to.equal(true);
    h.destroy();
  });

  it("the guest's destroy() stops auto-resize and disconnects", async () => {
    const { connect } = await import('../../../src/guest/index.js');
    const { createMockHost } = await import('../../../src/testing/index.js');
    const mock = createMockHost();
    const guest = await connect({ port: mock.port, autoResize: true });
    await waitFor(() => mock.heights.length > 0, 'a first height');
    const before = mock.heights.length;
    guest.destroy();
    const box = document.createElement('div');
    box.style.height = '500px';
    document.body.append(box);
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    expect(mock.heights.length).to.equal(before);
    const error = await guest.storage.get('k').then(
      () => undefined,
      (err: SlotbridgeError) => err,
    );
    expect(error?.code).to.equal(ErrorCode.CONNECTION_LOST);
    box.remove();
    mock.destroy();
  });
});
