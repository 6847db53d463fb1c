import { expect } from 'chai';
import '../index.js';
import { createHarness, fixtureManifest, fixtures, type Harness } from '../../test/browser/bridge/harness.js';
import { waitFor } from '../../test/browser/wait-for.js';
import type { SbRoute } from './sb-route.js';

/** A fixture app whose `remote` panel is a route at `path` (with no route configuration when path is undefined). */
const routeApp = (name: string, path: string | undefined) => ({
  ...fixtureManifest(name),
  components: {
    panels: [
      {
        name: 'remote',
        url: 'remote-guest.html',
        supportedSlots: [
          { type: 'route', ...(path ? { configuration: { route: { name: 'Reports', path, src: 'remote/index.html' } } } : {}) },
        ],
      },
    ],
  },
});

describe('<sb-route>', () => {
  let h: Harness;
  let route: SbRoute;

  beforeEach(async () => {
    h = await createHarness({ apps: [] });
    for (const app of [routeApp('app-a', 'reports'), routeApp('app-b', undefined)]) {
      await h.host.registry.publish(app, { baseUrl: fixtures });
      await h.host.registry.install(app.name);
    }
    route = document.createElement('sb-route');
    route.innerHTML = '<p id="not-found">No app serves this page</p>';
    route.host = h.host;
    route.context = { tag: 'r' };
    h.container.append(route);
  });

  afterEach(() => {
    route.remove();
    h.destroy();
  });

  it('shows the panel whose route path is its path, with no chooser', async () => {
    route.path = 'reports';
    await route.updateComplete;
    expect(route.selected).to.equal('app-a/remote');
    expect(route.shadowRoot!.querySelector('select, [role="tablist"]')).to.equal(null);
    const handle = route.handleOf('app-a/remote')!;
    expect(handle.slot).to.equal('route');
    await handle.ready;
    expect(route.querySelector('#not-found')!.checkVisibility()).to.equal(false);
  });

  it('fills its own height with the panel, whatever height the panel asks for', async () => {
    route.style.height = '420px';
    route.path = 'reports';
    await route.updateComplete;
    const handle = route.handleOf('app-a/remote')!;
    await handle.ready;
    expect(handle.element.getBoundingClientRect().height).to.equal(420);
    // What the slot does when a panel asks for a height (ui.resize): a route keeps filling the element.
    handle.element.style.height = '120px';
    expect(handle.element.getBoundingClientRect().height).to.equal(420);
  });

  it('takes a route panel with no route configuration at its name, and shows its children for a path nobody serves', async () => {
    route.path = 'nowhere';
    await route.updateComplete;
    expect(route.selected).to.equal('');
    expect(route.querySelector('#not-found')!.checkVisibility()).to.equal(true);
    route.path = 'remote';
    await route.updateComplete;
    await waitFor(() => route.handleOf('app-b/remote')?.state === 'ready', "app-b's route to be ready");
    route.path = 'reports';
    await route.updateComplete;
    expect(route.selected).to.equal('app-a/remote');
    await waitFor(() => route.handleOf('app-b/remote') === undefined, 'the route left to close');
  });
});
