// The bench's host page: runs each measurement in turn and leaves the
// samples in window.__benchResults for bench/run.mjs.
import { createHost, dataloopBridge, defineApi, method, MemoryStore } from '/bench/.build/index.js';
import { CallOptions, connect, WindowMessenger } from '/bench/.build/penpal.js';
import * as z from '/bench/.build/zod-mini.js';

const fixtures = new URL('/bench/fixtures/', location.href).href;
/** The same pages on another site: 127.0.0.1 frames of a localhost page run in another process. */
const otherSite = fixtures.replace('//localhost:', '//127.0.0.1:');
const PLACEMENTS = { sameSite: { base: fixtures, app: 'bench' }, otherSite: { base: otherSite, app: 'bench-remote' } };
const CONTENDERS = ['raw', 'window', 'penpal', 'postRobot', 'slotbridge'];
const TRANSFER_BYTES = 16 * 1024 * 1024;
const TRANSFER_BATCH = 8;
const JSON_BYTES = 1024 * 1024;
const root = document.getElementById('frames');
/** Round trips in one page load, scaling (mounting, fan-out, memory) in another: the peers' global listeners stay out of the second. */
const part = new URLSearchParams(location.search).get('part') ?? 'calls';
if (part === 'calls') {
  // post-robot's browser build sets window.postRobot.
  const script = Object.assign(document.createElement('script'), { src: '/node_modules/post-robot/dist/post-robot.min.js' });
  document.head.append(script);
  await new Promise((resolve, reject) => script.addEventListener('load', resolve) || script.addEventListener('error', reject));
}
const { postRobot } = window;

function frame(url) {
  const iframe = document.createElement('iframe');
  iframe.setAttribute('sandbox', 'allow-scripts');
  iframe.src = url;
  root.append(iframe);
  return iframe;
}

/** The next `count` messages named `name` from the frame, in order. */
function nextMessages(iframe, name, count, timeout = 60_000) {
  const got = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      removeEventListener('message', listener);
      reject(new Error(`${got.length} of ${count} ${name} within ${timeout} ms`));
    }, timeout);
    const listener = (event) => {
      if (event.source !== iframe.contentWindow || event.data?.bench !== name) return;
      if (got.push(event.data) < count) return;
      removeEventListener('message', listener);
      clearTimeout(timer);
      resolve(got);
    };
    addEventListener('message', listener);
  });
}

const nextMessage = async (iframe, name, timeout) => (await nextMessages(iframe, name, 1, timeout))[0];

if (part === 'calls') {
  // The raw window.postMessage contender: this page echoes what its frame sends.
  addEventListener('message', (event) => {
    if (event.data && 'rawEcho' in event.data) event.source.postMessage({ rawEcho: null }, '*');
  });
  // The post-robot contender's handlers.
  postRobot.on('noop', { domain: '*' }, () => undefined);
  postRobot.on('take', { domain: '*' }, () => undefined);
}

async function slotbridgeHost() {
  const api = defineApi({
    bench: {
      noop: method({ input: z.tuple([]), permission: 'bench:call' }, () => undefined),
      take: method({ input: z.tuple([z.unknown()]), permission: 'bench:call' }, () => undefined),
    },
  });
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
            { name: 'fanout', url: 'fanout-guest.html', supportedSlots: [{ type: 'itemViewer' }] },
            { name: 'minimal', url: new URL('/bench/.build/slotbridge-minimal.html', location.href).href, supportedSlots: [{ type: 'itemViewer' }] },
          ],
          // A JavaScript module whose function does nothing: host.execute's own cost, beside a no-op call's.
          modules: [{ name: 'js', url: 'js-module.html', functions: [{ name: 'noop' }] }],
        },
      },
      { baseUrl },
    );
    await host.registry.install(name);
  }
  return host;
}

/** Opens every contender's frame in a placement and waits until each is ready to take commands. */
async function contenders(host, { base, app }) {
  const raw = frame(`${base}raw-guest.html`);
  await nextMessage(raw, 'raw:wants-port');
  const { port1, port2 } = new MessageChannel();
  // The host reads what it is sent, as every host does (reading it is what deserializes it).
  port1.addEventListener('message', (event) => (event.data, port1.postMessage(null)));
  port1.start();
  const rawReady = nextMessage(raw, 'raw:ready');
  raw.contentWindow.postMessage('bench:port', '*', [port2]);
  await rawReady;

  const win = frame(`${base}window-guest.html`);
  await nextMessage(win, 'window:ready');

  const pen = frame(`${base}penpal-guest.html`);
  const penReady = nextMessage(pen, 'penpal:ready');
  const connection = connect({ messenger: new WindowMessenger({ remoteWindow: pen.contentWindow, allowedOrigins: ['*'] }), methods: { noop() {}, take() {} } });
  const penpal = await connection.promise;
  await penReady;

  const robot = frame(`${base}post-robot-guest.html`);
  await nextMessage(robot, 'postRobot:ready');

  const slot = document.createElement('div');
  root.append(slot);
  const panel = host.mount(app, 'measure', slot);
  await nextMessage(panel.element, 'slotbridge:ready');

  return {
    frames: { raw, window: win, penpal: pen, postRobot: robot, slotbridge: panel.element },
    /** Sends `buffer` to the contender's guest, moved (transferred). */
    send: {
      raw: (buffer) => port1.postMessage(buffer, [buffer]),
      window: (buffer) => win.contentWindow.postMessage({ rawTransfer: buffer }, '*', [buffer]),
      penpal: (buffer) => void penpal.take(buffer, new CallOptions({ transferables: [buffer] })),
      slotbridge: (buffer) => host.emit('blob', { buffer }, { app, transfer: [buffer] }),
    },
    close() {
      port1.close();
      connection.destroy();
      panel.close();
      for (const f of [raw, win, pen, robot]) f.remove();
    },
  };
}

async function ask(iframe, name, message, answer) {
  const done = nextMessage(iframe, `${name}:${answer}`);
  iframe.contentWindow.postMessage(message, '*');
  return done;
}

/** Runs `measure(name)` for each contender in turn, `rounds` times, in an order that changes every round; drops the warm-up rounds (and samples a contender cannot give). */
async function interleaved(rounds, warmup, measure) {
  const out = Object.fromEntries(CONTENDERS.map((name) => [name, []]));
  const n = CONTENDERS.length;
  for (let r = 0; r < rounds; r++) {
    // Each round in another order, and over four rounds each contender follows each of the others
    // once (n is 5, a prime, so every stride from 1 to 4 visits all five): the garbage one leaves
    // (post-robot's megabytes of JSON text) is collected on every contender's time alike, not
    // always on the one after it, as a rotation of one order did.
    const stride = 1 + (r % (n - 1));
    for (let i = 0; i < n; i++) {
      const name = CONTENDERS[(r + i * stride) % n];
      const sample = await measure(name);
      if (r >= warmup && sample !== undefined) out[name].push(sample);
    }
  }
  return out;
}

/** Every round-trip figure in one placement: no-op calls, 1,000 in flight, a 1 MB argument, a 16 MB transfer. */
async function roundTrips(host, placement) {
  const { frames, send, close } = await contenders(host, placement);
  const noop = await interleaved(300, 30, async (name) => (await ask(frames[name], name, { bench: 'batch', size: 100 }, 'batch')).perCall);
  const execute = await executes(host, placement.app);
  // Calls per second with 1,000 in flight at once.
  const burst = await interleaved(80, 5, async (name) => 1000 / ((await ask(frames[name], name, { bench: 'burst', size: 1000 }, 'burst')).elapsed / 1000));
  // 1 MB arguments: 40 rounds, the first 10 dropped, so that each contender's code is warm and the median stands on 30.
  const json = await interleaved(40, 10, async (name) => (await ask(frames[name], name, { bench: 'json', size: 2, bytes: JSON_BYTES }, 'json')).perCall);
  let copied = 0;
  const transfer = await interleaved(22, 2, async (name) => {
    // post-robot encodes its messages as JSON text: an ArrayBuffer does not survive it, so it has no figure here.
    if (!send[name]) return undefined;
    // A batch in a row, timed per transfer: one move takes a few hundred µs, near the 100 µs
    // resolution of this page's clock, which alone made the ratio to the floor 1 or 2.
    const buffers = Array.from({ length: TRANSFER_BATCH }, () => new ArrayBuffer(TRANSFER_BYTES));
    const got = nextMessages(frames[name], `${name}:got`, TRANSFER_BATCH);
    const t0 = performance.now();
    for (const buffer of buffers) send[name](buffer);
    const acks = await got;
    const time = (performance.now() - t0) / TRANSFER_BATCH;
    for (const { bytes } of acks) if (bytes !== TRANSFER_BYTES) throw new Error(`${name} delivered ${bytes} bytes of ${TRANSFER_BYTES}`);
    // A moved buffer is detached here; one still whole here was copied.
    copied += buffers.filter((buffer) => buffer.byteLength !== 0).length;
    return time;
  });
  close();
  return { noop, execute, burst, json, transfer, copied };
}

/**
 * A no-op function of a JavaScript module, run with `host.execute` one after
 * another: each sample a batch's mean (the page's clock reads in 100 µs
 * steps), the first rounds dropped (the module's frame starts in the first).
 */
async function executes(host, app, rounds = 40, warmup = 10, batch = 50) {
  const samples = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    for (let i = 0; i < batch; i++) {
      const run = await host.execute(app, 'js.noop');
      if (run.status !== 'success') throw new Error(`js.noop: ${run.error?.message}`);
    }
    if (r >= warmup) samples.push((performance.now() - t0) / batch);
  }
  return samples;
}

/**
 * A Dataloop CRUD round trip (`dl.projects.get(id)` in the same unmodified
 * jssdk page), on another site: slotbridge's dataloop adapter through the
 * router, in a sandboxed frame (`allow-scripts`, an opaque origin: a host
 * that runs Dataloop panels refuses them a real origin, since the jssdk obeys
 * any window that has one), against the jssdk's own host, XFrameManager,
 * answering the same data (in a frame that keeps its origin: it fails on an
 * opaque one).
 */
async function dataloopRoundTrips() {
  const script = Object.assign(document.createElement('script'), { src: '/node_modules/@dataloop-ai/jssdk/dist/build/dlAppLib.js' });
  document.head.append(script);
  await new Promise((resolve, reject) => script.addEventListener('load', resolve) || script.addEventListener('error', reject));
  // dlAppLib's init() is what puts XFrameManager on the window (it also starts a guest driver here, which every contender's messages pass alike).
  window.dl.init();
  const project = (id) => ({ id, name: 'Bench project' });
  const api = defineApi({ project: { read: method({ input: z.tuple([z.string()]), permission: 'projects:read' }, project) } });
  const hosts = [];
  const frames = {};
  for (const [name, sandbox] of [['sandboxed', []]]) {
    const host = createHost({ project: 'bench', user: { id: 'bench' }, store: new MemoryStore(), sandbox, bridges: { dataloop: dataloopBridge({ api }) } });
    const manifest = { name: 'bench-dataloop', version: '1.0.0', components: { panels: [{ name: 'crud', url: `dataloop-guest.html?name=${name}`, supportedSlots: [{ type: 'itemViewer' }] }] } };
    await host.registry.publish(manifest, { baseUrl: otherSite, bridge: 'dataloop', permissions: ['projects:read'] });
    await host.registry.install('bench-dataloop');
    const panel = host.mount('bench-dataloop', 'crud', root.appendChild(document.createElement('div')));
    await nextMessage(panel.element, `${name}:ready`);
    hosts.push(host);
    frames[name] = panel.element;
  }
  // The jssdk's host answers CRUD requests through its onDataCallback.
  const manager = new window.XFrameManager(window, async (data) => (data?.type === 'app' && data.data?.scope === 'project' ? project(data.data.data) : null));
  const ready = new Promise((resolve) => addEventListener('message', function listener(event) {
    if (event.data?.bench !== 'xFrameManager:ready') return;
    removeEventListener('message', listener);
    resolve();
  }));
  await manager.createFrameByUrl(`${otherSite}dataloop-guest.html?name=xFrameManager`);
  frames.xFrameManager = [...document.querySelectorAll('body > iframe')].find((f) => f.src.includes('name=xFrameManager'));
  await ready;
  const names = Object.keys(frames);
  const out = Object.fromEntries(names.map((name) => [name, []]));
  for (let r = 0; r < 120; r++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(r + i) % names.length];
      const { perCall } = await ask(frames[name], name, { bench: 'batch', size: 20 }, 'batch');
      if (r >= 20) out[name].push(perCall);
    }
  }
  for (const host of hosts) host.destroy();
  frames.xFrameManager.remove();
  return out;
}

/** Mounts `count` panels at once (or loads as many bare sandboxed iframes of the same page); the time until the last is ready. */
async function mountMany(host, count, rounds) {
  const minimal = new URL('/bench/.build/slotbridge-minimal.html', location.href).href;
  const bare = [];
  const mounted = [];
  let serial = 0;
  const loadBare = async () => {
    await collectGarbage();
    const t0 = performance.now();
    const frames = Array.from({ length: count }, () => frame(`${minimal}?${serial++}`));
    await Promise.all(frames.map((f) => new Promise((resolve) => f.addEventListener('load', resolve, { once: true }))));
    const time = performance.now() - t0;
    for (const f of frames) f.remove();
    return time;
  };
  const mountAll = async () => {
    const slots = Array.from({ length: count }, () => root.appendChild(document.createElement('div')));
    await collectGarbage();
    const t0 = performance.now();
    const panels = slots.map((slot) => host.mount('bench', 'minimal', slot));
    await Promise.all(panels.map((p) => p.ready));
    const time = performance.now() - t0;
    for (const p of panels) p.close();
    for (const s of slots) s.remove();
    return time;
  };
  for (let i = 0; i < rounds; i++) {
    // Alternate which goes first, so that neither always follows the other.
    if (i % 2 === 0) {
      bare.push(await loadBare());
      mounted.push(await mountAll());
    } else {
      mounted.push(await mountAll());
      bare.push(await loadBare());
    }
  }
  return { bare, mounted };
}

/** Mounts `count` fan-out panels and resolves once each has subscribed to `tick`. */
async function fanoutPanels(host, count) {
  const slots = Array.from({ length: count }, () => root.appendChild(document.createElement('div')));
  const panels = slots.map((slot) => host.mount('bench', 'fanout', slot));
  await Promise.all(panels.map((p) => nextMessage(p.element, 'fanout:ready')));
  return {
    panels,
    close() {
      for (const p of panels) p.close();
      for (const s of slots) s.remove();
    },
  };
}

/**
 * Times `send(n)` per round: until the last of `count` frames had tick `n`
 * (the time each frame took it, on the clock all frames of a page share),
 * until all of them had told this page so, and until `send` itself returned
 * (the sender's own work, before any frame runs); and the longest main-thread
 * task meanwhile. The first figure is the fan-out. The tells are the bench's
 * own messages: each frame sends its tell after a timer, since a tell that
 * cut in before the ticks still on their way would delay them.
 */
async function ticks(count, send, rounds = 200) {
  await collectGarbage();
  const longTasks = [];
  const observer = new PerformanceObserver((list) => longTasks.push(...list.getEntries().map((e) => e.duration)));
  observer.observe({ type: 'longtask' });
  const last = [];
  const told = [];
  const sent = [];
  let seen = 0;
  let lastAt = 0;
  let done;
  const onTick = (event) => {
    if (event.data?.bench !== 'tick') return;
    lastAt = Math.max(lastAt, event.data.at);
    if (++seen === count) done();
  };
  addEventListener('message', onTick);
  for (let n = 0; n < rounds; n++) {
    seen = 0;
    lastAt = 0;
    const all = new Promise((resolve) => (done = resolve));
    const t0 = performance.now();
    send(n);
    const returned = performance.now();
    await all;
    if (n < 10) continue;
    sent.push(returned - t0);
    told.push(performance.now() - t0);
    last.push(lastAt - performance.timeOrigin - t0);
  }
  removeEventListener('message', onTick);
  // Long tasks are reported after they end: give the observer a turn.
  await new Promise((r) => setTimeout(r, 100));
  observer.disconnect();
  return { last, told, sent, longestTask: Math.max(0, ...longTasks) };
}

/**
 * One `host.emit` reaching `count` ready panels, next to a tick posted to
 * each of `count` bare frames: with window.postMessage, and on a MessagePort
 * per frame (the transport slotbridge uses after the handshake).
 */
async function fanout(host, count) {
  const bare = Array.from({ length: count }, () => frame(`${fixtures}tick-guest.html`));
  await Promise.all(bare.map((f) => nextMessage(f, 'tick:ready')));
  const raw = await ticks(count, (n) => {
    for (const f of bare) f.contentWindow.postMessage({ tick: n }, '*');
  });
  for (const f of bare) f.remove();
  const portFrames = Array.from({ length: count }, () => frame(`${fixtures}port-tick-guest.html`));
  await Promise.all(portFrames.map((f) => nextMessage(f, 'port-tick:loaded')));
  const ports = portFrames.map((f) => {
    const { port1, port2 } = new MessageChannel();
    f.contentWindow.postMessage(null, '*', [port2]);
    return port1;
  });
  await Promise.all(portFrames.map((f) => nextMessage(f, 'port-tick:ready')));
  const port = await ticks(count, (n) => {
    for (const p of ports) p.postMessage({ tick: n });
  });
  for (const p of ports) p.close();
  for (const f of portFrames) f.remove();
  const { close } = await fanoutPanels(host, count);
  const slotbridge = await ticks(count, (n) => host.emit('tick', n));
  close();
  return { raw, port, slotbridge, longestTask: slotbridge.longestTask };
}

/**
 * A full collection (from bench/run.mjs), before each scaling figure. Frames
 * removed by the figure before stay on the heap until one: with hundreds of
 * them waiting, the same fan-out to bare frames took three times as long.
 */
const collectGarbage = () => window.__benchCollect();

/** The JavaScript heap (from bench/run.mjs: a heap snapshot after a full collection) and the DOM nodes, host side. */
async function footprint() {
  return { heap: await window.__benchHeap(), nodes: document.getElementsByTagName('*').length };
}

/** Heap and nodes added per mounted panel (50 mounted), and after 10 open/close cycles of 50. */
async function memory(host, count = 50, cycles = 10) {
  const empty = await footprint();
  let afterFirst;
  let perPanel;
  for (let c = 0; c < cycles; c++) {
    const { close } = await fanoutPanels(host, count);
    if (c === 0) {
      const open = await footprint();
      perPanel = { heap: (open.heap - empty.heap) / count, nodes: (open.nodes - empty.nodes) / count };
    }
    close();
    if (c === 0) afterFirst = await footprint();
  }
  const afterAll = await footprint();
  return { perPanel, afterFirst, afterAll };
}

/**
 * The same JavaScript work every time (structured clones of a small message,
 * as every postMessage makes): how fast this machine ran at that moment, so
 * that runs can be compared. A shared machine can run the same code at half
 * its speed for minutes; every figure moves with it. Its garbage is collected
 * before the figures that follow.
 */
async function machineCheck(rounds = 30) {
  const message = ['tick', { n: 1, items: ['a', 'b', 'c'], at: 0.5 }, '00000000-0000-4000-8000-000000000000'];
  const samples = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    for (let i = 0; i < 5000; i++) structuredClone(message);
    samples.push(performance.now() - t0);
  }
  await collectGarbage();
  return samples;
}

/** What is running, for bench/run.mjs to show. */
const phase = (name) => (window.__benchPhase = name);
const results = {};
try {
  const host = await slotbridgeHost();
  // Warm the caches of every page and script first, so no figure pays for the first fetch.
  await mountMany(host, 3, 1);
  results.machine = {};
  if (part === 'calls') {
    results.machine['before the round trips'] = await machineCheck();
    for (const [name, placement] of Object.entries(PLACEMENTS)) {
      phase(`round trips, ${name}`);
      results[name] = await roundTrips(host, placement);
    }
    phase('Dataloop CRUD round trips');
    results.dataloop = await dataloopRoundTrips();
  } else if (part === 'python') {
    const { pythonFigures } = await import('/bench/python.js');
    results.python = await pythonFigures(phase, async () => (await collectGarbage(), footprint()));
  } else if (part === 'dataloop') {
    // The Dataloop figure alone (BENCH_PARTS=dataloop), for looking into it.
    results.dataloop = await dataloopRoundTrips();
  } else {
    results.machine['before mounting'] = await machineCheck();
    results.mount = {};
    for (const [count, rounds] of [[1, 40], [10, 10], [50, 10]]) {
      phase(`mounting ${count} at once`);
      results.mount[count] = await mountMany(host, count, rounds);
    }
    phase('fan-out');
    results.machine['before the fan-out'] = await machineCheck();
    results.fanout = await fanout(host, 50);
    phase('memory');
    results.memory = await memory(host);
  }
  host.destroy();
} catch (err) {
  results.error = String(err?.stack ?? err);
}
window.__benchResults = results;
