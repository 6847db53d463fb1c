import { expect } from 'chai';
import { createHarness, type Harness } from './harness.js';
import { waitFor } from '../wait-for.js';
import { ErrorCode, SlotbridgeError, type PanelState } from '../../../src/index.js';

describe('reloads', () => {
  let h: Harness;
  afterEach(() => h?.destroy());

  it('re-handshakes a reloaded panel under the same PanelHandle: connecting, then ready', async () => {
    h = await createHarness();
    const panel = await h.mountGuest('a');
    const states: PanelState[] = [];
    h.host.on('panel:state', (p, state) => p === panel && states.push(state));
    const firstReady = h.records.filter((r) => r.tag === 'a' && r.id === 'ready').length;
    await h.command('a', 'reload');
    await waitFor(() => h.records.filter((r) => r.tag === 'a' && r.id === 'ready').length === firstReady + 1, 'the second ready');
    expect(states).to.deep.equal(['connecting', 'ready']);
    expect(panel.state).to.equal('ready');
    expect((await h.command('a', 'call', { method: 'items.get', args: ['x'] })).ok).to.equal(true, 'the reloaded guest is served');
  });

  it("fails the host's calls into a module that reloads mid-call with CONNECTION_LOST, not a hang", async () => {
    h = await createHarness({ timeouts: { call: 60_000 } });
    const execution = await h.host.execute('app-a', 'worker.reloadMidCall');
    expect(execution.status).to.equal('failed');
    expect(execution.error?.code).to.equal(ErrorCode.CONNECTION_LOST);
    expect(execution.duration).to.be.below(60_000);
    expect((await h.host.execute('app-a', 'worker.double', { n: 4 })).outputs).to.deep.equal(
      { result: 8 },
      'the reloaded module is used next',
    );
  });

  it("aborts the handlers of a reloaded guest's calls with CONNECTION_LOST", async () => {
    h = await createHarness();
    await h.mountGuest('a');
    await h.command('a', 'callThenReload');
    await waitFor(() => h.hung.length === 1, 'the hanging call to arrive');
    await waitFor(() => h.hung[0].signal.aborted, 'the signal to abort');
    expect((h.hung[0].signal.reason as SlotbridgeError).code).to.equal(ErrorCode.CONNECTION_LOST);
    await waitFor(() => h.records.filter((r) => r.tag === 'a' && r.id === 'ready').length === 2, 'the guest to come back');
  });

  it('notices a panel that navigated to a page that never connects', async () => {
    h = await createHarness({ timeouts: { handshake: 500 } });
    const panel = await h.mountGuest('a');
    await h.command('a', 'navigate', { to: 'silent-guest.html' });
    await waitFor(() => panel.state === 'error', 'the panel to give up');
    expect(panel.error?.code).to.equal(ErrorCode.HANDSHAKE_TIMEOUT);
  });
});
