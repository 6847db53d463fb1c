import { expect } from 'chai';
import { waitFor } from '../../test/browser/wait-for.js';
import { zipSync, strToU8 } from 'fflate';
import '../index.js';
import { createHost, IndexedDbStore, MemoryStore, type Host } from '../../src/index.js';
import type { SbMarketplace } from './sb-marketplace.js';
import { axeViolations } from '../../test/browser/axe.js';

const baseUrl = 'https://apps.example.com/';
const app = (name: string, extra: Record<string, unknown> = {}) => ({ name, version: '1.0.0', ...extra });

async function setup(): Promise<{ host: Host; market: SbMarketplace; root: ShadowRoot }> {
  const host = createHost({
    project: 'p1',
    user: { id: 'u1' },
    store: new MemoryStore(),
    permissionDescriptions: { 'annotations:write': 'Add and change annotations on your items' },
  });
  await host.registry.publish(
    app('zeta', {
      displayName: 'Zeta viewer',
      description: 'Looks at items',
      category: 'Viewers',
      provider: 'Acme',
      badges: ['new'],
      permissions: ['items:read'],
    }),
    { baseUrl },
  );
  await host.registry.publish(
    app('alpha', {
      displayName: 'Alpha counter',
      description: 'Counts objects in images',
      category: 'Tools',
      featured: 10,
      permissions: ['items:read', 'annotations:write'],
    }),
    { baseUrl },
  );
  await host.registry.publish(
    app('beta', { displayName: '<img src=x onerror=alert(1)>', description: 'Plain tool', category: 'Tools', icon: 'icon-dl-edit' }),
    { baseUrl },
  );
  await host.registry.publishPackage(
    zipSync({
      'app.json': strToU8(JSON.stringify(app('gamma', { displayName: 'Gamma', icon: '${ASSET:g.svg}' }))),
      'assets/g.svg': strToU8('<svg xmlns="http://www.w3.org/2000/svg"/>'),
    }),
    { baseUrl },
  );
  const market = document.createElement('sb-marketplace');
  market.host = host;
  document.body.append(market);
  await market.updateComplete;
  return { host, market, root: market.shadowRoot! };
}

const names = (root: ShadowRoot) => [...root.querySelectorAll('li.app h2')].map((h) => h.textContent);

describe('<sb-marketplace>', () => {
  let host: Host;
  let market: SbMarketplace;
  let root: ShadowRoot;

  beforeEach(async () => {
    ({ host, market, root } = await setup());
  });

  afterEach(() => {
    market.remove();
    host.destroy();
  });

  it('lists the available apps, featured first, then by name, with provider, version and badges', () => {
    expect(names(root)).to.deep.equal(['Alpha counter', '<img src=x onerror=alert(1)>', 'Gamma', 'Zeta viewer']);
    const zeta = root.querySelector('[data-app="zeta"]')!;
    expect(zeta.querySelector('.meta')!.textContent).to.equal('Acme · v1.0.0');
    expect([...zeta.querySelectorAll('.badges li')].map((b) => b.textContent)).to.deep.equal(['new']);
  });

  it('renders app text as text, never as HTML', () => {
    const beta = root.querySelector('[data-app="beta"]')!;
    expect(beta.querySelector('h2 img')).to.equal(null);
    expect(beta.querySelector('h2')!.textContent).to.equal('<img src=x onerror=alert(1)>');
  });

  it("shows a packaged SVG icon from its data URL (never a blob of the platform's origin), and a letter for an icon that is no URL", () => {
    expect(root.querySelector<HTMLImageElement>('[data-app="gamma"] img.icon')!.src).to.match(/^data:image\/svg\+xml;base64,/);
    expect(root.querySelector('[data-app="beta"] span.icon')!.textContent).to.equal('<');
  });

  it('searches names and descriptions', async () => {
    const search = root.querySelector<HTMLInputElement>('input[type="search"]')!;
    search.value = 'objects';
    search.dispatchEvent(new Event('input'));
    await market.updateComplete;
    expect(names(root)).to.deep.equal(['Alpha counter']);
    search.value = 'zzz';
    search.dispatchEvent(new Event('input'));
    await market.updateComplete;
    expect(root.querySelector('.empty')!.textContent).to.equal('No app matches.');
  });

  it('filters by category tab, and the arrow keys move between tabs', async () => {
    const tabs = () => [...root.querySelectorAll<HTMLButtonElement>('[role="tab"]')];
    expect(tabs().map((t) => t.textContent.trim())).to.deep.equal(['All', 'Tools', 'Viewers']);
    tabs()[1].click();
    await market.updateComplete;
    expect(names(root)).to.deep.equal(['Alpha counter', '<img src=x onerror=alert(1)>']);
    tabs()[1].focus();
    tabs()[1].dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
    await market.updateComplete;
    await market.updateComplete;
    expect(names(root)).to.deep.equal(['Zeta viewer']);
    expect(tabs()[2].getAttribute('aria-selected')).to.equal('true');
    expect(market.shadowRoot!.activeElement).to.equal(tabs()[2]);
    expect(tabs().map((t) => t.tabIndex)).to.deep.equal([-1, -1, 0]);
  });

  it('installs after the user consents to the listed permissions', async () => {
    const installs: unknown[] = [];
    market.addEventListener('sb-install', (e) => installs.push(e.detail));
    root.querySelector<HTMLButtonElement>('[data-app="alpha"] button.primary')!.click();
    await market.updateComplete;
    const dialog = root.querySelector('dialog')!;
    expect(dialog.open).to.equal(true);
    // Each permission as the platform explains it, where it does.
    const listed = [...dialog.querySelectorAll('.permissions li')].map((li) => [
      li.querySelector('code')!.textContent,
      li.querySelector('.meaning')?.textContent,
    ]);
    expect(listed).to.deep.equal([
      ['items:read', undefined],
      ['annotations:write', 'Add and change annotations on your items'],
    ]);
    dialog.querySelector<HTMLButtonElement>('button[value="install"]')!.click();
    await waitFor(() => host.registry.installation('alpha'), 'the installation');
    await market.updateComplete;
    expect(dialog.open).to.equal(false);
    expect(host.registry.installation('alpha')?.grant).to.deep.equal(['items:read', 'annotations:write']);
    expect(installs).to.deep.equal([{ app: 'alpha', version: '1.0.0', grant: ['items:read', 'annotations:write'] }]);
    expect(root.querySelector('[data-app="alpha"] .installed')!.textContent).to.equal('Installed');
    expect(root.querySelector('[role="status"]')!.textContent).to.equal('Installed Alpha counter 1.0.0.');
  });

  it("says before installing where each function runs: the page, or the platform's queue", async () => {
    await host.registry.publish(
      app('runs', {
        displayName: 'Runs',
        components: {
          modules: [
            { name: 'train', entryPoint: 'train.py', functions: [{ name: 'fit', computeConfig: 'gpu' }, { name: 'score' }] },
            { name: 'page', url: 'modules/page/index.html', functions: [{ name: 'count' }] },
          ],
        },
      }),
      { baseUrl },
    );
    await market.updateComplete;
    root.querySelector<HTMLButtonElement>('[data-app="runs"] button.primary')!.click();
    await market.updateComplete;
    const places = [...root.querySelectorAll('dialog .places li')].map((li) => li.textContent.replace(/\s+/g, ' ').trim());
    expect(places).to.deep.equal([
      'train.fit on the platform\'s machines (queue "gpu")',
      "train.score in this page (Python), or on the platform's machines where the page runs no Python",
      'page.count in this page',
    ]);
    root.querySelector<HTMLButtonElement>('dialog button[value="cancel"]')!.click();
  });

  it('installs nothing when the user cancels', async () => {
    root.querySelector<HTMLButtonElement>('[data-app="alpha"] button.primary')!.click();
    await market.updateComplete;
    root.querySelector<HTMLButtonElement>('dialog button[value="cancel"]')!.click();
    await new Promise((r) => setTimeout(r, 0));
    await market.updateComplete;
    expect(root.querySelector('dialog')!.open).to.equal(false);
    expect(host.registry.installation('alpha')).to.equal(undefined);
  });

  it('uninstalls, and follows installs made elsewhere', async () => {
    await host.registry.install('zeta');
    await market.updateComplete;
    expect(root.querySelector('[data-app="zeta"] .installed')).to.not.equal(null);
    const removed: unknown[] = [];
    market.addEventListener('sb-uninstall', (e) => removed.push(e.detail));
    const uninstall = () => root.querySelector<HTMLButtonElement>('[data-app="zeta"] .actions button')!;
    const dialog = root.querySelector('dialog')!;
    // Its data goes with it: the user confirms first, and a cancel keeps it.
    uninstall().click();
    await market.updateComplete;
    expect(dialog.open).to.equal(true);
    expect(dialog.querySelector('h2')!.textContent).to.equal('Uninstall Zeta viewer?');
    // Said plainly: the data does not stay.
    expect(dialog.querySelector('p')!.textContent).to.equal(
      'Its settings, storage, reports and artifacts in this project are deleted with it.',
    );
    dialog.querySelector<HTMLButtonElement>('button[value="cancel"]')!.click();
    await new Promise((r) => setTimeout(r, 0));
    await market.updateComplete;
    expect(host.registry.installation('zeta')).to.not.equal(undefined);
    uninstall().click();
    await market.updateComplete;
    dialog.querySelector<HTMLButtonElement>('button[value="uninstall"]')!.click();
    await waitFor(() => host.registry.installation('zeta') === undefined, 'the uninstall');
    await market.updateComplete;
    expect(removed).to.deep.equal([{ app: 'zeta' }]);
    expect(root.querySelector('[data-app="zeta"] button.primary')).to.not.equal(null);
    expect(root.querySelector('[role="status"]')!.textContent).to.equal('Uninstalled Zeta viewer.');
  });

  it('shows the apps of the project the host switches to', async () => {
    await host.registry.publish(app('only-p2'), { baseUrl, project: 'p2' });
    await market.updateComplete;
    expect(names(root)).to.not.include('only-p2');
    host.project = 'p2';
    await market.updateComplete;
    expect(names(root)).to.include('only-p2');
  });

  it('finds its host on an ancestor <sb-host>', async () => {
    const wrapper = document.createElement('sb-host');
    const inner = document.createElement('sb-marketplace');
    wrapper.append(inner);
    document.body.append(wrapper);
    await inner.updateComplete;
    expect(inner.shadowRoot!.querySelector('.empty')!.textContent).to.match(/No host/);
    wrapper.host = host;
    await wrapper.updateComplete;
    await inner.updateComplete;
    expect(names(inner.shadowRoot!)).to.have.length(4);
    wrapper.remove();
  });

  it('has no accessibility violations (axe-core), filled, empty, and with the consent dialog open', async () => {
    expect(await axeViolations(market)).to.deep.equal([]);
    root.querySelector<HTMLButtonElement>('[data-app="alpha"] button.primary')!.click();
    await market.updateComplete;
    expect(await axeViolations(market)).to.deep.equal([]);
    const empty = document.createElement('sb-marketplace');
    empty.host = createHost({ project: 'p9', user: { id: 'u' }, store: new MemoryStore() });
    document.body.append(empty);
    await empty.updateComplete;
    expect(await axeViolations(empty)).to.deep.equal([]);
    empty.host.destroy();
    empty.remove();
  });
});

describe('<sb-marketplace> in two tabs', () => {
  it('shows an install made by another host on the same database', async () => {
    const db = `slotbridge-market-tabs-${Date.now()}`;
    const a = createHost({ project: 'p1', user: { id: 'u1' }, store: new IndexedDbStore(db) });
    const b = createHost({ project: 'p1', user: { id: 'u1' }, store: new IndexedDbStore(db) });
    const market = document.createElement('sb-marketplace');
    market.host = b;
    document.body.append(market);
    await a.registry.publish(app('shared', { displayName: 'Shared app' }), { baseUrl });
    const card = () => market.shadowRoot!.querySelector('[data-app="shared"]');
    for (let i = 0; i < 300 && !card(); i++) await new Promise((r) => setTimeout(r, 10));
    expect(card()).to.not.equal(null);
    await a.registry.install('shared');
    for (let i = 0; i < 300 && !card()!.querySelector('.installed'); i++) await new Promise((r) => setTimeout(r, 10));
    expect(card()!.querySelector('.installed')!.textContent).to.equal('Installed');
    market.remove();
    a.destroy();
    b.destroy();
  });
});
