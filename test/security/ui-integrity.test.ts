/**
 * A panel from one app cannot draw over, or take focus from, another app's
 * panel or the host's own controls.
 */
import { expect } from 'chai';
import { createHarness, type Harness } from '../browser/bridge/harness.js';
import { waitFor, waitForAsync } from '../browser/wait-for.js';
import { attacks, honestStillWorks, refusedWhen } from './attack.js';
import { ErrorCode } from '../../src/index.js';
import '../../slots/index.js';

describe('security: UI integrity', () => {
  let h: Harness;
  const attack = attacks('UI integrity', () => honestStillWorks(h));
  beforeEach(async () => {
    h = await createHarness();
    await h.mountGuest('honest');
  });
  afterEach(() => h.destroy());

  attack("takes focus from the host's controls: the focus goes back", async () => {
    const input = document.createElement('input');
    input.setAttribute('aria-label', 'host input');
    h.container.append(input);
    await h.mountGuest('evil');
    input.focus();
    expect(document.activeElement).to.equal(input);
    await h.command('evil', 'stealFocus');
    // The guard answers the frame's focus event: wait for the event, not for a time.
    await waitFor(() => document.activeElement === input, 'focus to be back on the host input');
    expect((await h.command('evil', 'context')).ok).to.equal(true);
    expect(document.activeElement).to.equal(input);
    return { refused: refusedWhen(document.activeElement === input) };
  });

  attack('shows 2,000 error notifications at once: the page gets limits.maxNotifications in 10 s, the rest RATE_LIMITED', async () => {
    await h.mountGuest('evil');
    const shown: unknown[] = [];
    h.host.on('notify', (n) => shown.push(n));
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        h.command('evil', 'call', { method: 'ui.notify', args: [{ message: `alarm ${i}`, level: 'error' }] }),
      ),
    );
    const limited = answers.filter((a) => a.code === ErrorCode.RATE_LIMITED).length;
    expect(shown).to.have.length(10);
    expect(limited).to.equal(190);
    return { tried: 200, refused: limited };
  });

  attack('makes itself 100,000 px tall in a frame the platform mounted: the frame stops at limits.maxPanelHeight', async () => {
    const panel = await h.mountGuest('evil');
    await h.command('evil', 'call', { method: 'ui.resize', args: [{ height: 100_000 }] });
    await waitFor(() => panel.element.style.height !== '', 'the resize');
    expect(panel.element.style.height).to.equal('4000px');
    return { tried: 1, refused: panel.element.style.height === '4000px' ? 1 : 0 };
  });

  attack('keeps a floating window open across a change of project: every frame of the old project is closed', async () => {
    const windows = document.createElement('sb-floating-windows') as HTMLElement & { host: unknown };
    windows.host = h.host;
    document.body.append(windows);
    try {
      await h.mountGuest('evil');
      await waitForAsync(
        async () =>
          (await h.command('evil', 'call', { method: 'ui.openPanel', args: ['floating', { context: { tag: 'window' } }] })).ok || undefined,
        'the window to open',
      );
      const open = h.host.panels.filter((p) => p.slot === 'floatingWindow');
      expect(open).to.have.length(1);
      h.host.project = 'p2';
      // Every frame here was of p1: none is left.
      expect(h.host.panels).to.deep.equal([]);
      expect(open[0].state).to.equal('closed');
      h.host.project = 'p1';
      // The honest panel was of p1 too: it is mounted anew (its old records go, so the new one's `ready` is awaited).
      h.records.splice(0, h.records.length);
      await h.mountGuest('honest');
      return { tried: 1, refused: open[0].state === 'closed' ? 1 : 0 };
    } finally {
      windows.remove();
    }
  });

  // The control for the case above: focus the user sends into a panel stays there.
  it('a panel the user points at may take focus', async () => {
    const input = document.createElement('input');
    input.setAttribute('aria-label', 'host input');
    h.container.append(input);
    const panel = await h.mountGuest('friendly');
    input.focus();
    // The pointer over the frame: what a click into the panel starts with.
    panel.element.dispatchEvent(new PointerEvent('pointerenter'));
    await h.command('friendly', 'stealFocus');
    await waitFor(() => document.activeElement === panel.element, 'the panel to have focus');
    panel.element.dispatchEvent(new PointerEvent('pointerleave'));
  });

  attack('draws outside its own box, over the host and another panel: clipped to its box', async () => {
    const button = document.createElement('button');
    button.textContent = 'Host control';
    h.container.append(button);
    const evil = await h.mountGuest('evil');
    const honest = h.host.panels[0];
    await h.command('evil', 'drawOutside');
    let refused = 0;
    for (const target of [button, honest.element]) {
      const r = target.getBoundingClientRect();
      const hit = document.elementFromPoint(r.left + r.width / 2, r.top + Math.min(r.height / 2, 10));
      expect(hit === target || target.contains(hit)).to.equal(true, `${target.localName} is still what is under the pointer`);
      refused += refusedWhen(hit === target || target.contains(hit));
    }
    const own = evil.element.getBoundingClientRect();
    expect(document.elementFromPoint(own.left + 5, own.top + 5)).to.equal(evil.element, 'inside its box, the panel is what shows');
    return { tried: 2, refused };
  });
});
