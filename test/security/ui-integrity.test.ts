/**
 * A panel from one app cannot draw over, or take focus from, another app's
 * panel or the host's own controls.
 */
import { expect } from 'chai';
import { createHarness, type Harness } from '../browser/bridge/harness.js';
import { waitFor } from '../browser/wait-for.js';
import { attacks, honestStillWorks } from './attack.js';

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
    const honest = h.host.panels[0]!;
    await h.command('evil', 'drawOutside');
    for (const target of [button, honest.element]) {
      const r = target.getBoundingClientRect();
      const hit = document.elementFromPoint(r.left + r.width / 2, r.top + Math.min(r.height / 2, 10));
      expect(hit === target || target.contains(hit)).to.equal(true, `${target.localName} is still what is under the pointer`);
    }
    const own = evil.element.getBoundingClientRect();
    expect(document.elementFromPoint(own.left + 5, own.top + 5)).to.equal(evil.element, 'inside its box, the panel is what shows');
  });
});
