/**
 * Injection: prototype-pollution keys in every argument position a guest
 * controls, and html and script in every string the host renders.
 */
import { expect } from 'chai';
import '../../slots/index.js';
import { createHarness, fixtureManifest, fixtures, type Harness } from '../browser/bridge/harness.js';
import { waitFor } from '../browser/wait-for.js';
import type { SbAppDashboard } from '../../slots/sb-app-dashboard/sb-app-dashboard.js';
import type { SbToolbar } from '../../slots/sb-toolbar/sb-toolbar.js';
import type { SbMarketplace } from '../../slots/sb-marketplace/sb-marketplace.js';
import type { SbInspector } from '../../slots/sb-inspector/sb-inspector.js';
import { attacks, honestStillWorks } from './attack.js';

const SCRIPT = '<img src=x onerror="window.__pwned = 1"><script>window.__pwned = 2</script>';
/** JSON.parse makes `__proto__` an own key, as structured clone does for what a guest sends. */
const polluted = (extra: Record<string, unknown> = {}) => ({
  ...JSON.parse('{"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}}'),
  ...extra,
});
const pollutedJson = (json: string) => JSON.parse(json) as Record<string, unknown>;

/** Every element under `root`, through open shadow roots. */
function deepElements(root: ParentNode): Element[] {
  const out: Element[] = [];
  for (const el of root.querySelectorAll('*')) {
    out.push(el);
    if (el.shadowRoot) out.push(...deepElements(el.shadowRoot));
  }
  return out;
}

/** No element under `root` came from the script: no img, no script, no handler attribute; and none of it ran. 1 once seen so. */
function expectInert(root: ParentNode): number {
  const elements = deepElements(root);
  expect(elements.filter((e) => e.localName === 'script' && e.textContent?.includes('__pwned'))).to.have.length(0);
  expect(elements.filter((e) => e.localName === 'img' && e.getAttribute('src') === 'x')).to.have.length(0);
  expect(elements.filter((e) => [...e.attributes].some((a) => a.name.startsWith('on')))).to.have.length(0);
  expect((window as unknown as { __pwned?: number }).__pwned).to.equal(undefined);
  return 1;
}

describe('security: injection', () => {
  let h: Harness;
  const attack = attacks('injection', () => honestStillWorks(h));
  const mounted: Element[] = [];

  function place<T extends HTMLElement>(tag: string, props: Record<string, unknown>): T {
    const el = document.createElement(tag) as T;
    Object.assign(el, { host: h.host, ...props });
    document.body.append(el);
    mounted.push(el);
    return el;
  }

  beforeEach(async () => {
    h = await createHarness({ timeouts: { handshake: 5000, call: 5000 } });
    await h.mountGuest('honest');
    await h.mountGuest('evil');
  });

  afterEach(() => {
    for (const el of mounted.splice(0)) el.remove();
    h.destroy();
  });

  attack('sends __proto__ and constructor keys in every argument position: no prototype changes, each value stays data', async () => {
    const objectKeys = Object.getOwnPropertyNames(Object.prototype).sort();
    const arrayKeys = Object.getOwnPropertyNames(Array.prototype).sort();
    const calls: [string, unknown[]][] = [
      ['storage.set', ['__proto__', polluted()]],
      ['storage.set', ['k', polluted()]],
      ['storage.set', ['constructor', [polluted()]]],
      ['settings.set', ['configuration.__proto__', 'x']],
      ['settings.set', ['hyperparams.__proto__.polluted', 'x']],
      ['settings.set', ['hyperparams.constructor.prototype', 'x']],
      ['settings.set', ['configuration.x', polluted()]],
      ['events.subscribe', ['__proto__']],
      ['events.emit', ['__proto__', polluted()]],
      ['events.emit', ['constructor', polluted()]],
      ['report.scalar', ['__proto__', 'constructor', 1, 1]],
      ['report.plot', ['__proto__', 'prototype', polluted({ data: [] })]],
      ['functions.execute', ['worker.double', pollutedJson('{"__proto__": {"n": 2}}')]],
      ['functions.execute', ['__proto__.constructor', polluted()]],
      ['ui.openPanel', ['__proto__', { context: polluted() }]],
      ['ui.notify', [pollutedJson('{"message": "hi", "__proto__": {"level": "error"}}')]],
      ['ui.resize', [pollutedJson('{"__proto__": {"height": 5}}')]],
      ['artifacts.list', [pollutedJson('{"__proto__": {"execution": "x"}}')]],
      ['items.get', ['__proto__']],
      ['probe.record', [polluted({ id: 'polluter' })]],
    ];
    for (const [method, args] of calls) await h.command('evil', 'call', { method, args });
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).to.deep.equal(objectKeys);
    expect(Object.getOwnPropertyNames(Array.prototype).sort()).to.deep.equal(arrayKeys);
    expect(({} as Record<string, unknown>)['polluted']).to.equal(undefined);
    expect((Object as unknown as Record<string, unknown>)['polluted']).to.equal(undefined);
    // Stored values keep the keys as data, with an ordinary prototype.
    const stored = (await h.host.registry.storage('app-a', 'p1').get('k')) as Record<string, unknown>;
    expect(Object.getPrototypeOf(stored)).to.equal(Object.prototype);
    expect(Object.keys(stored)).to.include('__proto__');
    const settings = h.host.registry.installation('app-a')!.settings as {
      configuration: Record<string, unknown>;
      hyperparams: Record<string, unknown>;
    };
    expect(Object.getPrototypeOf(settings.configuration)).to.equal(Object.prototype);
    expect(Object.keys(settings.configuration)).to.deep.equal(['x']);
    expect(Object.keys(settings.hyperparams)).to.deep.equal([]);
    // The honest guest's page (another realm) sees plain objects too.
    expect((await h.command('honest', 'context')).value.polluted).to.equal(undefined);
    const clean =
      Object.getOwnPropertyNames(Object.prototype).length === objectKeys.length &&
      ({} as Record<string, unknown>)['polluted'] === undefined;
    return { tried: calls.length, refused: clean ? calls.length : 0 };
  });

  attack('puts script in a setting a dashboard html box shows: shown as text', async () => {
    await h.host.registry.publish(
      {
        ...fixtureManifest('app-d'),
        dashboard: { lines: [{ contents: [{ type: 'html', title: 'Note', text: '<p class="note">${configuration.note}</p>' }] }] },
      },
      { baseUrl: fixtures },
    );
    await h.host.registry.install('app-d');
    await h.mountGuest('evil-d', { app: 'app-d' });
    await h.command('evil-d', 'call', { method: 'settings.set', args: ['configuration.note', SCRIPT] });
    const dashboard = place<SbAppDashboard>('sb-app-dashboard', { app: 'app-d' });
    const box = await waitFor(
      () => deepElements(dashboard.shadowRoot!).find((e) => e.localName === 'p' && e.classList.contains('note')),
      'the html box',
    );
    expect(box.textContent).to.equal(SCRIPT);
    return { refused: expectInert(dashboard.shadowRoot!) };
  });

  attack(
    'ships dashboard html that fetches, plays or navigates (remote images, SVG images, media, CSS urls, links): nothing is fetched, links open a new tab',
    async () => {
      const tracker = `${location.origin}/tracker-${Date.now()}`;
      const payloads = [
        `<img src="${tracker}/img.gif">`,
        `<img srcset="${tracker}/srcset.gif 1x">`,
        `<svg><image href="${tracker}/svg-image.png"/></svg>`,
        `<svg><image xlink:href="${tracker}/svg-xlink.png"/></svg>`,
        `<svg><use href="${tracker}/use.svg#x"/></svg>`,
        `<video autoplay src="${tracker}/video.webm"></video>`,
        `<video autoplay><source src="${tracker}/source.webm"></video>`,
        `<audio autoplay src="${tracker}/audio.ogg"></audio>`,
        `<div style="background: url(${tracker}/css-url.png)">css</div>`,
        `<div style="background-image: image-set('${tracker}/image-set.png' 1x)">set</div>`,
        `<table background="${tracker}/background.png"><tr><td>t</td></tr></table>`,
        `<img src="data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg'><image href='${tracker}/nested.png'/></svg>">`,
        `<a href="/logout">same tab</a>`,
        `<a href="https://example.com/">elsewhere</a>`,
      ];
      await h.host.registry.publish(
        {
          ...fixtureManifest('app-h'),
          dashboard: { lines: [{ contents: [{ type: 'html', title: 'Html', text: `<div class="payloads">${payloads.join('')}</div>` }] }] },
        },
        { baseUrl: fixtures },
      );
      await h.host.registry.install('app-h');
      const dashboard = place<SbAppDashboard>('sb-app-dashboard', { app: 'app-h' });
      const box = await waitFor(
        () => deepElements(dashboard.shadowRoot!).find((e) => e.localName === 'div' && e.classList.contains('payloads')),
        'the html box',
      );
      await new Promise((r) => setTimeout(r, 300));
      const fetched = performance.getEntriesByType('resource').filter((e) => e.name.startsWith(tracker));
      expect(fetched.map((e) => e.name)).to.deep.equal([]);
      expect(deepElements(box).filter((e) => ['video', 'audio', 'image', 'use', 'source'].includes(e.localName))).to.deep.equal([]);
      const links = [...box.querySelectorAll('a')];
      expect(links.filter((a) => a.hasAttribute('href')).map((a) => [a.getAttribute('href'), a.target, a.rel])).to.deep.equal([
        ['https://example.com/', '_blank', 'noopener noreferrer'],
      ]);
      return { tried: payloads.length, refused: payloads.length - fetched.length };
    },
  );

  attack(
    'ships dashboard html whose CSS fetches behind escapes, comments, entities and SVG presentation attributes, and reports remote images: nothing is fetched',
    async () => {
      const tracker = `${location.origin}/tracker-esc-${Date.now()}`;
      const payloads = [
        `<div style="background: u\\72l(${tracker}/hex-escape.png)">a</div>`,
        `<div style="background: \\75 rl(${tracker}/hex-space.png)">b</div>`,
        `<div style="background: \\000075rl(${tracker}/hex-six.png)">c</div>`,
        `<div style="cursor: u\\rl(${tracker}/char-escape.png), auto">d</div>`,
        `<div style="background-image: image-s\\65t('${tracker}/image-set.png' 1x)">e</div>`,
        `<div style="background-image: -webkit-image-set('${tracker}/webkit-set.png' 1x)">f</div>`,
        `<div style="b\\61ckground: url(${tracker}/escaped-name.png)">g</div>`,
        `<div style="background: url&#40;${tracker}/entity.png)">h</div>`,
        `<div style="--x: url(${tracker}/custom-property.png); background: var(--x)">i</div>`,
        `<div style="list-style-image: URL(${tracker}/upper.png); display: list-item">j</div>`,
        `<div style="border-image: u\\72l(${tracker}/border.png) 30 round; border: 10px solid">k</div>`,
        `<svg width="20" height="20"><rect width="20" height="20" fill="url(${tracker}/fill.svg#p)"/></svg>`,
        `<svg width="20" height="20"><rect width="20" height="20" mask="url(${tracker}/mask.svg#m)"/></svg>`,
        `<svg width="20" height="20"><rect width="20" height="20" clip-path="url(${tracker}/clip.svg#c)"/></svg>`,
        `<svg width="20" height="20"><path d="M0 0L20 20" stroke="black" marker-end="url(${tracker}/marker.svg#m)"/></svg>`,
        `<svg width="20" height="20"><rect width="20" height="20" filter="url(${tracker}/filter.svg#f)"/></svg>`,
        `<svg width="20" height="20"><rect width="20" height="20" fill="u\\72l(${tracker}/fill-escape.svg#p)"/></svg>`,
        `<svg width="20" height="20"><rect width="20" height="20" style="fill: u\\72l(${tracker}/style-fill.svg#p)"/></svg>`,
        `<svg width="20" height="20"><rect width="20" height="20" stroke="url(${tracker}/stroke.svg#p)" cursor="url(${tracker}/cursor.png), auto"/></svg>`,
      ];
      await h.host.registry.publish(
        {
          ...fixtureManifest('app-css'),
          dashboard: {
            lines: [
              {
                contents: [
                  { type: 'html', title: 'Html', text: `<div class="payloads">${payloads.join('')}</div>` },
                  { type: 'debug-images', metric: 'remote' },
                ],
              },
            ],
          },
        },
        { baseUrl: fixtures },
      );
      await h.host.registry.install('app-css');
      const remote = [`${tracker}/report-image.png`, `//${location.host}/tracker-esc-report.png`, ` ${tracker}/report-space.png`];
      for (const [i, url] of remote.entries())
        await h.host.registry.addReport({
          app: 'app-css',
          project: 'p1',
          panel: 'x',
          kind: 'image',
          time: Date.now(),
          metric: 'remote',
          variant: `v${i}`,
          iteration: 1,
          url,
        });
      const dashboard = place<SbAppDashboard>('sb-app-dashboard', { app: 'app-css' });
      const box = await waitFor(
        () => deepElements(dashboard.shadowRoot!).find((e) => e.localName === 'div' && e.classList.contains('payloads')),
        'the html box',
      );
      await waitFor(() => dashboard.shadowRoot!.querySelectorAll('.images li').length === remote.length || undefined, 'the image reports');
      // Painted, hovered and laid out: whatever would fetch has had its chance.
      await new Promise((r) => setTimeout(r, 500));
      const fetched = performance.getEntriesByType('resource').filter((e) => e.name.includes('tracker-esc'));
      expect(fetched.map((e) => e.name)).to.deep.equal([]);
      expect(box.textContent).to.equal('abcdefghijk', 'the boxes themselves stay');
      expect(dashboard.shadowRoot!.querySelectorAll('.images img').length).to.equal(0);
      return { tried: payloads.length + remote.length, refused: payloads.length + remote.length - fetched.length };
    },
  );

  attack('puts script in a log report the dashboard shows: shown as text', async () => {
    await h.host.registry.publish(
      { ...fixtureManifest('app-l'), dashboard: { lines: [{ contents: [{ type: 'log', title: 'Log' }] }] } },
      { baseUrl: fixtures },
    );
    await h.host.registry.install('app-l');
    await h.mountGuest('evil-l', { app: 'app-l' });
    await h.command('evil-l', 'call', { method: 'report.log', args: [SCRIPT] });
    const dashboard = place<SbAppDashboard>('sb-app-dashboard', { app: 'app-l' });
    await waitFor(() => deepElements(dashboard.shadowRoot!).some((e) => e.shadowRoot?.textContent?.includes('onerror')), 'the log line');
    return { refused: expectInert(dashboard.shadowRoot!) };
  });

  attack("puts script in an app's name, description and toolbar label: shown as text", async () => {
    const manifest = fixtureManifest('app-x');
    const hostile = {
      ...manifest,
      displayName: SCRIPT,
      description: SCRIPT,
      components: {
        ...manifest.components,
        toolbars: [{ displayName: SCRIPT, tooltip: SCRIPT, location: 'itemMenu', invoke: { type: 'event', namespace: 'x' } }],
      },
    };
    await h.host.registry.publish(hostile, { baseUrl: fixtures });
    await h.host.registry.install('app-x');
    const market = place<SbMarketplace>('sb-marketplace', {});
    const toolbar = place<SbToolbar>('sb-toolbar', {});
    toolbar.setAttribute('location', 'itemMenu');
    await waitFor(() => market.shadowRoot?.textContent?.includes('onerror'), 'the marketplace card');
    await waitFor(() => toolbar.shadowRoot?.textContent?.includes('onerror'), 'the toolbar button');
    // The name and description in the marketplace, the label in the toolbar.
    return { tried: 3, refused: 2 * expectInert(market.shadowRoot!) + expectInert(toolbar.shadowRoot!) };
  });

  attack('calls a method named with script, which the inspector lists: shown as text', async () => {
    const inspector = place<SbInspector>('sb-inspector', {});
    await h.command('evil', 'rawCall', { ns: SCRIPT, m: SCRIPT });
    await waitFor(() => inspector.shadowRoot?.textContent?.includes('onerror'), 'the refused call in the inspector');
    return { refused: expectInert(inspector.shadowRoot!) };
  });

  attack('sends a notification with script in it: the host passes it on as text, unchanged', async () => {
    const seen: string[] = [];
    h.host.on('notify', (n) => seen.push(n.message));
    await h.command('evil', 'call', { method: 'ui.notify', args: [{ message: SCRIPT, level: 'error' }] });
    expect(seen).to.deep.equal([SCRIPT]);
    return { refused: expectInert(document.body) };
  });
});
