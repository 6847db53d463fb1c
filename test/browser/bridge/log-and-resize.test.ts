import { expect } from 'chai';
import { createHarness, type Harness } from './harness.js';
import { waitFor } from '../wait-for.js';
import { ErrorCode, type BridgeLogEntry } from '../../../src/index.js';

describe('the bridge log', () => {
  let h: Harness;
  afterEach(() => h?.destroy());

  it('gets one structured entry per call, state change and refusal', async () => {
    const log: BridgeLogEntry[] = [];
    h = await createHarness({ log: (entry) => log.push(entry) });
    const panel = await h.mountGuest('a');
    await h.command('a', 'call', { method: 'items.get', args: ['x'] });
    await h.command('a', 'call', { method: 'items.remove', args: ['x'] });
    const ok = log.find((e) => e.kind === 'call' && e.name === 'items.get')!;
    expect(ok).to.include({ app: 'app-a', panel: 'remote', frame: panel.id, outcome: 'ok' });
    expect(ok.time).to.be.closeTo(Date.now(), 60_000);
    expect(ok.duration).to.be.a('number');
    const denied = log.find((e) => e.kind === 'call' && e.name === 'items.remove')!;
    expect(denied).to.include({ outcome: 'error', code: ErrorCode.PERMISSION_DENIED });
    // A guest may finish its handshake before its frame's load event: "connecting" is then skipped, never "ready".
    const states = log.filter((e) => e.kind === 'state').map((e) => e.name);
    expect(states.at(-1)).to.equal('ready');
    expect(states.every((s) => ['loading', 'connecting', 'ready'].includes(s))).to.equal(true, states.join());
    await h.host.execute('app-a', 'worker.fail');
    expect(log.find((e) => e.kind === 'execution')).to.include({
      name: 'app-a:worker.fail',
      outcome: 'error',
      code: ErrorCode.EXECUTION_FAILED,
    });
  });

  it("also feeds the host's call event, and stops when its listener goes", async () => {
    h = await createHarness();
    await h.mountGuest('a');
    const seen: BridgeLogEntry[] = [];
    const listener = (entry: BridgeLogEntry) => seen.push(entry);
    h.host.on('call', listener);
    await h.command('a', 'call', { method: 'items.get', args: ['x'] });
    expect(seen.some((e) => e.name === 'items.get')).to.equal(true);
    h.host.off('call', listener);
    const before = seen.length;
    await h.command('a', 'call', { method: 'items.get', args: ['y'] });
    expect(seen.length).to.equal(before);
  });

  it("keeps the handler's own error on the host side only", async () => {
    const log: BridgeLogEntry[] = [];
    h = await createHarness({ log: (entry) => log.push(entry) });
    await h.mountGuest('a');
    await h.command('a', 'call', { method: 'items.get', args: [42] });
    const entry = log.find((e) => e.kind === 'call' && e.outcome === 'error')!;
    expect(entry.code).to.equal(ErrorCode.INVALID_ARGUMENTS);
    expect(entry.error).to.not.equal(undefined);
  });
});

describe('auto-resize', () => {
  let h: Harness;
  afterEach(() => h?.destroy());

  it('reports the document height, absolutely positioned content included', async () => {
    h = await createHarness();
    const heights: number[] = [];
    h.host.on('panel:resize', (_p, height) => heights.push(height));
    const slot = document.createElement('div');
    h.container.append(slot);
    const panel = h.host.mount('app-a', 'autosize', slot, { context: { tag: 's' } });
    await h.record('s', 'ready');
    await h.command('s', 'setHeight', { height: 700, absolute: true });
    await waitFor(() => heights.some((x) => x >= 700), 'a height that includes the positioned box');
    expect(panel.element.style.height).to.equal(`${heights.at(-1)}px`);
    await h.command('s', 'setHeight', { height: 900 });
    await waitFor(() => heights.some((x) => x >= 900), 'the in-flow box');
  });
});

describe('a panel handle', () => {
  let h: Harness;
  afterEach(() => h?.destroy());

  it("announces its own panel's changes, and only its own: state, resize, context, closed", async () => {
    h = await createHarness();
    const slot = document.createElement('div');
    h.container.append(slot);
    const handle = h.host.mount('app-a', 'remote', slot, { context: { tag: 'mine' } });
    const heard: string[] = [];
    handle.addEventListener('state', (e) => heard.push(`state ${e.detail.state}`));
    handle.addEventListener('resize', (e) => heard.push(`resize ${e.detail.height}`));
    handle.addEventListener('context', (e) => heard.push(`context ${String(e.detail.context['tag'])}`));
    handle.addEventListener('closed', () => heard.push('closed'));
    await h.record('mine', 'ready');
    // Another panel's changes are not this handle's.
    const other = await h.mountGuest('other');
    other.context = { tag: 'other' };
    await h.command('mine', 'call', { method: 'ui.resize', args: [{ height: 321 }] });
    handle.context = { tag: 'mine', item: { id: 'i2' } };
    handle.close();
    expect(heard.filter((h) => h.startsWith('state'))).to.include.members(['state connecting', 'state ready', 'state closed']);
    expect(heard.filter((h) => !h.startsWith('state'))).to.deep.equal(['resize 321', 'context mine', 'closed']);
    expect(heard.indexOf('closed')).to.equal(heard.length - 1, 'closed comes last');
    expect(() => handle.addEventListener('state', () => undefined)).not.to.throw();
  });
});
