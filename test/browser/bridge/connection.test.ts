import { expect } from 'chai';
import { createHarness, crossOriginFixtures, fixtures, secretOf, type Harness } from './harness.js';
import { waitFor } from '../wait-for.js';
import { reportedErrors } from '../reported-errors.js';
import { createHost, ErrorCode, SlotbridgeError } from '../../../src/index.js';
import { connect } from '../../../src/guest/index.js';
import { createMockHost } from '../../../src/testing/index.js';
import { connect as penpalConnect, PortMessenger } from 'penpal';
import { handshakeMethods } from '../../../src/bridge/native/handshake.js';

describe('connecting a panel', () => {
  let h: Harness;
  afterEach(() => h?.destroy());

  it('mounts the panel in an iframe sandboxed to allow-scripts and connects', async () => {
    h = await createHarness();
    const panel = await h.mountGuest('a', { context: { item: { id: 'i1' } } });
    expect(panel.state).to.equal('ready');
    expect(panel.element.getAttribute('sandbox')).to.equal('allow-scripts');
    expect(panel.element.src.startsWith(`${fixtures}remote-guest.html#`)).to.equal(true);
    const ready = await h.record('a', 'ready');
    expect(ready.value).to.include({ app: 'app-a', panel: 'remote', slot: 'itemViewer', project: 'p1', theme: 'light', locale: 'en' });
    expect(ready.value.user).to.deep.equal({ id: 'u1', name: 'Ada' });
    expect(ready.value.item).to.deep.equal({ id: 'i1' });
  });

  it('reaches ready and answers calls when a platform listener of panel:state throws', async () => {
    h = await createHarness();
    const states: string[] = [];
    const failing = () => {
      throw new Error('a platform listener that fails on purpose');
    };
    h.host.on('panel:state', failing);
    h.host.on('panel:state', (_p, state) => states.push(state));
    const reported = await reportedErrors(async () => {
      const panel = await h.mountGuest('a');
      expect(panel.state).to.equal('ready');
      expect((await h.command('a', 'call', { method: 'items.get', args: ['i1'] })).value).to.deep.equal({ id: 'i1', name: 'Item i1' });
      h.host.off('panel:state', failing);
    });
    expect(states).to.include('ready');
    expect(reported.length).to.equal(states.length);
  });

  it("adds only the manifest's allowlisted sandbox tokens", async () => {
    h = await createHarness();
    const slot = document.createElement('div');
    h.container.append(slot);
    const panel = h.host.mount('app-a', 'forms', slot, { context: { tag: 'f' } });
    expect(panel.element.getAttribute('sandbox')).to.equal('allow-scripts allow-forms allow-popups');
    await panel.ready;
  });

  it('gives the guest an opaque origin it cannot use to reach the host page', async () => {
    h = await createHarness();
    await h.mountGuest('a');
    const result = await h.command('a', 'readParent');
    expect(result.value).to.deep.equal({ blocked: 'SecurityError' });
  });

  it("refuses allow-same-origin for a panel on the host's origin with UNSAFE_SANDBOX", async () => {
    h = await createHarness({ sandbox: ['allow-same-origin'] });
    expect(() => h.host.mount('app-a', 'remote', h.container))
      .to.throw(SlotbridgeError)
      .with.property('code', ErrorCode.UNSAFE_SANDBOX);
    expect(h.container.querySelector('iframe')).to.equal(null);
  });

  it('checks the exact origin of a cross-origin panel that keeps its own origin', async () => {
    h = await createHarness({ sandbox: ['allow-same-origin'], baseUrl: crossOriginFixtures });
    const panel = await h.mountGuest('x');
    expect(panel.element.getAttribute('sandbox')).to.equal('allow-scripts allow-same-origin');
    const ready = await h.record('x', 'ready');
    expect(ready.ok).to.equal(true);
  });

  it('refuses a cross-origin panel that navigated to another origin, even with the right secret', async () => {
    const log: { kind: string; code?: string; frame?: string; name: string }[] = [];
    h = await createHarness({
      sandbox: ['allow-same-origin'],
      baseUrl: crossOriginFixtures,
      timeouts: { handshake: 1500 },
      log: (e) => log.push(e),
    });
    const panel = await h.mountGuest('x');
    // The same page and fragment (so the same secret), from localhost instead of 127.0.0.1.
    const elsewhere = panel.element.src.replace('//127.0.0.1:', '//localhost:');
    await h.command('x', 'navigate', { to: elsewhere });
    await waitFor(() => panel.state === 'error', 'the panel to give up');
    expect(panel.error?.code).to.equal(ErrorCode.HANDSHAKE_TIMEOUT);
    const refused = log.filter((e) => e.kind === 'rejected' && e.frame === panel.id);
    expect(refused.length).to.be.greaterThan(0);
    expect(refused[0].code).to.equal(ErrorCode.ORIGIN_REJECTED);
    expect(refused[0].name).to.match(/expected http:\/\/127\.0\.0\.1/);
  });

  it('fails with HANDSHAKE_TIMEOUT when the page never connects, and Retry starts it again', async () => {
    h = await createHarness({ timeouts: { handshake: 300 } });
    const states: string[] = [];
    h.host.on('panel:state', (_p, state) => states.push(state));
    const panel = h.host.mount('app-a', 'silent', h.container);
    let error: unknown;
    await panel.ready.catch((err: unknown) => (error = err));
    expect(error).to.be.instanceOf(SlotbridgeError);
    expect((error as SlotbridgeError).code).to.equal(ErrorCode.HANDSHAKE_TIMEOUT);
    expect((error as SlotbridgeError).message).to.match(/did not connect within 300 ms/);
    expect(panel.state).to.equal('error');
    expect(panel.error?.code).to.equal(ErrorCode.HANDSHAKE_TIMEOUT);
    panel.reload();
    expect(panel.state).to.equal('loading');
    await panel.ready.catch(() => {});
    expect(panel.state).to.equal('error');
    expect(states).to.include.members(['connecting', 'error', 'loading']);
  });

  it('refuses a guest of another protocol major with PROTOCOL_MISMATCH', async () => {
    h = await createHarness();
    const panel = h.host.mount('app-a', 'old', h.container);
    const error = await panel.ready.then(
      () => undefined,
      (err: SlotbridgeError) => err,
    );
    expect(error?.code).to.equal(ErrorCode.PROTOCOL_MISMATCH);
    expect(panel.state).to.equal('error');
  });

  it('rejects connect() with PROTOCOL_MISMATCH against a host of another major', async () => {
    const mock = createMockHost({ protocol: '3.0' });
    const error = await connect({ port: mock.port }).then(
      () => undefined,
      (err: SlotbridgeError) => err,
    );
    expect(error?.code).to.equal(ErrorCode.PROTOCOL_MISMATCH);
    mock.destroy();
  });

  it('takes events as [EVENT, name, payload] on its own port, in the order sent, and drops what is not of the protocol', async () => {
    // The host's own handshake, then messages posted on the guest's port by hand.
    const { port1, port2 } = new MessageChannel();
    let guestPort: MessagePort | undefined;
    const methods = handshakeMethods('2.0', (_hello, port) => {
      guestPort = port;
      return { context: { app: 'a' }, capabilities: [] };
    });
    const hostSide = penpalConnect({ messenger: new PortMessenger({ port: port1 }), methods });
    const guest = await connect({ port: port2 });
    const got: unknown[] = [];
    guest.on('tick', (n) => got.push(n));
    guestPort!.postMessage([1, 'tick', 1]);
    for (const stray of [['tick', 'the 1.x list form'], [1, 5, 'a name that is no string'], { kind: 1 }, 'text', [9, 'tick', 'x']])
      guestPort!.postMessage(stray);
    guestPort!.postMessage([1, 'tick', 2]);
    guestPort!.postMessage([1, 'context', { app: 'a', item: 'i4' }]);
    await waitFor(() => guest.context['item'] === 'i4', 'the context event');
    expect(got).to.deep.equal([1, 2]);
    // The guest still answers after them: a ping, [3, id], gets its pong, [2, id].
    // (Its events.subscribe call for `tick` came on the port too, unanswered: this hand host serves no calls.)
    const pong = new Promise((resolve) => (guestPort!.onmessage = ({ data }) => (data as unknown[])[0] === 2 && resolve(data)));
    guestPort!.postMessage([3, 7]);
    expect(await pong).to.deep.equal([2, 7]);
    guest.destroy();
    hostSide.destroy();
  });

  it('rejects connect() outside a host with a message that says what to do', async () => {
    const error = await connect().then(
      () => undefined,
      (err: SlotbridgeError) => err,
    );
    expect(error?.code).to.equal(ErrorCode.PROTOCOL_MISMATCH);
    expect(error?.message).to.match(/createMockHost/);
  });

  it('hands the guest its capability list, and supports() answers from it', async () => {
    h = await createHarness();
    await h.mountGuest('a');
    expect((await h.command('a', 'supports', { method: 'items.get' })).value).to.equal(true);
    expect((await h.command('a', 'supports', { method: 'ui.notify' })).value).to.equal(true);
    expect((await h.command('a', 'supports', { method: 'items.remove' })).value).to.equal(false, 'items:write was not granted');
    expect((await h.command('a', 'supports', { method: 'nope.nothing' })).value).to.equal(false);
  });

  it('refuses to mount an app that is not installed, or a panel it does not have', async () => {
    h = await createHarness();
    expect(() => h.host.mount('ghost', 'x', h.container))
      .to.throw(SlotbridgeError)
      .with.property('code', ErrorCode.APP_NOT_FOUND);
    await h.host.registry.publish({ name: 'not-installed', version: '1.0.0' }, { baseUrl: fixtures });
    expect(() => h.host.mount('not-installed', 'x', h.container))
      .to.throw(SlotbridgeError)
      .with.property('code', ErrorCode.NOT_INSTALLED);
    expect(() => h.host.mount('app-a', 'missing', h.container)).to.throw(/has no panel "missing"/);
    expect(() => h.host.mount('app-a', 'remote', h.container, { slot: 'dialog' })).to.throw(/does not support the slot "dialog"/);
    expect(() => h.host.mount('app-a', 'remote', document.createElement('div'))).to.throw(/in the document/);
  });

  it('refuses bad createHost options with a message saying what to pass', () => {
    expect(() => createHost({} as never)).to.throw(SlotbridgeError, /project id/);
    expect(() => createHost({ project: 'p', user: {} } as never)).to.throw(SlotbridgeError, /user/);
    expect(() => createHost({ project: 'p', user: { id: 'u' }, timeouts: { call: -1 } })).to.throw(SlotbridgeError, /positive number/);
  });

  it('connects a second panel of the same app independently', async () => {
    h = await createHarness();
    await h.mountGuest('a');
    await h.mountGuest('b');
    expect(h.host.panels.length).to.equal(2);
    const secrets = h.host.panels.map((p) => secretOf(p.element));
    expect(secrets[0]).to.not.equal(secrets[1]);
    expect(secrets[0]).to.match(/^[0-9a-f]{32}$/);
    await waitFor(() => h.records.filter((r) => r.id === 'ready').length === 2, 'both ready');
  });
});
