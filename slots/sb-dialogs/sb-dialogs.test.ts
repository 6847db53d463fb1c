import { expect } from 'chai';
import '../index.js';
import { createHarness, fixtureManifest, fixtures, type Harness } from '../../test/browser/bridge/harness.js';
import { axeViolations } from '../../test/browser/axe.js';
import type { SbDialogs } from './sb-dialogs.js';

describe('<sb-dialogs>', () => {
  let h: Harness;
  let dialogs: SbDialogs;
  let opener: HTMLButtonElement;

  beforeEach(async () => {
    h = await createHarness({ apps: [] });
    await h.host.registry.publish(
      {
        ...fixtureManifest('dlg-app'),
        components: {
          panels: [
            {
              name: 'setup',
              url: 'remote-guest.html',
              supportedSlots: [{ type: 'dialog', configuration: { layout: { width: 400, height: 250 } } }],
            },
          ],
        },
      },
      { baseUrl: fixtures },
    );
    await h.host.registry.install('dlg-app');
    dialogs = document.createElement('sb-dialogs');
    dialogs.host = h.host;
    opener = Object.assign(document.createElement('button'), { textContent: 'Open setup' });
    h.container.append(opener, dialogs);
    await dialogs.updateComplete;
  });

  afterEach(() => {
    dialogs.remove();
    h.destroy();
  });

  const dialog = () => dialogs.shadowRoot!.querySelector('dialog')!;

  it("opens a modal dialog of the layout's size with the panel inside", async () => {
    opener.focus();
    const handle = h.host.openPanel('dlg-app', 'setup', { context: { tag: 'd' } });
    await handle.ready;
    expect(dialog().open).to.equal(true);
    expect(dialog().matches(':modal')).to.equal(true, 'the rest of the page is inert: focus stays in the dialog');
    expect(dialog().getBoundingClientRect().width).to.equal(400);
    expect(dialog().querySelector('iframe')).to.equal(handle.element);
    expect(opener.matches(':focus')).to.equal(false);
  });

  it('closes on Escape and returns focus to what opened it', async () => {
    opener.focus();
    const handle = h.host.openPanel('dlg-app', 'setup', { context: { tag: 'd' } });
    await handle.ready;
    dialog().dispatchEvent(new Event('cancel', { cancelable: true }));
    expect(handle.state).to.equal('closed');
    await dialogs.updateComplete;
    expect(dialogs.shadowRoot!.querySelector('dialog')).to.equal(null);
    expect(document.activeElement).to.equal(opener);
  });

  it('stays open when the page cancels sb-request-close', async () => {
    const handle = h.host.openPanel('dlg-app', 'setup', { context: { tag: 'd' } });
    await handle.ready;
    dialogs.addEventListener('sb-request-close', (e) => e.preventDefault());
    dialog().dispatchEvent(new Event('cancel', { cancelable: true }));
    dialog().querySelector<HTMLButtonElement>('header button')!.click();
    expect(handle.state).to.equal('ready');
    expect(dialog().open).to.equal(true);
  });

  it('closes when the guest calls ui.close', async () => {
    const handle = h.host.openPanel('dlg-app', 'setup', { context: { tag: 'd' } });
    await h.record('d', 'ready');
    h.host.emit('cmd', { id: 'x', tag: 'd', op: 'call', method: 'ui.close', args: [] });
    for (let i = 0; i < 300 && handle.state !== 'closed'; i++) await new Promise((r) => setTimeout(r, 10));
    expect(handle.state).to.equal('closed');
  });

  it('has no accessibility violations (axe-core), open', async () => {
    await h.host.openPanel('dlg-app', 'setup', { context: { tag: 'd' } }).ready;
    expect(await axeViolations(dialogs)).to.deep.equal([]);
  });
});
