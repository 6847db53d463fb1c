import { expect } from 'chai';
import { panelTitle } from '../shared/panel-layout.js';
import '../index.js';
import { createHarness, fixtureManifest, fixtures, type Harness } from '../../test/browser/bridge/harness.js';
import { waitFor } from '../../test/browser/wait-for.js';
import { axeViolations } from '../../test/browser/axe.js';
import type { SbFloatingWindows } from './sb-floating-windows.js';

const windowApp = (layout: Record<string, unknown>) => ({
  ...fixtureManifest('win-app'),
  components: {
    panels: [
      {
        name: 'tool',
        url: 'remote-guest.html',
        supportedSlots: [{ type: 'floatingWindow', configuration: { layout } }, { type: 'itemViewer' }],
      },
    ],
  },
});

describe('<sb-floating-windows>', () => {
  let h: Harness;
  let windows: SbFloatingWindows;

  async function setup(layout: Record<string, unknown> = { width: 300, height: 200, position: { x: 40, y: 30 }, resizeable: true }) {
    h = await createHarness({ apps: [] });
    await h.host.registry.publish(windowApp(layout), { baseUrl: fixtures });
    await h.host.registry.install('win-app');
    windows = document.createElement('sb-floating-windows');
    windows.host = h.host;
    h.container.append(windows);
    await windows.updateComplete;
  }

  afterEach(() => {
    windows?.remove();
    h?.destroy();
  });

  const section = () => windows.shadowRoot!.querySelector<HTMLElement>('section')!;
  const box = () => section().getBoundingClientRect();
  const pointer = (target: Element, type: string, x: number, y: number) =>
    target.dispatchEvent(new PointerEvent(type, { bubbles: true, composed: true, clientX: x, clientY: y, button: 0, pointerId: 1 }));

  it("names a window after its app and panel, once when the panel is named as its app (not 'Image viewer: Image viewer')", () => {
    expect(panelTitle('Image viewer', 'image viewer')).to.equal('Image viewer');
    expect(panelTitle('Counter', 'Count objects')).to.equal('Counter: Count objects');
  });

  it("opens host.openPanel in a window with the manifest's size and position, title bar and close", async () => {
    await setup();
    const handle = h.host.openPanel('win-app', 'tool', { context: { tag: 'w' } });
    await handle.ready;
    expect(handle.slot).to.equal('floatingWindow');
    expect(section().getAttribute('role')).to.equal('dialog');
    expect(section().querySelector('h2')!.textContent).to.equal('win-app: tool');
    expect([box().x, box().y, box().width, box().height]).to.deep.equal([40, 30, 300, 200]);
    expect(section().querySelector('iframe')).to.equal(handle.element);
    section().querySelector<HTMLButtonElement>('header button')!.click();
    expect(handle.state).to.equal('closed');
    await windows.updateComplete;
    expect(windows.shadowRoot!.querySelector('section')).to.equal(null);
  });

  it('moves by dragging the title bar and stays inside the viewport', async () => {
    await setup();
    await h.host.openPanel('win-app', 'tool', { context: { tag: 'w' } }).ready;
    const header = section().querySelector('header')!;
    pointer(header, 'pointerdown', 50, 40);
    pointer(header, 'pointermove', 90, 60);
    pointer(header, 'pointerup', 90, 60);
    await windows.updateComplete;
    expect([box().x, box().y]).to.deep.equal([80, 50]);
    pointer(header, 'pointerdown', 90, 60);
    pointer(header, 'pointermove', 5000, -5000);
    pointer(header, 'pointerup', 5000, -5000);
    await windows.updateComplete;
    expect([box().x, box().y]).to.deep.equal([innerWidth - 300, 0]);
  });

  it('resizes from its handle when the layout allows it', async () => {
    await setup();
    await h.host.openPanel('win-app', 'tool', { context: { tag: 'w' } }).ready;
    const handle = section().querySelector('.resize')!;
    pointer(handle, 'pointerdown', 340, 230);
    pointer(handle, 'pointermove', 390, 250);
    pointer(handle, 'pointerup', 390, 250);
    await windows.updateComplete;
    expect([box().width, box().height]).to.deep.equal([350, 220]);
  });

  it('has no resize handle when the layout does not allow it', async () => {
    await setup({ width: 300, height: 200, resizable: false });
    await h.host.openPanel('win-app', 'tool', { context: { tag: 'w' } }).ready;
    expect(section().querySelector('.resize')).to.equal(null);
  });

  it('moves and resizes with the keyboard from the focused title bar', async () => {
    await setup();
    await h.host.openPanel('win-app', 'tool', { context: { tag: 'w' } }).ready;
    const header = section().querySelector<HTMLElement>('header')!;
    header.focus();
    header.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
    header.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true }));
    await windows.updateComplete;
    expect([box().x, box().y]).to.deep.equal([50, 40]);
    header.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', shiftKey: true, bubbles: true }));
    await windows.updateComplete;
    expect(box().width).to.equal(310);
  });

  it('brings a window to the front on pointer down or focus', async () => {
    await setup();
    await h.host.openPanel('win-app', 'tool', { context: { tag: 'w1' } }).ready;
    await h.host.openPanel('win-app', 'tool', { context: { tag: 'w2' } }).ready;
    const [first, second] = [...windows.shadowRoot!.querySelectorAll<HTMLElement>('section')];
    expect(Number(second!.style.zIndex)).to.be.greaterThan(Number(first!.style.zIndex));
    pointer(first!, 'pointerdown', 60, 40);
    await windows.updateComplete;
    expect(Number(first!.style.zIndex)).to.be.greaterThan(Number(second!.style.zIndex));
  });

  it('opens the window a guest asks for with ui.openPanel, and closes it on ui.close', async () => {
    await setup();
    const slot = document.createElement('div');
    h.container.append(slot);
    h.host.mount('win-app', 'tool', slot, { slot: 'itemViewer', context: { tag: 'main' } });
    await h.record('main', 'ready');
    await h.command('main', 'call', { method: 'ui.openPanel', args: ['tool', { slot: 'floatingWindow', context: { tag: 'opened' } }] });
    await h.record('opened', 'ready');
    expect(windows.panels.length).to.equal(1);
    h.host.emit('cmd', { id: 'bye', tag: 'opened', op: 'call', method: 'ui.close', args: [] });
    await waitFor(() => windows.panels.length === 0, 'the window to close');
    await windows.updateComplete;
    expect(windows.shadowRoot!.querySelector('section')).to.equal(null);
  });

  it('asks before closing (cancelable sb-request-close)', async () => {
    await setup();
    const handle = h.host.openPanel('win-app', 'tool', { context: { tag: 'w' } });
    await handle.ready;
    windows.addEventListener('sb-request-close', (e) => e.preventDefault(), { once: true });
    section().querySelector<HTMLButtonElement>('header button')!.click();
    expect(handle.state).to.equal('ready');
  });

  it('closes its windows and unregisters when it leaves the document', async () => {
    await setup();
    const handle = h.host.openPanel('win-app', 'tool', { context: { tag: 'w' } });
    windows.remove();
    expect(handle.state).to.equal('closed');
    expect(() => h.host.openPanel('win-app', 'tool')).to.throw(/add <sb-floating-windows>/);
  });

  it('has no accessibility violations (axe-core), empty and with a window', async () => {
    await setup();
    expect(await axeViolations(windows)).to.deep.equal([]);
    await h.host.openPanel('win-app', 'tool', { context: { tag: 'w' } }).ready;
    expect(await axeViolations(windows)).to.deep.equal([]);
  });
});
