/**
 * Sandbox escapes that only the platform's own options open: a host created
 * with `sandbox: ['allow-same-origin']` for apps on another origin. A page
 * URL that the browser would turn into `javascript:` must never reach an
 * iframe, and two apps sharing an origin must never both get the token.
 */
import { expect } from 'chai';
import { strToU8, zipSync } from 'fflate';
import { createHarness, crossOriginFixtures, fixtureManifest, type Harness } from '../browser/bridge/harness.js';
import { ErrorCode, type SlotbridgeError } from '../../src/index.js';
import { attacks, honestStillWorks } from './attack.js';

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

describe('security: the platform\'s allow-same-origin', () => {
  let h: Harness;
  const attack = attacks('sandbox escape', () => honestStillWorks(h));

  beforeEach(async () => {
    h = await createHarness({ sandbox: ['allow-same-origin'], baseUrl: crossOriginFixtures, timeouts: { handshake: 5000, call: 5000 } });
    await h.mountGuest('honest');
    // The module frame starts now, while app-a is alone on its origin; the health check reuses it.
    await h.host.execute('app-a', 'worker.double', { n: 1 });
  });

  afterEach(() => h.destroy());

  attack('publishes panel URLs the browser would read as javascript: or outside the app folder: every one refused, no frame gets it', async () => {
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
  });

  attack('serves a second app from the same origin: neither gets allow-same-origin, so neither can read the other\'s secret', async () => {
    await h.host.registry.publish(fixtureManifest('app-b'), { baseUrl: crossOriginFixtures });
    await h.host.registry.install('app-b');
    let refused = 0;
    for (const app of ['app-a', 'app-b']) {
      const slot = document.createElement('div');
      h.container.append(slot);
      expect(() => h.host.mount(app, 'remote', slot), app).to.throw(/own origin/).with.property('code', ErrorCode.UNSAFE_SANDBOX);
      refused++;
    }
    return { tried: 2, refused };
  });
});

describe('security: what a packaged app ships', () => {
  let h: Harness;
  const attack = attacks('sandbox escape', () => honestStillWorks(h));

  beforeEach(async () => {
    h = await createHarness({ timeouts: { handshake: 5000, call: 5000 } });
    await h.mountGuest('honest');
  });

  afterEach(() => h.destroy());

  attack('ships an SVG icon and an HTML page with scripts: neither is ever a document of the platform\'s origin', async () => {
    const script = `<script>try { parent.postMessage({ sbShipped: location.origin + ' ' + String(typeof parent.indexedDB.databases) }, '*') } catch (e) { parent.postMessage({ sbShipped: 'refused ' + e.name }, '*') }</script>`;
    const files = {
      'app.json': JSON.stringify({ name: 'shipper', version: '1.0.0', icon: '${ASSET:icon.svg}', components: { panels: [{ name: 'p', supportedSlots: [{ type: 'itemViewer' }] }] } }),
      'assets/icon.svg': `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1">${script.replace('<script>', '<script><![CDATA[').replace('</script>', ']]></script>')}<rect width="1" height="1"/></svg>`,
      'assets/page.html': `<!doctype html><p>x</p>${script}`,
    };
    const record = await h.host.registry.publishPackage(zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, strToU8(v)]))), { baseUrl: crossOriginFixtures });
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
