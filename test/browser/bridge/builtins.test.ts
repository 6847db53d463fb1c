import { expect } from 'chai';
import * as z from 'zod/mini';
import { createHarness, crossOriginFixtures, fixtureManifest, type Harness } from './harness.js';
import { waitFor } from '../wait-for.js';
import { ErrorCode, method, SlotbridgeError, type BridgeLogEntry, type Notification, type PanelHandle } from '../../../src/index.js';

describe('the built-in namespaces', () => {
  let h: Harness;
  afterEach(() => h?.destroy());

  const call = (tag: string, method: string, args: unknown[] = []) => h.command(tag, 'call', { method, args });

  it('context.get returns the full context', async () => {
    h = await createHarness();
    await h.mountGuest('a', { context: { dataset: { id: 'd1' } } });
    // context.get is not among the SDK's namespaces (host.context holds it): reach it raw.
    const raw = await h.command('a', 'rawCall', { ns: 'context', m: 'get' });
    expect(raw.value).to.include({ app: 'app-a', project: 'p1' });
    expect(raw.value.dataset).to.deep.equal({ id: 'd1' });
  });

  it('ui.notify reaches the host as a notify event, text untouched', async () => {
    h = await createHarness();
    const seen: Notification[] = [];
    h.host.on('notify', (n) => seen.push(n));
    await h.mountGuest('a');
    await call('a', 'ui.notify', [{ message: '<img src=x onerror=alert(1)>', level: 'success' }]);
    expect(seen).to.deep.equal([{ app: 'app-a', panel: 'remote', message: '<img src=x onerror=alert(1)>', level: 'success' }]);
    expect((await call('a', 'ui.notify', [{ message: '' }])).code).to.equal(ErrorCode.INVALID_ARGUMENTS);
  });

  it("ui.openPanel opens the same app's panel through the registered opener", async () => {
    h = await createHarness();
    const opened: { app: string; panel: string; context: Record<string, unknown> }[] = [];
    const windows = document.createElement('div');
    h.container.append(windows);
    h.host.registerOpener('floatingWindow', (request) => {
      opened.push(request);
      return h.host.mount(request.app, request.panel, windows, { slot: 'floatingWindow', context: request.context });
    });
    await h.mountGuest('a');
    const result = await call('a', 'ui.openPanel', ['remote', { slot: 'floatingWindow', context: { tag: 'w' } }]);
    expect(result.ok).to.equal(true);
    expect(opened).to.deep.equal([{ app: 'app-a', panel: 'remote', context: { tag: 'w' } }]);
    await h.record('w', 'ready');
    const missing = await call('a', 'ui.openPanel', ['not-a-panel']);
    expect(missing.ok).to.equal(false);
  });

  it('ui.openPanel without a window slot on the page says what to add', async () => {
    h = await createHarness();
    await h.mountGuest('a');
    const result = await call('a', 'ui.openPanel', ['remote', { slot: 'dialog' }]);
    expect(result.ok).to.equal(false);
  });

  it('ui.close closes the calling panel', async () => {
    h = await createHarness();
    const panel = await h.mountGuest('a');
    h.host.emit('cmd', { id: 'close', tag: 'a', op: 'call', method: 'ui.close', args: [] });
    await waitFor(() => panel.state === 'closed', 'the panel to close');
    expect(panel.element.isConnected).to.equal(false);
    expect(h.host.panels).to.deep.equal([]);
  });

  it('ui.resize sets the frame height, and auto-resize measures positioned content too', async () => {
    h = await createHarness();
    const panel = await h.mountGuest('a');
    await call('a', 'ui.resize', [{ height: 321 }]);
    expect(panel.element.style.height).to.equal('321px');
    expect((await call('a', 'ui.resize', [{ height: -5 }])).code).to.equal(ErrorCode.INVALID_ARGUMENTS);
  });

  it('settings.get returns the saved settings, and saving sends a settings event', async () => {
    h = await createHarness();
    await h.mountGuest('a');
    await h.command('a', 'listen', { event: 'settings' });
    await h.host.registry.saveSettings('app-a', { threshold: 0.7 });
    const event = await h.record('a', 'event:settings');
    const saved = { hyperparams: {}, configuration: { threshold: 0.7 } };
    expect(event.value).to.deep.equal(saved);
    expect((await call('a', 'settings.get')).value).to.deep.equal(saved);
  });

  it('settings.set changes one setting of the calling app, by path, and refuses bad paths', async () => {
    h = await createHarness();
    await h.mountGuest('a');
    expect((await call('a', 'settings.set', ['hyperparams.General.tasks_count', 12])).code).to.equal(undefined);
    expect(h.host.registry.installation('app-a')?.settings).to.deep.equal({
      hyperparams: { General: { tasks_count: 12 } },
      configuration: {},
    });
    for (const path of ['hyperparams.General', 'configuration.__proto__', 'hyperparams.__proto__.x', 'items.a', 'configuration.a.b']) {
      expect((await call('a', 'settings.set', [path, 1])).code, path).to.equal(ErrorCode.BAD_INPUT);
    }
    expect(({} as Record<string, unknown>)['x']).to.equal(undefined);
    expect(h.host.registry.installation('app-a')?.settings).to.deep.equal({
      hyperparams: { General: { tasks_count: 12 } },
      configuration: {},
    });
  });

  it('storage keeps values per app and per project', async () => {
    h = await createHarness({ apps: ['app-a', 'app-b'], scope: 'organization' });
    await h.mountGuest('a');
    await h.mountGuest('b', { app: 'app-b' });
    await call('a', 'storage.set', ['k', { n: 1 }]);
    expect((await call('a', 'storage.get', ['k'])).value).to.deep.equal({ n: 1 });
    expect((await call('a', 'storage.keys')).value).to.deep.equal(['k']);
    expect((await call('b', 'storage.get', ['k'])).value).to.equal(undefined, 'another app cannot see it');
    h.host.project = 'p2';
    await h.host.registry.install('app-a', { project: 'p2' });
    const other = document.createElement('div');
    h.container.append(other);
    h.host.mount('app-a', 'remote', other, { context: { tag: 'p2' } });
    await h.record('p2', 'ready');
    expect((await call('p2', 'storage.get', ['k'])).value).to.equal(undefined, 'another project has its own storage');
    // The change of project closed p1's frames: a frame of p1 again finds p1's value.
    h.host.project = 'p1';
    await h.mountGuest('a-again');
    expect((await call('a-again', 'storage.get', ['k'])).value).to.deep.equal({ n: 1 });
    await call('a-again', 'storage.remove', ['k']);
    expect((await call('a-again', 'storage.keys')).value).to.deep.equal([]);
    expect((await call('a-again', 'storage.set', ['', 1])).code).to.equal(ErrorCode.INVALID_ARGUMENTS);
  });

  it('refuses a flood of storage writes past limits.maxStorageWrites with RATE_LIMITED, per app, keeping what it took', async () => {
    h = await createHarness({ apps: ['app-a', 'app-b'], limits: { maxStorageWrites: 5 } });
    await h.mountGuest('a');
    await h.mountGuest('b', { app: 'app-b' });
    const codes = [];
    for (let i = 0; i < 7; i++)
      codes.push((await (i % 2 ? call('a', 'storage.remove', [`k${i}`]) : call('a', 'storage.set', [`k${i}`, i]))).code);
    expect(codes).to.deep.equal([undefined, undefined, undefined, undefined, undefined, ErrorCode.RATE_LIMITED, ErrorCode.RATE_LIMITED]);
    expect((await call('a', 'storage.keys')).value).to.deep.equal(['k0', 'k2', 'k4'], 'reads are not counted; the writes it took are kept');
    const refused = await call('a', 'storage.set', ['late', 1]);
    expect(refused.message).to.match(/app-a sent 5 storage writes in 10 s already; write less often/);
    expect((await call('b', 'storage.set', ['k', 1])).code).to.equal(undefined, 'another app has its own budget');
  });

  it("events.emit reaches the same app's other frames only", async () => {
    h = await createHarness({ apps: ['app-a', 'app-b'] });
    await h.mountGuest('a1');
    await h.mountGuest('a2');
    await h.mountGuest('b', { app: 'app-b' });
    for (const tag of ['a1', 'a2', 'b']) await h.command(tag, 'listen', { event: 'refresh' });
    await call('a1', 'events.emit', ['refresh', { n: 1 }]);
    expect((await h.record('a2', 'event:refresh')).value).to.deep.equal({ n: 1 });
    await call('a1', 'events.emit', ['marker', null]);
    expect(h.received('b', 'refresh')).to.deep.equal([]);
    expect(h.received('a1', 'refresh')).to.deep.equal([], 'not back to the sender');
  });

  it('report.* records what the dashboard will show', async () => {
    h = await createHarness();
    await h.mountGuest('a');
    await call('a', 'report.scalar', ['loss', 'train', 3, 0.12]);
    await call('a', 'report.log', ['step 3 done']);
    const reports = await h.host.registry.reports('app-a');
    expect(reports.map((r) => r.kind)).to.deep.equal(['scalar', 'log']);
    expect(reports[0]).to.include({ metric: 'loss', variant: 'train', iteration: 3, value: 0.12, app: 'app-a', project: 'p1' });
    expect((await call('a', 'report.scalar', ['loss', 'train', 'three', 1])).code).to.equal(ErrorCode.INVALID_ARGUMENTS);
  });

  it("functions.execute runs the app's own declared function", async () => {
    h = await createHarness();
    await h.mountGuest('a');
    const result = await call('a', 'functions.execute', ['worker.double', { n: 21 }]);
    expect(result.value).to.include({ status: 'success', function: 'worker.double', app: 'app-a' });
    expect(result.value.outputs).to.deep.equal({ result: 42 });
  });
});

describe('events', () => {
  let h: Harness;
  afterEach(() => h?.destroy());

  it('reach only the guests that listen to them', async () => {
    h = await createHarness();
    await h.mountGuest('a');
    await h.mountGuest('b');
    await h.command('a', 'listen', { event: 'selection' });
    h.host.emit('selection', ['i1']);
    expect((await h.record('a', 'event:selection')).value).to.deep.equal(['i1']);
    await h.command('b', 'context');
    expect(h.received('b', 'selection')).to.deep.equal([]);
    await h.command('a', 'unlisten', { event: 'selection' });
    h.host.emit('selection', ['i2']);
    await h.command('a', 'context');
    expect(h.received('a', 'selection').length).to.equal(1);
  });

  it('reach the other listeners of a guest when one throws; the guest page gets the error as its own', async () => {
    h = await createHarness();
    await h.mountGuest('a');
    const errorsBefore = (await h.command('a', 'pageErrors')).value as number;
    await h.command('a', 'listenAfterThrowing', { event: 'selection' });
    h.host.emit('selection', ['i1']);
    h.host.emit('selection', ['i2']);
    await h.command('a', 'context');
    expect(h.received('a', 'selection')).to.deep.equal([['i1'], ['i2']]);
    expect((await h.command('a', 'pageErrors')).value).to.equal(errorsBefore + 2);
  });

  it('stop for a guest listener added with once when off removes the same function', async () => {
    h = await createHarness();
    await h.mountGuest('a');
    await h.command('a', 'onceThenOff', { event: 'selection' });
    h.host.emit('selection', ['i1']);
    await h.command('a', 'context');
    expect(h.received('a', 'selection')).to.deep.equal([]);
  });

  it('keep a guest subscribed while a once listener listens once again from inside itself', async () => {
    h = await createHarness();
    const calls: string[] = [];
    h.host.on('call', (entry) => calls.push(entry.name));
    await h.mountGuest('a');
    await h.command('a', 'onceAgain', { event: 'selection', count: 3 });
    for (const n of [1, 2, 3]) h.host.emit('selection', [`i${n}`]);
    await h.command('a', 'context');
    expect(h.received('a', 'selection')).to.deep.equal([['i1'], ['i2'], ['i3']]);
    expect(calls.filter((name) => name === 'events.unsubscribe')).to.deep.equal(['events.unsubscribe'], 'once, after the last');
  });

  it('refuse a guest listener that is not a function, or an event name that is not a string, with BAD_INPUT', async () => {
    h = await createHarness();
    await h.mountGuest('a');
    const notAFunction = await h.command('a', 'listenWith', { event: 'selection', listener: 'record it' });
    expect(notAFunction.ok).to.equal(false);
    expect(notAFunction.code).to.equal(ErrorCode.BAD_INPUT);
    expect(notAFunction.message).to.match(/a function to call with each event/);
    const notAName = await h.command('a', 'listenWith', { event: 7, listener: 'record it' });
    expect(notAName.code).to.equal(ErrorCode.BAD_INPUT);
  });

  it('move a transferable to the one frame that listens, without a copy', async () => {
    h = await createHarness({ apps: ['app-a', 'app-b'] });
    await h.mountGuest('a');
    await h.mountGuest('b', { app: 'app-b' });
    await h.command('a', 'listen', { event: 'bytes' });
    await h.command('b', 'listen', { event: 'bytes' });
    const buffer = new Uint8Array([1, 2, 3, 250]).buffer;
    expect(() => h.host.emit('bytes', { buffer }, { transfer: [buffer] })).to.throw(SlotbridgeError, /2 ready frames listen/);
    expect(buffer.byteLength).to.equal(4, 'a refused transfer leaves the buffer here');
    expect(() => h.host.emit('nobody', { buffer }, { transfer: [buffer] })).to.throw(SlotbridgeError, /0 ready frames listen/);
    h.host.emit('bytes', { buffer }, { app: 'app-a', transfer: [buffer] });
    expect(buffer.byteLength).to.equal(0, 'moved: this page no longer holds it');
    const received = (await h.record('a', 'event:bytes')).value as { buffer: ArrayBuffer };
    expect([...new Uint8Array(received.buffer)]).to.deep.equal([1, 2, 3, 250]);
  });

  /** A harness whose bridge log entries gather in the returned list. */
  const harnessWithLog = async (options: Parameters<typeof createHarness>[0] = {}): Promise<BridgeLogEntry[]> => {
    const log: BridgeLogEntry[] = [];
    h = await createHarness({ ...options, log: (entry) => log.push(entry) });
    return log;
  };

  /** What the wire guest saw on its port, but the heartbeat's pings (`[3, id]`). */
  const withoutPings = (seen: { kind: unknown }[]) => seen.filter((m) => m.kind !== 3);

  it("go one way: one [EVENT, name, payload] list each on the guest's port, nothing to answer", async () => {
    const log = await harnessWithLog();
    h.host.mount('app-a', 'wire', h.container.appendChild(document.createElement('div')));
    expect((await h.record('wire-2.0', 'ready')).value).to.equal('2.0', 'the host answers hello with its protocol');
    for (let n = 1; n <= 3; n++) h.host.emit('tick', { n });
    const third = (await h.record('wire-2.0', 'tick-3')).value;
    expect(third.payload).to.deep.equal({ n: 3 });
    // Nothing but the three events came on the port (and the heartbeat's pings, if a beat came meanwhile): no replies owed.
    expect(withoutPings(third.seen)).to.deep.equal([1, 2, 3].map(() => ({ kind: 1, length: 3, event: 'tick' })));
    expect(log.filter((e) => e.kind === 'event')).to.deep.equal([], 'no event failed or timed out');
  });

  it('sent while the host serves a call reach the calling guest before its answer', async () => {
    // One ordered channel: a handler that changes what a guest sees and then answers is seen in that order.
    h = await createHarness({
      api: {
        notes: {
          touch: method({ input: z.tuple([z.string()]), permission: 'items:read' }, (name, call) => {
            h.host.emit(name, 'changed', { app: call.app });
            return 'answered';
          }),
        },
      },
    });
    await h.mountGuest('a');
    const result = await h.command('a', 'eventBeforeReply', { ns: 'notes', m: 'touch', event: 'touched' });
    expect(result.value).to.deep.equal({ answer: 'answered', eventsBefore: ['changed'] });
  });

  it('with a payload that cannot be cloned: a BAD_INPUT log entry, and the next event goes through', async () => {
    const log = await harnessWithLog();
    await h.mountGuest('a');
    await h.command('a', 'listen', { event: 'selection' });
    h.host.emit('selection', { node: document.body });
    const failed = log.filter((e) => e.kind === 'event');
    expect(failed.length).to.equal(1);
    expect(failed[0]).to.include({ name: 'selection', outcome: 'error', code: ErrorCode.BAD_INPUT });
    expect(failed[0].message).to.match(/cannot be cloned/);
    h.host.emit('selection', ['i1']);
    expect((await h.record('a', 'event:selection')).value).to.deep.equal(['i1']);
  });

  it('to a guest that is not answering: at most 1,000 more wait in its page, the rest are dropped and logged, and it gets events again once it answers', async () => {
    const log = await harnessWithLog({ timeouts: { handshake: 5000, call: 5000, heartbeat: 100 } });
    // Another site: its loop holds its own process, not this page.
    await h.host.registry.publish(fixtureManifest('app-far'), { baseUrl: crossOriginFixtures });
    await h.host.registry.install('app-far');
    const spinner = await h.mountGuest('spinner', { app: 'app-far' });
    await h.command('spinner', 'spin', { ms: 3000 });
    await waitFor(() => !spinner.responding, 'the looping panel to be marked not responding');
    // Commands for nobody: the guest ignores them when its loop ends.
    for (let i = 0; i < 1005; i++) h.host.emit('cmd', { id: `ignored-${i}`, tag: 'nobody', op: 'context' });
    const dropped = log.filter((e) => e.kind === 'event');
    expect(dropped.length).to.equal(5);
    expect(dropped[0]).to.include({ name: 'cmd', outcome: 'error', code: ErrorCode.RATE_LIMITED });
    await waitFor(() => spinner.responding, 'the panel to answer again once its loop ends');
    expect((await h.command('spinner', 'context')).ok).to.equal(true, 'events reach it again');
  });

  it('wait for a panel that is not ready yet and arrive in order', async () => {
    h = await createHarness();
    const slot = document.createElement('div');
    h.container.append(slot);
    const panel: PanelHandle = h.host.mount('app-a', 'remote', slot, { context: { tag: 'q' } });
    // The guest has not connected yet: these wait in the panel's queue.
    for (let i = 0; i < 5; i++) h.host.emit('cmd', { id: `early-${i}`, tag: 'q', op: 'supports', method: 'items.get' });
    await panel.ready;
    for (let i = 0; i < 5; i++) await h.record('q', `early-${i}`);
    const order = h.records.filter((r) => r.tag === 'q' && r.id.startsWith('early-')).map((r) => r.id);
    expect(order).to.deep.equal(['early-0', 'early-1', 'early-2', 'early-3', 'early-4']);
  });

  it('theme and locale go to every guest that listens', async () => {
    h = await createHarness();
    await h.mountGuest('a');
    await h.command('a', 'listen', { event: 'theme' });
    await h.command('a', 'listen', { event: 'locale' });
    h.host.theme = 'dark';
    h.host.locale = 'fr';
    expect((await h.record('a', 'event:theme')).value).to.equal('dark');
    expect((await h.record('a', 'event:locale')).value).to.equal('fr');
    expect((await h.command('a', 'context')).value).to.include(
      { theme: 'light' },
      'the guest keeps its context; the event says what changed',
    );
    expect(() => {
      h.host.theme = 'neon' as never;
    }).to.throw(/light" or "dark/);
  });

  it('a new panel context reaches the guest as a context event and in host.context', async () => {
    h = await createHarness();
    const panel = await h.mountGuest('a');
    await h.command('a', 'listen', { event: 'context' });
    panel.context = { tag: 'a', item: { id: 'i2' } };
    const event = await h.record('a', 'event:context');
    expect(event.value.item).to.deep.equal({ id: 'i2' });
    expect(event.value).to.include({ app: 'app-a', panel: 'remote' });
    expect((await h.command('a', 'context')).value.item).to.deep.equal({ id: 'i2' });
    expect(() => {
      panel.context = null as never;
    }).to.throw(/plain object/);
  });

  it('host.context is current without a context listener, and a listener added after a change gets it', async () => {
    h = await createHarness();
    const panel = await h.mountGuest('a');
    panel.context = { tag: 'a', item: { id: 'i3' } };
    // No listener: host.context, read as a click handler would, is already the new one.
    expect((await h.command('a', 'context')).value.item).to.deep.equal({ id: 'i3' });
    // A listener added after the change is given it, once.
    await h.command('a', 'listen', { event: 'context' });
    const event = await h.record('a', 'event:context');
    expect(event.value.item).to.deep.equal({ id: 'i3' });
    // A guest that only ever listened stops listening: host.context still follows.
    await h.command('a', 'unlisten', { event: 'context' });
    panel.context = { tag: 'a', item: { id: 'i4' } };
    expect((await h.command('a', 'context')).value.item).to.deep.equal({ id: 'i4' });
    expect(h.received('a', 'context')).to.have.length(1);
  });

  it('the slot context cannot override who the guest is', async () => {
    h = await createHarness();
    await h.mountGuest('a', { context: { app: 'someone-else', project: 'p9' } });
    expect((await h.command('a', 'context')).value).to.include({ app: 'app-a', project: 'p1' });
  });
});
