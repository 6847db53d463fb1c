// The bench's host page: runs each measurement in turn and leaves the
// samples in window.__benchResults for bench/run.mjs.
import { createHost, defineApi, method, MemoryStore } from '/bench/.build/index.js';
import { connect, WindowMessenger } from '/bench/.build/penpal.js';
import * as z from '/bench/.build/zod-mini.js';

const fixtures = new URL('/bench/fixtures/', location.href).href;
/** The same pages on another site: 127.0.0.1 frames of a localhost page run in another process. */
const otherSite = fixtures.replace('//localhost:', '//127.0.0.1:');
const PLACEMENTS = { sameSite: { base: fixtures, app: 'bench' }, otherSite: { base: otherSite, app: 'bench-remote' } };
const root = document.getElementById('frames');

function frame(url) {
  const iframe = document.createElement('iframe');
  iframe.setAttribute('sandbox', 'allow-scripts');
  iframe.src = url;
  root.append(iframe);
  return iframe;
}

function nextMessage(iframe, name) {
  return new Promise((resolve) => {
    const listener = (event) => {
      if (event.source !== iframe.contentWindow || event.data?.bench !== name) return;
      removeEventListener('message', listener);
      resolve(event.data);
    };
    addEventListener('message', listener);
  });
}

async function slotbridgeHost() {
  const api = defineApi({ bench: { noop: method({ input: z.tuple([]), permission: 'bench:call' }, () => undefined) } });
  const host = createHost({ project: 'bench', user: { id: 'bench' }, api, store: new MemoryStore() });
  for (const { base: baseUrl, app: name } of Object.values(PLACEMENTS)) {
    await host.registry.publish(
      {
        name,
        version: '1.0.0',
        permissions: ['bench:call'],
        components: {
          panels: [
            { name: 'measure', url: 'slotbridge-guest.html', supportedSlots: [{ type: 'itemViewer' }] },
            { name: 'minimal', url: new URL('/bench/.build/slotbridge-minimal.html', location.href).href, supportedSlots: [{ type: 'itemViewer' }] },
          ],
        },
      },
      { baseUrl },
    );
    await host.registry.install(name);
  }
  return host;
}

/** Opens the three contenders' frames in a placement and waits until each is ready to take batches. */
async function contenders(host, { base, app }) {
  const raw = frame(`${base}raw-guest.html`);
  await nextMessage(raw, 'raw:wants-port');
  const { port1, port2 } = new MessageChannel();
  port1.onmessage = () => port1.postMessage(null);
  const rawReady = nextMessage(raw, 'raw:ready');
  raw.contentWindow.postMessage('bench:port', '*', [port2]);
  await rawReady;

  const pen = frame(`${base}penpal-guest.html`);
  const penReady = nextMessage(pen, 'penpal:ready');
  const connection = connect({ messenger: new WindowMessenger({ remoteWindow: pen.contentWindow, allowedOrigins: ['*'] }), methods: { noop() {} } });
  await penReady;

  const slot = document.createElement('div');
  root.append(slot);
  const panel = host.mount(app, 'measure', slot);
  await nextMessage(panel.element, 'slotbridge:ready');

  return {
    frames: { raw, penpal: pen, slotbridge: panel.element },
    close() {
      port1.close();
      connection.destroy();
      panel.close();
      raw.remove();
      pen.remove();
    },
  };
}

async function batch(iframe, name, size) {
  const done = nextMessage(iframe, `${name}:batch`);
  iframe.contentWindow.postMessage({ bench: 'batch', size }, '*');
  return (await done).perCall;
}

/** Round trips, in interleaved batches; the first rounds warm up and are dropped. */
async function roundTrips(host, placement, { rounds = 300, warmup = 30, size = 100 } = {}) {
  const { frames, close } = await contenders(host, placement);
  const out = { raw: [], penpal: [], slotbridge: [] };
  const names = Object.keys(out);
  for (let r = 0; r < rounds; r++) {
    // Rotate who goes first, so that no contender always follows the same one.
    for (let i = 0; i < names.length; i++) {
      const name = names[(r + i) % names.length];
      const perCall = await batch(frames[name], name, size);
      if (r >= warmup) out[name].push(perCall);
    }
  }
  close();
  return out;
}

/**
 * Time from inserting a frame to its load event (bare) or to `ready`
 * (slotbridge), interleaved. "Same page" loads the minimal panel itself in a
 * plain sandboxed iframe, with no host: the same bytes and script, so the
 * difference is what slotbridge adds (mounting and the handshake). "Empty
 * page" is a page with no script at all, for scale.
 */
async function mounting(host, rounds = 80) {
  const load = async (url) => {
    const t0 = performance.now();
    const iframe = frame(url);
    await new Promise((resolve) => iframe.addEventListener('load', resolve, { once: true }));
    const time = performance.now() - t0;
    iframe.remove();
    return time;
  };
  const empty = [];
  const samePage = [];
  const mounted = [];
  const minimal = new URL('/bench/.build/slotbridge-minimal.html', location.href).href;
  const mount = async () => {
    const slot = document.createElement('div');
    root.append(slot);
    const t0 = performance.now();
    const panel = host.mount('bench', 'minimal', slot);
    await panel.ready;
    const time = performance.now() - t0;
    panel.close();
    slot.remove();
    return time;
  };
  for (let i = 0; i < rounds; i++) {
    empty.push(await load(`${fixtures}bare.html?${i}`));
    // Alternate which of the pair goes first, so that neither always follows the other.
    if (i % 2 === 0) {
      samePage.push(await load(`${minimal}?${i}`));
      mounted.push(await mount());
    } else {
      mounted.push(await mount());
      samePage.push(await load(`${minimal}?${i}`));
    }
  }
  return { empty, samePage, mounted };
}

const results = {};
try {
  const host = await slotbridgeHost();
  // Warm the caches of every page and script first, so no figure pays for the first fetch.
  await mounting(host, 3);
  for (const [name, placement] of Object.entries(PLACEMENTS)) results[name] = await roundTrips(host, placement);
  results.mount = await mounting(host);
  host.destroy();
} catch (err) {
  results.error = String(err?.stack ?? err);
}
window.__benchResults = results;
