import { expect } from 'chai';
import '../index.js';
import { artifactManifest, createHarness, fixtureManifest, fixtures, type Harness } from '../../test/browser/bridge/harness.js';
import { waitFor } from '../../test/browser/wait-for.js';
import { axeViolations } from '../../test/browser/axe.js';
import type { SbToolbar } from './sb-toolbar.js';

const toolsApp = (name: string) => {
  const base = fixtureManifest(name);
  return {
    ...base,
    components: {
      ...base.components,
      panels: [...base.components.panels, { name: 'window', url: 'remote-guest.html', supportedSlots: [{ type: 'floatingWindow' }] }],
      toolbars: [
        {
          displayName: 'Open window',
          tooltip: 'Opens the tool window',
          location: 'itemMenu',
          invoke: { type: 'panel', namespace: 'window' },
        },
        { displayName: 'Double it', location: 'itemMenu', invoke: { type: 'function', namespace: 'worker.double' } },
        { displayName: 'Fail', location: 'itemMenu', invoke: { type: 'function', namespace: 'worker.fail' } },
        { displayName: 'Refresh', invoke: { type: 'event', namespace: 'refresh' } },
        { displayName: 'Elsewhere', location: 'datasetBrowserApps', invoke: { type: 'event', namespace: 'x' } },
        { displayName: 'Script', location: 'itemMenu', invoke: { type: 'script', namespace: 'run' } },
      ],
    },
  };
};

describe('<sb-toolbar>', () => {
  let h: Harness;
  let toolbar: SbToolbar;

  beforeEach(async () => {
    h = await createHarness({ apps: [] });
    for (const name of ['tools-a', 'tools-b']) {
      await h.host.registry.publish(toolsApp(name), { baseUrl: fixtures });
    }
    await h.host.registry.install('tools-a');
    toolbar = document.createElement('sb-toolbar');
    toolbar.setAttribute('location', 'itemMenu');
    toolbar.host = h.host;
    toolbar.context = { n: 21, tag: 'ctx', unrelated: true };
    h.container.append(toolbar);
    await toolbar.updateComplete;
  });

  afterEach(() => {
    toolbar.remove();
    h.destroy();
  });

  const labels = (el: SbToolbar = toolbar) =>
    [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('[part="button"]')].map((b) => b.textContent.trim());
  const button = (label: string) =>
    [...toolbar.shadowRoot!.querySelectorAll<HTMLButtonElement>('[part="button"], [role="menuitem"]')].find(
      (b) => b.textContent.trim() === label,
    )!;
  const status = () => toolbar.shadowRoot!.querySelector('[role="status"] .text')?.textContent;
  /** An app with two toolbar buttons chained by an artifact (make a mask, measure it), alone in the toolbar. */
  const installChain = async () => {
    const base = artifactManifest('chain');
    const toolbars = [
      { displayName: 'Make mask', location: 'itemMenu', invoke: { type: 'function', namespace: 'masks.make_mask' } },
      { displayName: 'Measure mask', location: 'itemMenu', invoke: { type: 'function', namespace: 'masks.mask_area' } },
    ];
    await h.host.registry.publish({ ...base, components: { ...base.components, toolbars } }, { baseUrl: fixtures });
    await h.host.registry.install('chain');
    await h.host.registry.uninstall('tools-a');
  };

  it('renders the matching toolbars and those without a location; never a script toolbar', () => {
    expect(labels()).to.deep.equal(['Open window', 'Double it', 'Fail', 'Refresh']);
    expect(button('Open window').title).to.equal('Opens the tool window');
    expect(button('Double it').title).to.equal('Double it');
  });

  it('shows every toolbar when it has no location, and follows installs', async () => {
    toolbar.removeAttribute('location');
    await toolbar.updateComplete;
    expect(toolbar.buttons.map((b) => b.label)).to.deep.equal(['Open window', 'Double it', 'Fail', 'Refresh', 'Elsewhere']);
    await h.host.registry.install('tools-b');
    await toolbar.updateComplete;
    expect(labels().length).to.equal(4, 'the rest overflow into the menu');
    expect(toolbar.buttons.length).to.equal(10);
  });

  it("opens a panel toolbar's panel in a floating window with the slot's context, and the window follows the context", async () => {
    const windows = document.createElement('sb-floating-windows');
    windows.host = h.host;
    h.container.append(windows);
    await windows.updateComplete;
    button('Open window').click();
    await h.record('ctx', 'ready');
    expect(windows.panels.map((p) => `${p.app}/${p.panel}`)).to.deep.equal(['tools-a/window']);
    // The page moves to another item: the window follows, as a docked panel would, and stops following once closed.
    const opened = windows.panels[0];
    toolbar.context = { item: { id: 'i2', name: 'Next' } };
    await toolbar.updateComplete;
    expect(opened.context).to.deep.equal({ item: { id: 'i2', name: 'Next' } });
    opened.close();
    toolbar.context = { item: { id: 'i3' } };
    await toolbar.updateComplete;
    expect(opened.state).to.equal('closed');
    windows.remove();
  });

  it('runs a function toolbar with the declared inputs from the context, then shows the outputs in words', async () => {
    button('Double it').click();
    await toolbar.updateComplete;
    expect(status()).to.equal('Double it: running…');
    await waitFor(() => status() === 'Double it: result 42', 'the outputs');
  });

  it("runs nothing while disabled: every button, the menu's too, disabled until the page enables it again", async () => {
    toolbar.maxVisible = 1;
    toolbar.disabled = true;
    await toolbar.updateComplete;
    const buttons = [...toolbar.shadowRoot!.querySelectorAll<HTMLButtonElement>('[part="button"], [role="menuitem"]')];
    expect(buttons.length).to.be.greaterThan(0);
    expect(buttons.every((b) => b.disabled)).to.equal(true);
    button('Open window').click();
    await toolbar.updateComplete;
    expect(status()).to.equal(undefined);
    toolbar.disabled = false;
    toolbar.maxVisible = 4;
    await toolbar.updateComplete;
    button('Double it').click();
    await waitFor(() => status() === 'Double it: result 42', 'the run once enabled');
  });

  it("shows only one app's toolbars when its app attribute is set", async () => {
    await h.host.registry.publish({ ...toolsApp('tools-c'), displayName: 'C' }, { baseUrl: fixtures });
    await h.host.registry.install('tools-c');
    toolbar.maxVisible = 20;
    await toolbar.updateComplete;
    expect(labels().filter((l) => l === 'Double it')).to.have.length(2);
    toolbar.setAttribute('app', 'tools-c');
    await toolbar.updateComplete;
    expect(toolbar.buttons.map((b) => b.app)).to.deep.equal(
      ['tools-c', 'tools-c', 'tools-c', 'tools-c'],
      'its four itemMenu and unplaced toolbars',
    );
  });

  it("chains functions through artifacts: an artifact input the context lacks gets the app's newest of its type", async () => {
    await installChain();
    await toolbar.updateComplete;
    button('Measure mask').click();
    await waitFor(() => /Measure mask failed: .*needs the input "mask"/.test(status() ?? ''), 'the refusal while no mask exists');
    for (const [size, area] of [
      [4, 4],
      [6, 9],
    ] as const) {
      toolbar.context = { size };
      button('Make mask').click();
      await waitFor(() => status() === 'Make mask: mask saved as mask', 'the stored mask');
      button('Measure mask').click();
      await waitFor(() => status() === `Measure mask: area ${area}`, `the area of the ${size} × ${size} mask`);
    }
  });

  it('offers to view what a run saved: a JSON artifact as a table, in a dialog of its own, named by its type', async () => {
    const base = artifactManifest('chain');
    const artifacts = base.components.artifacts.map((a) => (a.name === 'stats' ? { ...a, displayName: 'Mask statistics' } : a));
    const toolbars = [{ displayName: 'Make stats', location: 'itemMenu', invoke: { type: 'function', namespace: 'masks.make_stats' } }];
    await h.host.registry.publish({ ...base, components: { ...base.components, artifacts, toolbars } }, { baseUrl: fixtures });
    await h.host.registry.install('chain');
    await h.host.registry.uninstall('tools-a');
    toolbar.context = { size: 3 };
    await toolbar.updateComplete;
    button('Make stats').click();
    await waitFor(() => status() === 'Make stats: stats saved as Mask statistics', 'the saved statistics');
    const view = toolbar.shadowRoot!.querySelector<HTMLButtonElement>('[role="status"] button.view')!;
    expect(view.textContent.trim()).to.equal('View Mask statistics');
    view.click();
    const dialog = await waitFor(() => toolbar.shadowRoot!.querySelector<HTMLDialogElement>('dialog.artifact-view[open]'), 'the dialog');
    expect(dialog.querySelector('h2')!.textContent).to.equal('Mask statistics');
    const rows = [...dialog.querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent));
    expect(rows).to.deep.equal([
      ['size', '3'],
      ['cells', '9'],
    ]);
    dialog.querySelector<HTMLButtonElement>('header button')!.click();
    await toolbar.updateComplete;
    expect(toolbar.shadowRoot!.querySelector('dialog.artifact-view')).to.equal(null);
  });

  it("ties results to the context's item: another item clears them, and an artifact input takes the one made for its item", async () => {
    await installChain();
    toolbar.context = { item: { id: 'i1' }, size: 4 };
    await toolbar.updateComplete;
    button('Make mask').click();
    await waitFor(() => status() === 'Make mask: mask saved as mask', 'the mask of i1');
    // Another item: the result goes, and the mask made for i1 is not i2's.
    toolbar.context = { item: { id: 'i2' }, size: 6 };
    await toolbar.updateComplete;
    expect(status()).to.equal(undefined);
    button('Measure mask').click();
    await waitFor(() => /Measure mask failed: .*needs the input "mask"/.test(status() ?? ''), 'no mask for i2');
    button('Make mask').click();
    await waitFor(() => status() === 'Make mask: mask saved as mask', 'the mask of i2');
    // Back on i1, its own mask is measured, not the newest.
    toolbar.context = { item: { id: 'i1' }, size: 4 };
    await toolbar.updateComplete;
    button('Measure mask').click();
    await waitFor(() => status() === 'Measure mask: area 4', "the area of i1's mask");
  });

  it("shows a function's error", async () => {
    button('Fail').click();
    await waitFor(() => /Fail failed: .*boom/.test(status() ?? ''), 'the error');
    expect(toolbar.shadowRoot!.querySelector('.status.error')).to.not.equal(null);
  });

  it("sends an event toolbar's event to the app's frames only", async () => {
    await h.host.registry.install('tools-b');
    await h.mountGuest('a', { app: 'tools-a' });
    await h.mountGuest('b', { app: 'tools-b' });
    await h.command('a', 'listen', { event: 'refresh' });
    await h.command('b', 'listen', { event: 'refresh' });
    toolbar.maxVisible = 20;
    await toolbar.updateComplete;
    button('Refresh').click();
    expect((await h.record('a', 'event:refresh')).value).to.deep.equal({ n: 21, tag: 'ctx', unrelated: true });
    await h.command('b', 'context');
    expect(h.records.some((r) => r.tag === 'b' && r.id === 'event:refresh')).to.equal(false);
  });

  it('lets the page cancel an invoke (sb-invoke)', async () => {
    toolbar.addEventListener('sb-invoke', (e) => e.preventDefault(), { once: true });
    button('Double it').click();
    await toolbar.updateComplete;
    expect(status()).to.equal(undefined);
  });

  it('collapses overflowing buttons into a menu that works with the keyboard', async () => {
    toolbar.maxVisible = 2;
    await toolbar.updateComplete;
    expect(labels()).to.deep.equal(['Open window', 'Double it']);
    const more = toolbar.shadowRoot!.querySelector<HTMLButtonElement>('.more-button')!;
    expect(more.getAttribute('aria-haspopup')).to.equal('menu');
    more.click();
    await toolbar.updateComplete;
    await toolbar.updateComplete;
    const items = [...toolbar.shadowRoot!.querySelectorAll<HTMLButtonElement>('[role="menuitem"]')];
    expect(items.map((i) => i.textContent.trim())).to.deep.equal(['Fail', 'Refresh']);
    expect(toolbar.shadowRoot!.activeElement).to.equal(items[0]);
    items[0].dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true, composed: true }));
    expect(toolbar.shadowRoot!.activeElement).to.equal(items[1]);
    items[1].dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }));
    await toolbar.updateComplete;
    await toolbar.updateComplete;
    expect(toolbar.shadowRoot!.querySelector('[role="menu"]')).to.equal(null);
    expect(toolbar.shadowRoot!.activeElement).to.equal(more);
  });

  it('collapses the buttons that do not fit its width into the menu, and brings them back when there is room', async () => {
    toolbar.style.display = 'block';
    toolbar.style.width = '260px';
    await waitFor(() => toolbar.shadowRoot!.querySelector('.more-button') && labels().length < 4, 'the narrow toolbar to collapse');
    const shown = labels();
    expect(shown.length).to.be.within(1, 3);
    expect(toolbar.shadowRoot!.querySelector('.more-button')).to.not.equal(null);
    const right = Math.max(
      ...[...toolbar.shadowRoot!.querySelectorAll<HTMLElement>('[part="button"], .more-button')].map(
        (b) => b.getBoundingClientRect().right,
      ),
    );
    expect(right).to.be.at.most(toolbar.getBoundingClientRect().right + 1, 'nothing sticks out');
    toolbar.style.width = '1200px';
    await waitFor(() => !toolbar.shadowRoot!.querySelector('.more-button'), 'the wide toolbar to show every button');
    expect(labels()).to.deep.equal(['Open window', 'Double it', 'Fail', 'Refresh']);
    expect(toolbar.shadowRoot!.querySelector('.more-button')).to.equal(null);
  });

  it('moves between buttons with the arrow keys (one tab stop)', async () => {
    const [first, second] = [...toolbar.shadowRoot!.querySelectorAll<HTMLButtonElement>('[part="button"]')];
    expect([first.tabIndex, second.tabIndex]).to.deep.equal([0, -1]);
    first.focus();
    first.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
    await toolbar.updateComplete;
    await toolbar.updateComplete;
    expect(toolbar.shadowRoot!.activeElement!.textContent.trim()).to.equal('Double it');
  });

  it('has no accessibility violations (axe-core), with and without its menu open', async () => {
    expect(await axeViolations(toolbar)).to.deep.equal([]);
    toolbar.maxVisible = 1;
    await toolbar.updateComplete;
    toolbar.shadowRoot!.querySelector<HTMLButtonElement>('.more-button')!.click();
    await toolbar.updateComplete;
    expect(await axeViolations(toolbar)).to.deep.equal([]);
  });
});
