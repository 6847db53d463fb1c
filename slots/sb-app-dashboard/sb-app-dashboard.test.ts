import { expect } from 'chai';
import '../index.js';
import { createHost, IndexedDbStore, MemoryStore, type Host } from '../../src/index.js';
import type { SbAppDashboard } from './sb-app-dashboard.js';
import { axeViolations } from '../../test/browser/axe.js';
import { waitFor } from '../../test/browser/wait-for.js';
import { artifactManifest, createHarness, fixtureManifest, fixtures } from '../../test/browser/bridge/harness.js';

const baseUrl = 'https://apps.example.com/';
// The page loads each module as a resource of its own: room for all of them, past the default 250 entries.
performance.setResourceTimingBufferSize(100_000);
const uplotLoaded = () => performance.getEntriesByType('resource').some((e) => /uPlot/.test(e.name));

function dashboardApp(name: string, lines: unknown[], extra: Record<string, unknown> = {}) {
  return { name, version: '1.0.0', dashboard: { lines }, ...extra };
}

async function mount(host: Host, app: string): Promise<SbAppDashboard> {
  const dashboard = document.createElement('sb-app-dashboard') as SbAppDashboard;
  dashboard.host = host;
  dashboard.app = app;
  document.body.append(dashboard);
  await dashboard.updateComplete;
  return dashboard;
}

async function setup(manifest: Record<string, unknown>) {
  const host = createHost({ project: 'p1', user: { id: 'u1' }, store: new MemoryStore() });
  await host.registry.publish(manifest, { baseUrl });
  await host.registry.install(String(manifest['name']));
  return { host, dashboard: await mount(host, String(manifest['name'])) };
}

const report = (host: Host, app: string, kind: string, entry: Record<string, unknown>) =>
  host.registry.addReport({ app, project: 'p1', panel: 'test', kind, time: Date.now(), ...entry });
const box = (d: SbAppDashboard, type: string) => d.shadowRoot!.querySelector<HTMLElement>(`.box[data-type="${type}"]`)!;
const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));

/** XSS payloads: none of them may run, and none of their scripts, handlers or script URLs may reach the page. */
const PAYLOADS = [
  '<script>window.__xss = 1</script>',
  '<img src="x" onerror="window.__xss = 2">',
  '<svg onload="window.__xss = 3"></svg>',
  '<a href="javascript:window.__xss = 4">link</a>',
  '<a href="JaVaScRiPt:window.__xss = 5">link</a>',
  '<a href="&#106;avascript:window.__xss = 6">link</a>',
  '<a href=" javascript:window.__xss = 7">link</a>',
  '<iframe src="javascript:window.__xss = 8"></iframe>',
  '<iframe srcdoc="<script>parent.__xss = 9</script>"></iframe>',
  '<body onload="window.__xss = 10">',
  '<details open ontoggle="window.__xss = 11">x</details>',
  '<math><mtext><table><mglyph><style><img src=x onerror="window.__xss = 12">',
  '<form><button formaction="javascript:window.__xss = 13">x</button></form>',
  '<object data="javascript:window.__xss = 14"></object>',
  '<embed src="javascript:window.__xss = 15">',
  '<svg><animate onbegin="window.__xss = 16" attributeName="x" dur="1s"></animate></svg>',
  '<video><source onerror="window.__xss = 17"></video>',
  '<input autofocus onfocus="window.__xss = 18">',
  '<meta http-equiv="refresh" content="0;url=javascript:window.__xss = 19">',
  '<noscript><p title="</noscript><img src=x onerror=window.__xss=20>"></noscript>',
  '<svg><a xlink:href="javascript:window.__xss = 21"><text y="20">x</text></a></svg>',
  '<img src="x" onerror=window.__xss=22 //',
  '<style>@import "javascript:window.__xss = 23"; * { display: none }</style>',
  '<link rel="stylesheet" href="javascript:window.__xss = 24">',
  '<div onmouseover="window.__xss = 25" style="width:10px;height:10px">hover</div>',
  '<base href="javascript:window.__xss = 26//">',
  '<svg><use href="data:image/svg+xml,<svg id=x onload=window.__xss=27>"></use></svg>',
  '<template><img src=x onerror="window.__xss = 28"></template>',
];

describe('<sb-app-dashboard>', () => {
  let host: Host | undefined;
  let dashboard: SbAppDashboard | undefined;

  afterEach(() => {
    dashboard?.remove();
    host?.destroy();
    dashboard = undefined;
    host = undefined;
  });

  // First in the file: nothing else has drawn a chart on this page yet.
  it('does not load the chart library for a dashboard without charts, and loads it once a chart shows', async () => {
    ({ host, dashboard } = await setup(
      dashboardApp('no-chart', [
        {
          contents: [
            { type: 'log', title: 'Logs' },
            { type: 'html', text: '<p>hi</p>' },
          ],
        },
      ]),
    ));
    await report(host, 'no-chart', 'log', { text: 'hello' });
    await waitFor(
      () => box(dashboard!, 'log').querySelector('sb-dashboard-log')?.shadowRoot?.textContent?.includes('hello'),
      'the log line',
    );
    expect(uplotLoaded()).to.equal(false);
    dashboard.remove();
    host.destroy();
    ({ host, dashboard } = await setup(dashboardApp('chart', [{ contents: [{ type: 'scalar', metric: 'loss' }] }])));
    await report(host, 'chart', 'scalar', { metric: 'loss', variant: 'train', iteration: 1, value: 0.5 });
    await waitFor(
      () => box(dashboard!, 'scalar').querySelector('sb-dashboard-chart')?.shadowRoot?.querySelector('canvas'),
      'the chart canvas',
    );
    expect(uplotLoaded()).to.equal(true);
  });

  it('shows no_info_html while nothing was reported, then the reports', async () => {
    ({ host, dashboard } = await setup(
      dashboardApp('quiet', [{ contents: [{ type: 'log' }] }], {
        no_info_html: '<p class="hint">No results yet <script>window.__xss = 1</script></p>',
      }),
    ));
    const hint = await waitFor(
      () => dashboard!.shadowRoot!.querySelector('sb-dashboard-html.no-info')?.shadowRoot?.querySelector('p.hint'),
      'the hint',
    );
    expect(hint.textContent).to.equal('No results yet ');
    await report(host, 'quiet', 'log', { text: 'first' });
    await waitFor(() => !dashboard!.shadowRoot!.querySelector('.no-info'), 'the hint gone');
  });

  it('fills html boxes from the saved settings, as text, and follows new settings', async () => {
    const app = dashboardApp(
      'html',
      [
        {
          style: { height: 'initial', position: 'fixed' },
          contents: [{ type: 'html', text: '<h2>The string is ${hyperparams.General.a_string.value}; note: ${configuration.note}</h2>' }],
        },
      ],
      {
        wizard: {
          entries: [
            { name: 's', type: 'string', target: { field: 'hyperparams', section: 'General', name: 'a_string' } },
            { name: 'note', type: 'string' },
          ],
        },
      },
    );
    ({ host, dashboard } = await setup(app));
    await host.registry.saveSettings('html', { s: 'testing 1, 2, 3', note: '<img src=x onerror="window.__xss = 1">' });
    const heading = () => box(dashboard!, 'html').querySelector('sb-dashboard-html')!.shadowRoot!.querySelector('h2');
    await waitFor(() => heading()?.textContent?.includes('testing 1, 2, 3'), 'the filled box');
    expect(heading()!.textContent).to.equal('The string is testing 1, 2, 3; note: <img src=x onerror="window.__xss = 1">');
    expect(heading()!.querySelector('img')).to.equal(null);
    const line = dashboard.shadowRoot!.querySelector<HTMLElement>('.line')!;
    expect(line.style.height).to.equal('initial');
    expect(line.style.position).to.equal('', 'only the height styles are taken');
    await host.registry.saveSettings('html', { s: 'changed', note: '' });
    await waitFor(() => heading()?.textContent?.startsWith('The string is changed;'), 'the new value');
  });

  it(`lets none of ${PAYLOADS.length} XSS payloads through the html sanitizer`, async () => {
    (window as { __xss?: number }).__xss = undefined;
    const lines = [{ contents: PAYLOADS.map((text, i) => ({ type: 'html', title: `payload ${i + 1}`, text })) }];
    ({ host, dashboard } = await setup(dashboardApp('xss', lines)));
    const boxes = await waitFor(() => {
      const all = [...dashboard!.shadowRoot!.querySelectorAll('sb-dashboard-html')];
      return all.length === PAYLOADS.length && all.every((b) => (b as unknown as { _fragment?: unknown })._fragment) && all;
    }, 'every box rendered');
    for (const [i, el] of boxes.entries()) {
      const root = el.shadowRoot!;
      const what = `payload ${i + 1}: ${PAYLOADS[i]}`;
      expect(
        root.querySelector('script, iframe, object, embed, style, link, meta, base, form, input, button, template, noscript'),
        what,
      ).to.equal(null);
      for (const node of root.querySelectorAll('*')) {
        for (const attr of node.attributes) {
          expect(attr.name.startsWith('on'), `${what}: ${attr.name}`).to.equal(false);
          expect(
            /^\s*(javascript|data):/i.test(attr.value) && /href|src|action|data/.test(attr.name),
            `${what}: ${attr.name}=${attr.value}`,
          ).to.equal(false);
        }
      }
    }
    // Give whatever might have slipped through a chance to run (event handlers, image errors, toggles).
    for (const node of dashboard.shadowRoot!.querySelectorAll('sb-dashboard-html'))
      node.shadowRoot!.querySelectorAll('*').forEach((n) => n.dispatchEvent(new MouseEvent('mouseover')));
    await frame();
    await new Promise((r) => setTimeout(r, 200));
    expect((window as { __xss?: number }).__xss).to.equal(undefined);
  });

  it('keeps html box content inside its box: a fixed-position cover is clipped to it', async () => {
    ({ host, dashboard } = await setup(
      dashboardApp('cover', [
        { contents: [{ type: 'html', text: '<div id="c" style="position:fixed;inset:0;background:red">cover</div>' }] },
      ]),
    ));
    const el = await waitFor(
      () => box(dashboard!, 'html').querySelector('sb-dashboard-html')!.shadowRoot!.querySelector('div'),
      'the cover',
    );
    const inner = box(dashboard, 'html').querySelector('sb-dashboard-html')!.getBoundingClientRect();
    const rect = el.getBoundingClientRect();
    expect(rect.width).to.be.at.most(inner.width + 1);
    expect(rect.top).to.be.at.least(inner.top - 1);
  });

  it('draws scalars per metric and variant against iteration, with a legend of the latest values (or none with hide_legend)', async () => {
    const lines = [
      {
        contents: [
          { type: 'scalar', title: 'Loss', metric: 'loss' },
          { type: 'scalar', title: 'Acc', metric: 'acc', variant: ['val'], key: 'iso_time', hide_legend: true },
        ],
      },
    ];
    ({ host, dashboard } = await setup(dashboardApp('scalars', lines)));
    for (let i = 1; i <= 3; i++) {
      await report(host, 'scalars', 'scalar', { metric: 'loss', variant: 'train', iteration: i, value: 1 / i });
      await report(host, 'scalars', 'scalar', { metric: 'loss', variant: 'eval', iteration: i, value: 2 / i });
      await report(host, 'scalars', 'scalar', { metric: 'acc', variant: 'val', iteration: i, value: i / 10 });
      await report(host, 'scalars', 'scalar', { metric: 'acc', variant: 'test', iteration: i, value: i / 5 });
    }
    const charts = () =>
      [...dashboard!.shadowRoot!.querySelectorAll('sb-dashboard-chart')] as (HTMLElement & {
        data: { x: number[]; series: { label: string; y: number[] }[] };
      })[];
    await waitFor(
      () => charts().length === 2 && charts()[0].data.x.length === 3 && charts()[1].data.series[0]?.y.includes(0.3),
      'both charts with every point',
    );
    const [loss, acc] = charts();
    expect(loss.data.x).to.deep.equal([1, 2, 3]);
    expect(loss.data.series.map((s) => s.label)).to.deep.equal(['train', 'eval']);
    await waitFor(() => loss.shadowRoot!.querySelector('ul li'), 'the legend');
    expect([...loss.shadowRoot!.querySelectorAll('ul li')].map((li) => li.textContent)).to.deep.equal(['train: 0.3333', 'eval: 0.6667']);
    expect(loss.shadowRoot!.querySelector('[role="img"]')!.getAttribute('aria-label')).to.equal('Loss: 3 points');
    expect(acc.data.series.map((s) => s.label)).to.deep.equal(['val'], 'only the listed variant');
    expect(acc.shadowRoot!.querySelector('ul')).to.equal(null, 'hide_legend');
    expect(acc.hasAttribute('time')).to.equal(true, 'iso_time draws a time axis');
  });

  it('says when a series dropped its oldest points', async () => {
    host = createHost({ project: 'p1', user: { id: 'u1' }, store: new MemoryStore(), reportLimits: { scalar: 4 } });
    await host.registry.publish(dashboardApp('bounded', [{ contents: [{ type: 'scalar', metric: 'm' }] }]), { baseUrl });
    await host.registry.install('bounded');
    for (let i = 1; i <= 10; i++) await report(host, 'bounded', 'scalar', { metric: 'm', variant: 'v', iteration: i, value: i });
    dashboard = await mount(host, 'bounded');
    const note = await waitFor(() => box(dashboard!, 'scalar').querySelector('.note'), 'the note');
    expect(note.textContent).to.equal('Older points were dropped (6 in all): each series keeps its newest 4.');
  });

  it('shows the latest value of each variant as a histogram', async () => {
    ({ host, dashboard } = await setup(dashboardApp('hist', [{ contents: [{ type: 'scalar-histogram', metric: 'count' }] }])));
    await report(host, 'hist', 'scalar', { metric: 'count', variant: 'cats', iteration: 1, value: 4 });
    await report(host, 'hist', 'scalar', { metric: 'count', variant: 'dogs', iteration: 1, value: 2 });
    await report(host, 'hist', 'scalar', { metric: 'count', variant: 'cats', iteration: 2, value: 8 });
    const bars = await waitFor(() => {
      const items = [...box(dashboard!, 'scalar-histogram').querySelectorAll('.bars li')];
      return items.length === 2 && items[0].textContent.includes('8') && items;
    }, 'two bars');
    expect(
      bars.map((li) => [
        li.querySelector('.bar-label')!.textContent,
        li.querySelector('.bar-value')!.textContent,
        (li.querySelector('.bar') as HTMLElement).style.width,
      ]),
    ).to.deep.equal([
      ['cats', '8', '100%'],
      ['dogs', '2', '25%'],
    ]);
  });

  it('draws the latest reported plot, and says so when a figure cannot be drawn', async () => {
    ({ host, dashboard } = await setup(
      dashboardApp('plots', [{ contents: [{ type: 'plot', title: 'A random plot', metric: 'Plots', variant: 'plot' }] }]),
    ));
    await report(host, 'plots', 'plot', {
      metric: 'Plots',
      variant: 'plot',
      figure: { data: [{ x: [1, 2, 3], y: [3, 1, 2], name: 'random', type: 'bar' }], layout: { title: 'Random' } },
    });
    const chart = await waitFor(
      () =>
        box(dashboard!, 'plot').querySelector('sb-dashboard-chart') as
          (HTMLElement & { data: { x: number[] }; bars: boolean; label: string }) | null,
      'the plot',
    );
    expect(chart.data.x).to.deep.equal([1, 2, 3]);
    expect(chart.bars).to.equal(true);
    expect(chart.label).to.equal('Random');
    await report(host, 'plots', 'plot', { metric: 'Plots', variant: 'plot', figure: { data: [{ type: 'pie', values: [1, 2] }] } });
    await waitFor(() => box(dashboard!, 'plot').querySelector('.note')?.textContent?.startsWith('This plot cannot be drawn'), 'the note');
  });

  it('shows the latest debug image of each variant with its caption', async () => {
    ({ host, dashboard } = await setup(dashboardApp('images', [{ contents: [{ type: 'debug-images', metric: 'samples' }] }])));
    const pixel = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';
    await report(host, 'images', 'image', { metric: 'samples', variant: 'a', iteration: 1, url: pixel });
    await report(host, 'images', 'image', { metric: 'samples', variant: 'a', iteration: 2, url: pixel });
    const img = await waitFor(() => box(dashboard!, 'debug-images').querySelector('img'), 'the image');
    expect(img.alt).to.equal('samples · a · iteration 2');
    expect(box(dashboard, 'debug-images').querySelectorAll('img').length).to.equal(1);
  });

  it('streams the log and keeps 100,000 lines with only the visible rows in the page', async () => {
    ({ host, dashboard } = await setup(dashboardApp('logs', [{ contents: [{ type: 'log', title: 'Logs' }] }])));
    const batch = Array.from({ length: 100_000 }, (_, i) => report(host!, 'logs', 'log', { text: `line ${i + 1}` }));
    await Promise.all(batch);
    const log = box(dashboard, 'log').querySelector('sb-dashboard-log')!;
    await waitFor(
      () => log.shadowRoot!.querySelector('[role="log"]')?.getAttribute('aria-label') === 'Logs, 100000 lines',
      'every line counted',
    );
    await frame();
    const rows = () => [...log.shadowRoot!.querySelectorAll('.row')].map((r) => r.textContent);
    expect(rows().length).to.be.below(100);
    expect(rows().at(-1)).to.equal('line 100000', 'follows the end');
    const viewport = log.shadowRoot!.querySelector<HTMLElement>('.viewport')!;
    viewport.scrollTop = 50_000 * 20;
    viewport.dispatchEvent(new Event('scroll'));
    await waitFor(() => rows().includes('line 50001'), 'the middle in view');
    await report(host, 'logs', 'log', { text: 'one more' });
    await frame();
    expect(rows()).to.include('line 50001', 'stays put once scrolled up');
  });

  it('shows the saved settings as hyperparameter and configuration tables', async () => {
    const app = dashboardApp('tables', [{ contents: [{ type: 'hyperparameter' }, { type: 'configuration' }] }], {
      wizard: {
        entries: [
          { name: 'n', type: 'integer', target: { field: 'hyperparams', section: 'General', name: 'n' } },
          { name: 'blob', type: 'multiline_text' },
        ],
      },
    });
    ({ host, dashboard } = await setup(app));
    await host.registry.saveSettings('tables', { n: 3, blob: 'a\nb' });
    await waitFor(() => box(dashboard!, 'hyperparameter').querySelector('td'), 'rows');
    const cells = (type: string) =>
      [...box(dashboard!, type).querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent));
    expect(cells('hyperparameter')).to.deep.equal([['General', 'n', '3']]);
    expect(cells('configuration')).to.deep.equal([['blob', 'a\nb']]);
  });

  it("lists the app's artifacts as they are stored and deleted, and downloads their bytes", async () => {
    host = createHost({ project: 'p1', user: { id: 'u1' }, store: new MemoryStore() });
    await host.registry.publish(
      { ...artifactManifest('arts'), dashboard: { lines: [{ contents: [{ type: 'artifacts', title: 'Masks' }] }] } },
      { baseUrl: fixtures },
    );
    await host.registry.install('arts');
    dashboard = await mount(host, 'arts');
    await waitFor(() => box(dashboard!, 'artifacts').textContent?.includes('No artifacts yet'), 'the empty list');
    // The platform names an item (and links it) in the table; the record says which item the mask was made for.
    dashboard.describeItem = (item) => (item === 'item-9' ? { label: 'Shapes #09', href: '#/items/item-9' } : undefined);
    const made = await host.execute('arts', 'masks.make_mask', { size: 4 }, { context: { item: { id: 'item-9' } } });
    const id = (made.outputs['mask'] as { artifact: string }).artifact;
    const row = await waitFor(
      () => box(dashboard!, 'artifacts').querySelector<HTMLTableRowElement>(`tr[data-artifact="${id}"]`),
      'the stored artifact',
    );
    expect([...row.querySelectorAll('td')].slice(0, 3).map((td) => td.textContent.trim())).to.deep.equal(['mask', 'Shapes #09', '18 B']);
    expect(row.querySelector('td a')!.getAttribute('href')).to.equal('#/items/item-9');
    expect(row.querySelector('td[title]')!.getAttribute('title')).to.equal(made.id);
    expect(await axeViolations(dashboard)).to.deep.equal([]);
    row.querySelector<HTMLButtonElement>('button[aria-label^="Download"]')!.click();
    const link = await waitFor(() => row.querySelector<HTMLAnchorElement>('a[download]'), 'the download link');
    expect(link.download).to.match(/^arts-mask-.*\.bin$/);
    const bytes = new Uint8Array(await (await fetch(link.href)).arrayBuffer());
    expect([...bytes]).to.deep.equal([...(await host.artifacts.read(id))]);
    await host.artifacts.delete(id);
    await waitFor(() => box(dashboard!, 'artifacts').textContent?.includes('No artifacts yet'), 'the list after deleting');
    const revoked = await fetch(link.href).then(
      () => false,
      () => true,
    );
    expect(revoked).to.equal(true, 'the object URL is revoked with its artifact');
  });

  it('views an artifact from its row: JSON as a table, bytes of another type as a note to download them', async () => {
    host = createHost({ project: 'p1', user: { id: 'u1' }, store: new MemoryStore() });
    await host.registry.publish(
      { ...artifactManifest('views'), dashboard: { lines: [{ contents: [{ type: 'artifacts', title: 'Made' }] }] } },
      { baseUrl: fixtures },
    );
    await host.registry.install('views');
    dashboard = await mount(host, 'views');
    const stats = ((await host.execute('views', 'masks.make_stats', { size: 5 })).outputs['stats'] as { artifact: string }).artifact;
    const mask = ((await host.execute('views', 'masks.make_mask', { size: 2 })).outputs['mask'] as { artifact: string }).artifact;
    const view = async (id: string) => {
      const row = await waitFor(() => box(dashboard!, 'artifacts').querySelector(`tr[data-artifact="${id}"]`), 'the row');
      row.querySelector<HTMLButtonElement>('button[aria-label^="View"]')!.click();
      return waitFor(() => dashboard!.shadowRoot!.querySelector<HTMLDialogElement>('dialog.artifact-view[open]'), 'the dialog');
    };
    const shown = await view(stats);
    expect([...shown.querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent))).to.deep.equal([
      ['size', '5'],
      ['cells', '25'],
    ]);
    expect(await axeViolations(dashboard)).to.deep.equal([]);
    shown.querySelector<HTMLButtonElement>('header button')!.click();
    await dashboard.updateComplete;
    const note = await view(mask);
    expect(note.querySelector('p')!.textContent).to.equal('mask is application/x-mask: download it to open it.');
  });

  it("draws a chart's axis labels in the theme's text colour: dark on light, light on dark, redrawn when the theme changes", async () => {
    ({ host, dashboard } = await setup(dashboardApp('ticks', [{ contents: [{ type: 'scalar', metric: 'loss' }] }])));
    for (let i = 1; i <= 20; i++)
      await report(host, 'ticks', 'scalar', { metric: 'loss', variant: 'train', iteration: i, value: 1000 * i });
    const canvas = await waitFor(
      () => box(dashboard!, 'scalar').querySelector('sb-dashboard-chart')?.shadowRoot?.querySelector('canvas'),
      'the chart',
    );
    /** The mean lightness (0 to 1) of the drawn pixels left of the plot: the y axis' labels. */
    const labels = () => {
      const context = canvas.getContext('2d')!;
      const { data } = context.getImageData(0, 0, Math.min(40, canvas.width), canvas.height);
      let sum = 0;
      let n = 0;
      for (let i = 0; i < data.length; i += 4)
        if (data[i + 3] > 200) {
          sum += (data[i] + data[i + 1] + data[i + 2]) / 3 / 255;
          n++;
        }
      expect(n, 'label pixels drawn').to.be.greaterThan(20);
      return sum / n;
    };
    await frame();
    expect(labels()).to.be.lessThan(0.4);
    host.theme = 'dark';
    await dashboard.updateComplete;
    await frame();
    expect(labels()).to.be.greaterThan(0.6);
  });

  it('has no axe violations, empty and filled', async () => {
    const lines = [
      {
        contents: [
          { type: 'html', title: 'Note', text: '<h2>Hello</h2>' },
          { type: 'scalar', title: 'Loss', metric: 'loss' },
        ],
      },
      {
        contents: [
          { type: 'scalar-histogram', title: 'Counts', metric: 'count' },
          { type: 'log', title: 'Logs' },
          { type: 'configuration', title: 'Configuration' },
        ],
      },
    ];
    ({ host, dashboard } = await setup(dashboardApp('axe', lines)));
    expect(await axeViolations(dashboard)).to.deep.equal([]);
    await report(host, 'axe', 'scalar', { metric: 'loss', variant: 'train', iteration: 1, value: 1 });
    await report(host, 'axe', 'scalar', { metric: 'count', variant: 'cats', iteration: 1, value: 1 });
    await report(host, 'axe', 'log', { text: 'line' });
    await waitFor(() => box(dashboard!, 'scalar').querySelector('sb-dashboard-chart')?.shadowRoot?.querySelector('canvas'), 'the chart');
    expect(await axeViolations(dashboard)).to.deep.equal([]);
  });

  it('keeps the page responsive while a guest reports 10,000 scalars a second for 5 seconds (no task over 100 ms)', async function () {
    this.timeout(60_000);
    const h = await createHarness({ apps: [], store: new IndexedDbStore(`slotbridge-flood-${Date.now()}`) });
    try {
      await h.host.registry.publish(
        { ...fixtureManifest('flood'), dashboard: { lines: [{ contents: [{ type: 'scalar', title: 'Loss', metric: 'loss' }] }] } },
        { baseUrl: fixtures },
      );
      await h.host.registry.install('flood');
      const d = await mount(h.host, 'flood');
      dashboard = d;
      await h.mountGuest('g', { app: 'flood' });
      const longTasks: number[] = [];
      const observer = new PerformanceObserver((list) => list.getEntries().forEach((e) => longTasks.push(Math.round(e.duration))));
      observer.observe({ type: 'longtask' });
      const result = await h.command('g', 'reportScalars', { perSecond: 10_000, seconds: 5 });
      observer.disconnect();
      expect(result.value).to.deep.equal({ sent: 50_000, refused: 0 });
      const chart = d.shadowRoot!.querySelector('sb-dashboard-chart') as HTMLElement & { data: { x: number[] } };
      await waitFor(() => chart.data.x.length === 50_000, 'every point charted');
      expect((await h.host.registry.reportSeries('flood'))[0].points.length).to.equal(50_000);
      expect(
        longTasks.filter((d) => d > 100),
        `long tasks: ${longTasks.join(', ')} ms`,
      ).to.deep.equal([]);
    } finally {
      h.destroy();
    }
  });
});
