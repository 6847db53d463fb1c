import { expect } from 'chai';
import '../index.js';
import { createHarness, fixtureManifest, fixtures, type Harness } from '../../test/browser/bridge/harness.js';
import { axeViolations } from '../../test/browser/axe.js';

describe('<sb-data-browser>', () => {
  let h: Harness;
  afterEach(() => h?.destroy());

  it('offers the datasetBrowser panels under "Open with" and mounts the chosen one in that slot', async () => {
    h = await createHarness({ apps: [] });
    for (const [name, type] of [
      ['insights', 'datasetBrowser'],
      ['viewer-only', 'itemViewer'],
    ] as const) {
      await h.host.registry.publish(
        { ...fixtureManifest(name), components: { panels: [{ name: 'main', url: 'remote-guest.html', supportedSlots: [{ type }] }] } },
        { baseUrl: fixtures },
      );
      await h.host.registry.install(name);
    }
    const browser = document.createElement('sb-data-browser');
    browser.innerHTML = '<p>grid of images</p>';
    browser.host = h.host;
    browser.context = { tag: 'd', dataset: { id: 'ds1' } };
    h.container.append(browser);
    await browser.updateComplete;
    const select = browser.shadowRoot!.querySelector('select')!;
    expect([...select.options].map((o) => o.value)).to.deep.equal(['', 'insights/main']);
    select.value = 'insights/main';
    select.dispatchEvent(new Event('change'));
    await browser.updateComplete;
    expect(browser.handleOf('insights/main')!.slot).to.equal('datasetBrowser');
    expect((await h.record('d', 'ready')).value).to.include({ slot: 'datasetBrowser' });
    expect(await axeViolations(browser)).to.deep.equal([]);
  });
});
