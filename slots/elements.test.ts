/** What every slot element shares: defined by one import, accessible when empty, themed by the host. */
import { expect } from 'chai';
import './index.js';
import { define } from './shared/define.js';
import { createHost, MemoryStore } from '../src/index.js';
import { createHarness, fixtureManifest, fixtures } from '../test/browser/bridge/harness.js';
import { axeViolations } from '../test/browser/axe.js';
import type { SbItemViewer } from './sb-item-viewer/sb-item-viewer.js';
import type { Host } from '../src/host/host.js';
import { SbHost } from './sb-host/sb-host.js';
import { SlotbridgeError } from '../src/errors/slotbridge-error.js';

/** The host subscriptions alive on `host` (every `on` not yet undone by `off`), counted as they are made. */
function liveSubscriptions(host: Host): Set<unknown> {
  const live = new Set<unknown>();
  const on = host.on.bind(host);
  const off = host.off.bind(host);
  const ids = new Map<unknown, number>();
  const key = (event: string, fn: unknown) => `${event} ${ids.get(fn) ?? ids.set(fn, ids.size).get(fn)}`;
  host.on = (event: string, fn: never) => (live.add(key(event, fn)), on(event as never, fn));
  host.off = (event: string, fn: never) => (live.delete(key(event, fn)), off(event as never, fn));
  return live;
}

const TAGS = [
  'sb-host',
  'sb-marketplace',
  'sb-item-viewer',
  'sb-side-panel',
  'sb-data-browser',
  'sb-route',
  'sb-floating-windows',
  'sb-dialogs',
  'sb-toolbar',
  'sb-inspector',
  'sb-app-settings',
  'sb-app-dashboard',
] as const;

describe('the slot elements', () => {
  it('are all defined by importing slotbridge/slots, and defining one again is harmless', () => {
    for (const tag of TAGS) expect(customElements.get(tag), tag).to.not.equal(undefined);
    const before = customElements.get('sb-host');
    expect(() => define('sb-host', class extends HTMLElement {})).to.not.throw();
    expect(customElements.get('sb-host')).to.equal(before);
  });

  for (const theme of ['light', 'dark'] as const) {
    for (const tag of TAGS) {
      it(`<${tag}> has no accessibility violations (axe-core, contrast included) in the ${theme} theme, with a host and nothing installed`, async () => {
        const host = createHost({ project: 'p1', user: { id: 'u1' }, store: new MemoryStore(), theme });
        const element = document.createElement(tag) as HTMLElement & { host?: unknown; updateComplete?: Promise<unknown> };
        element.host = host;
        // On a page of the theme's own background, as a platform in that theme draws it.
        const page = document.body.appendChild(document.createElement('div'));
        page.style.background = theme === 'dark' ? '#1f2533' : '#ffffff';
        page.append(element);
        await element.updateComplete;
        try {
          expect(await axeViolations(page)).to.deep.equal([]);
        } finally {
          page.remove();
          host.destroy();
        }
      });
    }
  }

  it('find the host of the nearest <sb-host> across shadow roots, move with it when it changes, and leave no subscription behind', async () => {
    const first = createHost({ project: 'p1', user: { id: 'u1' }, store: new MemoryStore(), theme: 'dark' });
    const second = createHost({ project: 'p1', user: { id: 'u1' }, store: new MemoryStore(), theme: 'light' });
    const [liveOnFirst, liveOnSecond] = [liveSubscriptions(first), liveSubscriptions(second)];
    const wrapper = document.createElement('sb-host');
    // The elements sit in another component's shadow root, as in a platform built of components.
    const component = wrapper.appendChild(document.createElement('div'));
    const shadow = component.attachShadow({ mode: 'open' });
    const elements = (['sb-inspector', 'sb-dialogs', 'sb-app-dashboard', 'sb-item-viewer'] as const).map((tag) =>
      shadow.appendChild(document.createElement(tag)),
    );
    document.body.append(wrapper);
    const settled = () => Promise.all([wrapper, ...elements].map((e) => e.updateComplete));
    try {
      await settled();
      const dialogs = elements[1] as HTMLElementTagNameMap['sb-dialogs'];
      expect(() => dialogs.open('some-app', 'main'))
        .to.throw(SlotbridgeError)
        .with.property('code', 'NO_HOST');

      wrapper.host = first;
      await settled();
      await settled();
      for (const e of elements) expect(e.getAttribute('data-host-theme'), e.localName).to.equal('dark');
      expect(liveOnFirst.size).to.be.greaterThan(elements.length);
      // Now a host: what it says is the host's own answer (no such app), not NO_HOST.
      expect(() => dialogs.open('some-app', 'main'))
        .to.throw(SlotbridgeError)
        .with.property('code', 'APP_NOT_FOUND');

      wrapper.host = second;
      await settled();
      await settled();
      for (const e of elements) expect(e.getAttribute('data-host-theme'), e.localName).to.equal('light');
      expect(liveOnFirst.size, 'subscriptions left on the host no longer in use').to.equal(0);
      expect(liveOnSecond.size).to.be.greaterThan(elements.length);
    } finally {
      wrapper.remove();
    }
    expect(liveOnSecond.size, 'subscriptions left after the elements went').to.equal(0);
    first.destroy();
    second.destroy();
  });

  it('find a host whose <sb-host> is defined after they connected (the context root replays their request)', async () => {
    const host = createHost({ project: 'p1', user: { id: 'u1' }, store: new MemoryStore(), theme: 'dark' });
    const live = liveSubscriptions(host);
    // A tag not defined yet: the element inside asks for its host before any provider exists.
    const wrapper = document.createElement('sb-host-defined-late') as HTMLElement & { host?: Host };
    const inner = wrapper.appendChild(document.createElement('sb-inspector'));
    document.body.append(wrapper);
    await inner.updateComplete;
    expect(inner.hasAttribute('data-host-theme')).to.equal(false);
    wrapper.host = host;
    customElements.define('sb-host-defined-late', class extends SbHost {});
    await (wrapper as SbHost).updateComplete;
    await inner.updateComplete;
    expect(inner.getAttribute('data-host-theme')).to.equal('dark');
    expect(live.size).to.be.greaterThan(0);
    wrapper.remove();
    expect(live.size).to.equal(0);
    host.destroy();
  });

  it("follow the host's theme unless told otherwise", async () => {
    const host = createHost({ project: 'p1', user: { id: 'u1' }, store: new MemoryStore() });
    const market = document.createElement('sb-marketplace');
    market.host = host;
    document.body.append(market);
    await market.updateComplete;
    expect(market.getAttribute('data-host-theme')).to.equal('light');
    host.theme = 'dark';
    await market.updateComplete;
    expect(market.getAttribute('data-host-theme')).to.equal('dark');
    expect(getComputedStyle(market).getPropertyValue('--_bg').trim()).to.equal('#1f2533');
    market.setAttribute('theme', 'light');
    await market.updateComplete;
    expect(getComputedStyle(market).getPropertyValue('--_bg').trim()).to.equal('#ffffff');
    market.remove();
    host.destroy();
  });

  it('report panel states as sb-panel-state, and a fixed height ignores ui.resize', async () => {
    const h = await createHarness({ apps: [] });
    await h.host.registry.publish(
      {
        ...fixtureManifest('one'),
        components: { panels: [{ name: 'p', url: 'remote-guest.html', supportedSlots: [{ type: 'itemViewer' }] }] },
      },
      { baseUrl: fixtures },
    );
    await h.host.registry.install('one');
    const viewer = document.createElement('sb-item-viewer') as SbItemViewer;
    viewer.host = h.host;
    viewer.height = 222;
    viewer.context = { tag: 'f' };
    const states: string[] = [];
    h.container.addEventListener('sb-panel-state', (e) => states.push((e as CustomEvent<{ state: string }>).detail.state));
    h.container.append(viewer);
    await viewer.updateComplete;
    viewer.selected = 'one/p';
    await viewer.updateComplete;
    const handle = viewer.handleOf('one/p')!;
    await h.record('f', 'ready');
    expect(states).to.include('ready');
    expect(handle.element.style.height).to.equal('222px');
    await h.command('f', 'call', { method: 'ui.resize', args: [{ height: 600 }] });
    expect(handle.element.style.height).to.equal('222px');
    viewer.remove();
    h.destroy();
  });
});
