import { expect } from 'chai';
import { setViewport } from '@web/test-runner-commands';
import { panelTitle } from '../shared/panel-layout.js';
import '../index.js';
import { createHarness, fixtureManifest, fixtures, type Harness } from '../../test/browser/bridge/harness.js';
import { waitFor } from '../../test/browser/wait-for.js';
import { axeViolations } from '../../test/browser/axe.js';
import type { SbFloatingWindows } from './sb-floating-windows.js';

const windowApp = (layout: Record<string, unknown>, url = 'remote-guest.html') => ({
  ...fixtureManifest('win-app'),
  components: {
    panels: [
      {
        name: 'tool',
        url,
        supportedSlots: [{ type: 'floatingWindow', configuration: { layout } }, { type: 'itemViewer' }],
      },
    ],
  },
});

describe('<sb-floating-windows>', () => {
  let h: Harness;
  let windows: SbFloatingWindows;

  async function setup(
    layout: Record<string, unknown> = { width: 300, height: 200, position: { x: 40, y: 30 }, resizeable: true },
    { url, handshake }: { url?: string; handshake?: number } = {},
  ) {
    h = await createHarness({ apps: [], ...(handshake ? { timeouts: { handshake } } : {}) });
    await h.host.registry.publish(windowApp(layout, url), { baseUrl: fixtures });
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
    expect(Number(second.style.zIndex)).to.be.greaterThan(Number(first.style.zIndex));
    pointer(first, 'pointerdown', 60, 40);
    await windows.updateComplete;
    expect(Number(first.style.zIndex)).to.be.greaterThan(Number(second.style.zIndex));
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

  it('names in its title the item it shows, and follows its context to the next one', async () => {
    await setup();
    const handle = h.host.openPanel('win-app', 'tool', { context: { tag: 'w', item: { id: 'i2', name: 'Shapes #02' } } });
    await handle.ready;
    await windows.updateComplete;
    expect(section().querySelector('h2')!.textContent).to.equal('win-app: tool · Shapes #02');
    handle.context = { tag: 'w', item: { id: 'i5', name: 'Shapes #05' } };
    await windows.updateComplete;
    expect(section().querySelector('h2')!.textContent).to.equal('win-app: tool · Shapes #05');
    expect(section().getAttribute('aria-label')).to.equal('win-app: tool · Shapes #05');
  });

  it('keeps its size through a smaller viewport: drawn inside it meanwhile, its own size again when there is room', async () => {
    await setup({ width: 300, height: 200, position: { x: 40, y: 30 } });
    await h.host.openPanel('win-app', 'tool', { context: { tag: 'w' } }).ready;
    await setViewport({ width: 260, height: 180 });
    try {
      await waitFor(() => box().width === 260 && box().height === 180, 'the window drawn inside the small viewport');
      expect([box().x, box().y]).to.deep.equal([0, 0]);
    } finally {
      await setViewport({ width: 800, height: 600 });
    }
    await waitFor(() => box().width === 300, 'the window to get its size back');
    expect([box().x, box().y, box().width, box().height]).to.deep.equal([40, 30, 300, 200]);
  });

  it('says in the window why its panel could not start, and Retry starts it again', async () => {
    await setup(undefined, { url: 'silent-guest.html', handshake: 300 });
    const handle = h.host.openPanel('win-app', 'tool', { context: { tag: 'w' } });
    await waitFor(() => handle.state === 'error', 'the handshake to time out');
    await windows.updateComplete;
    const alert = section().querySelector('[role="alert"]')!;
    expect(alert.textContent).to.match(/win-app: tool could not start: .*did not connect within 300 ms/);
    alert.querySelector('button')!.click();
    await waitFor(() => handle.state === 'loading' || handle.state === 'connecting', 'the retry');
    await windows.updateComplete;
    expect(section().querySelector('[role="alert"]')).to.equal(null);
  });

  it('has no accessibility violations (axe-core), empty and with a window', async () => {
    await setup();
    expect(await axeViolations(windows)).to.deep.equal([]);
    await h.host.openPanel('win-app', 'tool', { context: { tag: 'w' } }).ready;
    expect(await axeViolations(windows)).to.deep.equal([]);
  });
});
