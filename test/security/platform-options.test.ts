/**
 * Sandbox escapes that only the platform's own options open: a host created
 * with `sandbox: ['allow-same-origin']` for apps on another origin. A page
 * URL that the browser would turn into `javascript:` must never reach an
 * iframe, and two apps sharing an origin must never both get the token.
 */
import { expect } from 'chai';
import { strToU8, zipSync } from 'fflate';
import { createHarness, crossOriginFixtures, fixtureManifest, fixtures, type Harness } from '../browser/bridge/harness.js';
import { ErrorCode, type SlotbridgeError } from '../../src/index.js';
import { attacks, honestStillWorks } from './attack.js';
import { waitFor } from '../browser/wait-for.js';
import '../../slots/index.js';

/** Page URLs that read as relative paths or as http(s), but that the URL parser makes into another scheme or a path outside the app. */
const DISGUISED = [
  '\u0001javascript:parent.document.title="owned"',
  ' javascript:parent.document.title="owned"',
  '\tjavascript:parent.document.title="owned"',
  'java\nscript:parent.document.title="owned"',
  'java\tscript:parent.document.title="owned"',
  'javascript:parent.document.title="owned"\u0000',
  'JAVASCRIPT:parent.document.title="owned"',
  'data:text/html,<script>parent.document.title="owned"</script>',
  'blob:http://localhost:8000/0d4a',
  '%2e%2e/%2e%2e/index.html',
  '.%2E/.%2e/index.html',
  'panels\\..\\..\\index.html',
  '/\\evil.example/page.html',
  '..%2f..%2findex.html',
];

describe("security: the platform's allow-same-origin", () => {
  let h: Harness;
  const attack = attacks('sandbox escape', () => honestStillWorks(h));

  beforeEach(async () => {
    h = await createHarness({ sandbox: ['allow-same-origin'], baseUrl: crossOriginFixtures, timeouts: { handshake: 5000, call: 5000 } });
    await h.mountGuest('honest');
    // The module frame starts now, while app-a is alone on its origin; the health check reuses it.
    await h.host.execute('app-a', 'worker.double', { n: 1 });
  });

  afterEach(() => h.destroy());

  attack(
    'publishes panel URLs the browser would read as javascript: or outside the app folder: every one refused, no frame gets it',
    async () => {
      const title = document.title;
      let refused = 0;
      for (const [i, url] of DISGUISED.entries()) {
        const manifest = fixtureManifest(`disguised-${i}`);
        manifest.components.panels = [{ name: 'remote', url, supportedSlots: [{ type: 'itemViewer' }] }];
        const error = await h.host.registry.publish(manifest, { baseUrl: crossOriginFixtures }).then(
          () => undefined,
          (err: SlotbridgeError) => err,
        );
        expect(error?.code, JSON.stringify(url)).to.equal(ErrorCode.MANIFEST_INVALID);
        expect(error?.message).to.match(/url/i);
        refused++;
      }
      expect(document.title).to.equal(title);
      expect([...document.querySelectorAll('iframe')].filter((f) => !/^https?:/.test(f.src))).to.deep.equal([]);
      return { tried: DISGUISED.length, refused };
    },
  );

  attack(
    "a later app claims the first app's origin (as its base, in a panel it never opens, in a module): the later app is refused, the first keeps its frames",
    async () => {
      const claims = [
        { name: 'claims-base', baseUrl: crossOriginFixtures, panelUrl: 'remote-guest.html' },
        {
          name: 'claims-unused-panel',
          baseUrl: fixtures,
          panelUrl: 'remote-guest.html',
          unused: `${crossOriginFixtures}remote-guest.html`,
        },
        { name: 'claims-module', baseUrl: fixtures, panelUrl: 'remote-guest.html', module: `${crossOriginFixtures}module-guest.html` },
      ];
      let refused = 0;
      for (const claim of claims) {
        const manifest = fixtureManifest(claim.name);
        manifest.components.panels = [
          { name: 'remote', url: claim.panelUrl, supportedSlots: [{ type: 'itemViewer' }] },
          ...(claim.unused ? [{ name: 'unused', url: claim.unused, supportedSlots: [{ type: 'itemViewer' }] }] : []),
        ] as typeof manifest.components.panels;
        if (claim.module) manifest.components.modules[0].url = claim.module;
        await h.host.registry.publish(manifest, { baseUrl: claim.baseUrl });
        await h.host.registry.install(claim.name);
        if (claim.baseUrl === crossOriginFixtures) {
          // Served from the owner's origin itself: it could read the owner's frames, so it gets no frame there.
          expect(() => h.host.mount(claim.name, 'remote', h.container.appendChild(document.createElement('div'))))
            .to.throw(/own origin/)
            .with.property('code', ErrorCode.UNSAFE_SANDBOX);
          refused++;
        }
        // Its own pages elsewhere are no threat to the owner; what it claimed takes nothing from the owner.
        const owner = h.host.mount('app-a', 'remote', h.container.appendChild(document.createElement('div')));
        await owner.ready;
        expect(owner.element.getAttribute('sandbox'), claim.name).to.contain('allow-same-origin');
        owner.close();
        if (claim.baseUrl !== crossOriginFixtures) refused++;
      }
      return { tried: claims.length, refused };
    },
  );
});

describe('security: what a packaged app ships', () => {
  let h: Harness;
  const attack = attacks('sandbox escape', () => honestStillWorks(h));

  beforeEach(async () => {
    h = await createHarness({ timeouts: { handshake: 5000, call: 5000 } });
    await h.mountGuest('honest');
  });

  afterEach(() => h.destroy());

  attack(
    "stores artifacts whose declared types a browser runs (HTML, SVG, XHTML, XML, with parameters and in capitals): the dashboard's download is never a document of the platform's origin",
    async () => {
      const types = [
        'text/html',
        'image/svg+xml',
        'application/xhtml+xml',
        'text/xml',
        'application/xml',
        'TEXT/HTML; charset=utf-8',
        'text/html;x=image/png',
        'multipart/x-mixed-replace',
        'application/pdf',
      ];
      const script = `<script>parent.postMessage({ sbArtifact: location.origin }, '*')</script>`;
      const page = (type: string) =>
        /svg/.test(type)
          ? `<svg xmlns="http://www.w3.org/2000/svg"><script>parent.postMessage({ sbArtifact: location.origin }, '*')</script></svg>`
          : /xml/.test(type)
            ? `<html xmlns="http://www.w3.org/1999/xhtml"><body>${script}</body></html>`
            : `<!doctype html>${script}`;
      await h.host.registry.publish(
        { ...fixtureManifest('artist'), dashboard: { lines: [{ contents: [{ type: 'artifacts', title: 'Files' }] }] } },
        { baseUrl: crossOriginFixtures },
      );
      await h.host.registry.install('artist');
      const records = await h.host.artifacts.add(
        types.map((mediaType) => ({
          type: 'page',
          app: 'artist',
          project: 'p1',
          execution: 'exec-attack',
          mediaType,
          encoding: 'bytes' as const,
          data: new TextEncoder().encode(page(mediaType)),
        })),
      );
      const dashboard = document.createElement('sb-app-dashboard');
      dashboard.host = h.host;
      dashboard.app = 'artist';
      document.body.append(dashboard);
      const ran: string[] = [];
      const listener = (event: MessageEvent) => typeof event.data?.sbArtifact === 'string' && ran.push(event.data.sbArtifact);
      addEventListener('message', listener);
      let refused = 0;
      try {
        for (const record of records) {
          const row = await waitFor(
            () => dashboard.shadowRoot?.querySelector<HTMLTableRowElement>(`tr[data-artifact="${record.id}"]`),
            'the artifact row',
          );
          // Viewed: what is shown is text at most, never a document or an element of its own.
          row.querySelector<HTMLButtonElement>('button[aria-label^="View"]')!.click();
          const view = await waitFor(() => dashboard.shadowRoot!.querySelector('dialog.artifact-view[open] .content'), 'the view');
          expect(view.querySelectorAll('script, iframe, svg, object, embed, img').length, record.mediaType).to.equal(0);
          dashboard.shadowRoot!.querySelector<HTMLButtonElement>('dialog.artifact-view header button')!.click();
          // The link is followed once (a download); then it is loaded as a page would open it: unsandboxed, in this page's origin.
          row.querySelector<HTMLButtonElement>('button[aria-label^="Download"]')!.click();
          const link = await waitFor(() => row.querySelector<HTMLAnchorElement>('a[download]'), 'the download link');
          const blob = await (await fetch(link.href)).blob();
          expect(blob.type, record.mediaType).to.equal('application/octet-stream');
          const frame = document.createElement('iframe');
          frame.src = link.href;
          document.body.append(frame);
          await new Promise((r) => setTimeout(r, 200));
          frame.remove();
          refused++;
        }
        await new Promise((r) => setTimeout(r, 200));
      } finally {
        removeEventListener('message', listener);
        dashboard.remove();
      }
      expect(ran, 'no artifact ran as a document').to.deep.equal([]);
      return { tried: types.length, refused };
    },
  );

  attack("ships an SVG icon and an HTML page with scripts: neither is ever a document of the platform's origin", async () => {
    const script = `<script>try { parent.postMessage({ sbShipped: location.origin + ' ' + String(typeof parent.indexedDB.databases) }, '*') } catch (e) { parent.postMessage({ sbShipped: 'refused ' + e.name }, '*') }</script>`;
    const files = {
      'app.json': JSON.stringify({
        name: 'shipper',
        version: '1.0.0',
        icon: '${ASSET:icon.svg}',
        components: { panels: [{ name: 'p', supportedSlots: [{ type: 'itemViewer' }] }] },
      }),
      'assets/icon.svg': `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1">${script.replace('<script>', '<script><![CDATA[').replace('</script>', ']]></script>')}<rect width="1" height="1"/></svg>`,
      'assets/page.html': `<!doctype html><p>x</p>${script}`,
    };
    const record = await h.host.registry.publishPackage(
      zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, strToU8(v)]))),
      { baseUrl: crossOriginFixtures },
    );
    const seen: string[] = [];
    const listener = (event: MessageEvent) => {
      if (typeof event.data?.sbShipped === 'string') seen.push(`${event.origin} ${event.data.sbShipped}`);
    };
    addEventListener('message', listener);
    let refused = 0;
    try {
      for (const file of ['icon.svg', 'page.html']) {
        const url = h.host.registry.assetUrl(record, file)!;
        expect(new URL(url).origin, file).to.equal('null');
        // Loaded as a document, unsandboxed, where a blob URL of this page would run as the platform.
        const frame = document.createElement('iframe');
        frame.src = url;
        document.body.append(frame);
        await new Promise((r) => setTimeout(r, 300));
        frame.remove();
        refused++;
      }
    } finally {
      removeEventListener('message', listener);
    }
    expect(seen.filter((s) => s.includes(location.origin))).to.deep.equal([]);
    return { tried: 2, refused };
  });
});
