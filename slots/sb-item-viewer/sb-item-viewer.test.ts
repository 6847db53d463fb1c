import { expect } from 'chai';
import '../index.js';
import { createHarness, fixtureManifest, fixtures, type Harness } from '../../test/browser/bridge/harness.js';
import { waitFor } from '../../test/browser/wait-for.js';
import { axeViolations } from '../../test/browser/axe.js';
import type { SbItemViewer } from './sb-item-viewer.js';

/** A fixture app whose only item viewer is `panel` (the remote-controlled guest by default). */
const viewerApp = (name: string, url = 'remote-guest.html', panel = 'remote') => ({
  ...fixtureManifest(name),
  components: { panels: [{ name: panel, url, supportedSlots: [{ type: 'itemViewer' }] }] },
});

async function harnessWith(apps: ReturnType<typeof viewerApp>[], options: Parameters<typeof createHarness>[0] = {}): Promise<Harness> {
  const h = await createHarness({ ...options, apps: [] });
  for (const app of apps) {
    await h.host.registry.publish(app, { baseUrl: fixtures });
    await h.host.registry.install(app.name);
  }
  return h;
}

describe('<sb-item-viewer>', () => {
  let h: Harness;
  let viewer: SbItemViewer;

  beforeEach(async () => {
    h = await harnessWith([viewerApp('app-a'), viewerApp('app-b')]);
    viewer = document.createElement('sb-item-viewer');
    viewer.innerHTML = '<p id="default-view">The platform\'s own view</p>';
    viewer.host = h.host;
    viewer.context = { tag: 'v', item: { id: 'i1' } };
    h.container.append(viewer);
    await viewer.updateComplete;
  });

  afterEach(() => {
    viewer.remove();
    h.destroy();
  });

  const select = () => viewer.shadowRoot!.querySelector('select')!;
  const choose = async (value: string) => {
    select().value = value;
    select().dispatchEvent(new Event('change'));
    await viewer.updateComplete;
  };

  it('shows its children (the default view) and offers "Open with" the installed apps\' panels', () => {
    expect(viewer.querySelector('#default-view')!.checkVisibility()).to.equal(true);
    expect([...select().options].map((o) => o.textContent.trim())).to.deep.equal(['Default view', 'app-a: remote', 'app-b: remote']);
  });

  it("mounts the chosen panel with the slot's context, and the context follows", async () => {
    await choose('app-a/remote');
    const handle = viewer.handleOf('app-a/remote')!;
    expect(handle.slot).to.equal('itemViewer');
    await handle.ready;
    expect((await h.record('v', 'ready')).value.item).to.deep.equal({ id: 'i1' });
    expect(viewer.querySelector('#default-view')!.checkVisibility()).to.equal(false);
    await h.command('v', 'listen', { event: 'context' });
    viewer.context = { tag: 'v', item: { id: 'i2' } };
    expect((await h.record('v', 'event:context')).value.item).to.deep.equal({ id: 'i2' });
  });

  it('closes the panel it leaves, unless keep-alive', async () => {
    await choose('app-a/remote');
    const a = viewer.handleOf('app-a/remote')!;
    await a.ready;
    await choose('app-b/remote');
    expect(a.state).to.equal('closed');
    viewer.keepAlive = true;
    await viewer.updateComplete;
    const b = viewer.handleOf('app-b/remote')!;
    await b.ready;
    await choose('');
    expect(b.state).to.equal('ready');
    expect(viewer.querySelector('#default-view')!.checkVisibility()).to.equal(true);
  });

  it('drops a panel when its app is uninstalled, connection included', async () => {
    await choose('app-a/remote');
    const a = viewer.handleOf('app-a/remote')!;
    await a.ready;
    await h.host.registry.uninstall('app-a');
    await viewer.updateComplete;
    expect(a.state).to.equal('closed');
    expect(h.host.liveCounts.frames).to.equal(0);
    expect(viewer.selected).to.equal('');
    expect([...select().options].map((o) => o.value)).to.deep.equal(['', 'app-b/remote']);
  });

  it('shows loading, then an error that names the cause with Retry, after a handshake timeout', async () => {
    h.destroy();
    h = await harnessWith([viewerApp('silent-app', 'silent-guest.html', 'silent')], { timeouts: { handshake: 300 } });
    h.container.append(viewer);
    viewer.host = h.host;
    await viewer.updateComplete;
    await choose('silent-app/silent');
    expect(viewer.shadowRoot!.querySelector('[role="status"]')!.textContent).to.match(/^Loading silent-app: silent/);
    const alert = await waitFor(() => viewer.shadowRoot!.querySelector('[role="alert"]'), 'the error view');
    expect(alert.textContent).to.match(/did not connect within 300 ms/);
    alert.querySelector('button')!.click();
    await viewer.updateComplete;
    expect(viewer.handleOf('silent-app/silent')!.state).to.equal('loading');
    expect(viewer.shadowRoot!.querySelector('[role="alert"]')).to.equal(null);
  });

  it('says "not responding" after the configured delay without ready', async () => {
    h.destroy();
    h = await harnessWith([viewerApp('slow-app', 'silent-guest.html', 'silent')], { timeouts: { handshake: 5000 } });
    h.container.append(viewer);
    viewer.host = h.host;
    viewer.notRespondingAfter = 100;
    await viewer.updateComplete;
    await choose('slow-app/silent');
    await waitFor(() => /not responding/.test(viewer.shadowRoot!.querySelector('[role="status"]')?.textContent ?? ''), 'the notice');
  });

  it("keeps a panel's own height within the slot's bounds", async () => {
    viewer.maxHeight = 250;
    await choose('app-a/remote');
    const handle = viewer.handleOf('app-a/remote')!;
    await h.record('v', 'ready');
    await h.command('v', 'call', { method: 'ui.resize', args: [{ height: 900 }] });
    expect(handle.element.style.height).to.equal('250px');
    await h.command('v', 'call', { method: 'ui.resize', args: [{ height: 10 }] });
    expect(handle.element.style.height).to.equal('80px');
  });

  it("gives a panel that never says its height (a Dataloop panel without app:setHeight) its layout's height, or the slot's initial one, not a bare frame's 150 px", async () => {
    const declared = viewerApp('tall-app', 'silent-guest.html', 'tall');
    (declared.components.panels[0].supportedSlots[0] as Record<string, unknown>)['configuration'] = { layout: { height: 520 } };
    h.destroy();
    h = await harnessWith([viewerApp('plain-app', 'silent-guest.html', 'plain'), declared]);
    h.container.append(viewer);
    viewer.host = h.host;
    await viewer.updateComplete;
    await choose('plain-app/plain');
    const plain = viewer.handleOf('plain-app/plain')!.element;
    expect(plain.style.height).to.equal('360px');
    await waitFor(() => plain.getBoundingClientRect().height === 360, 'the frame drawn at 360 px');
    await choose('tall-app/tall');
    expect(viewer.handleOf('tall-app/tall')!.element.style.height).to.equal('520px');
  });

  it("closes the old project's panels when the host switches project", async () => {
    await choose('app-a/remote');
    await viewer.handleOf('app-a/remote')!.ready;
    h.host.project = 'elsewhere';
    await viewer.updateComplete;
    expect(h.host.liveCounts.frames).to.equal(0, "a project switch closes the old project's panels");
  });

  it('shows why the host refused to mount a panel, instead of failing silently', async () => {
    h.destroy();
    h = await harnessWith([viewerApp('unsafe')], { sandbox: ['allow-same-origin'] });
    h.container.append(viewer);
    viewer.host = h.host;
    await viewer.updateComplete;
    await choose('unsafe/remote');
    await viewer.updateComplete;
    const alert = viewer.shadowRoot!.querySelector('[role="alert"]')!;
    expect(alert.textContent).to.match(/could not start: "allow-same-origin" on a frame served from the host's own origin/);
  });

  it('closes what it mounted when it leaves the document', async () => {
    await choose('app-a/remote');
    await viewer.handleOf('app-a/remote')!.ready;
    viewer.remove();
    expect(h.host.liveCounts.frames).to.equal(0);
  });

  it('has no accessibility violations (axe-core), empty and filled', async () => {
    expect(await axeViolations(viewer)).to.deep.equal([]);
    await choose('app-a/remote');
    await viewer.handleOf('app-a/remote')!.ready;
    await viewer.updateComplete;
    expect(await axeViolations(viewer)).to.deep.equal([]);
  });
});
