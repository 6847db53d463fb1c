// `npm run bench`: builds production bundles, serves them, runs bench/page.js
// in headless Chromium (one run), prints the figures with their budgets, writes
// bench/results.json, and exits 1 when a budget is missed.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { rollup } from 'rollup';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import commonjs from '@rollup/plugin-commonjs';
import terser from '@rollup/plugin-terser';
import { serveStatic } from './static-server.mjs';
import puppeteer from 'puppeteer-core';
import { findChrome, chromeArgs } from '../test/chrome.mjs';
import { bundleSize } from './bundle-size.mjs';
import { jsHeapSize } from '../test/heap-size.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const build = `${root}bench/.build/`;

/** Production bundles (dependencies in, minified) for the pages to load. */
async function bundle(input, file) {
  const b = await rollup({
    input,
    plugins: [nodeResolve({ browser: true }), commonjs(), ...(process.env.BENCH_PROFILE ? [] : [terser()])],
    logLevel: 'silent',
  });
  // One file per page script: what loads on demand in production is inlined here.
  await b.write({ file: `${build}${file}`, format: 'es', inlineDynamicImports: true });
  await b.close();
}

mkdirSync(build, { recursive: true });
writeFileSync(`${build}zod-mini-entry.js`, "export * from 'zod/mini';\n");
writeFileSync(`${build}penpal-entry.js`, "export * from 'penpal';\n");
// The host page's bundle: the host and the Dataloop adapter, as a platform that installs both bundles them.
writeFileSync(`${build}index-entry.js`, `export * from '${root}dist/index.js';\nexport * from '${root}dist/dataloop.js';\n`);
await bundle(`${root}dist/guest.js`, 'guest.js');
await bundle(`${build}index-entry.js`, 'index.js');
await bundle(`${build}penpal-entry.js`, 'penpal.js');
await bundle(`${build}zod-mini-entry.js`, 'zod-mini.js');
// The minimal panel: one page, its code inline (a panel's own bundle would carry the SDK the same way).
writeFileSync(`${build}minimal-entry.js`, `import { connect } from '${root}dist/guest.js';\nconnect();\n`);
await bundle(`${build}minimal-entry.js`, 'minimal.js');
writeFileSync(
  `${build}slotbridge-minimal.html`,
  `<!doctype html>\n<html lang="en"><head><meta charset="utf-8" /><title>minimal panel</title></head><body><p>minimal panel</p>\n<script type="module">${readFileSync(`${build}minimal.js`, 'utf8')}</script></body></html>\n`,
);

// What a platform serves for Python modules: Pyodide's files and slotbridge's runner, in one folder.
rmSync(`${build}python`, { recursive: true, force: true });
cpSync(`${root}dist/python`, `${build}python`, { recursive: true });
for (const file of ['pyodide.mjs', 'pyodide.asm.mjs', 'pyodide.asm.wasm', 'python_stdlib.zip', 'pyodide-lock.json'])
  cpSync(`${root}node_modules/pyodide/${file}`, `${build}python/${file}`);

const server = await serveStatic(root);
const { port } = server;
const browser = await puppeteer.launch({ executablePath: findChrome(), headless: true, args: chromeArgs() });
let results = {};
/** The machine checks of both parts (each part's results would replace the other's). */
const machine = {};
let version = 'Chromium';
try {
  version = await browser.version();
  const page = await browser.newPage();
  // The page reads its own JavaScript heap through this (memory figures)...
  const heapSession = await page.createCDPSession();
  await page.exposeFunction('__benchHeap', () => jsHeapSize(heapSession));
  // ...and collects its garbage before each scaling figure.
  await page.exposeFunction('__benchCollect', async () => {
    await heapSession.send('HeapProfiler.enable');
    await heapSession.send('HeapProfiler.collectGarbage');
    await heapSession.send('HeapProfiler.disable');
  });
  // BENCH_PROFILE=file.cpuprofile records a CPU profile of the whole run, to find where time goes.
  const cdp = process.env.BENCH_PROFILE ? await page.createCDPSession() : undefined;
  if (cdp) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 50 });
    await cdp.send('Profiler.start');
  }
  // BENCH_PARTS=calls (or scale, python, dataloop) runs those parts: their figures are printed, the budgets (which need all three) are not.
  for (const part of (process.env.BENCH_PARTS ?? 'calls,scale,python').split(',')) {
    await page.goto(`http://localhost:${port}/bench/page.html?part=${part}`);
    // Polled, not awaited in one protocol call: each part takes minutes.
    let phase = '';
    let partResults;
    for (const deadline = Date.now() + 900_000; !partResults; await new Promise((r) => setTimeout(r, 1000))) {
      if (Date.now() > deadline) throw new Error(`bench: the page did not finish within 15 minutes (last phase: ${phase})`);
      const state = await page.evaluate(() => ({ results: window.__benchResults, phase: window.__benchPhase }));
      partResults = state.results;
      if (state.phase && state.phase !== phase && process.stdout.isTTY) console.log(`bench: ${state.phase}`);
      phase = state.phase;
    }
    Object.assign(machine, partResults.machine);
    Object.assign(results, partResults);
    if (partResults.error) break;
  }
  if (cdp) writeFileSync(process.env.BENCH_PROFILE, JSON.stringify((await cdp.send('Profiler.stop')).profile));
} finally {
  await browser.close();
  await server.close();
}
if (results.error) {
  console.error(`bench: the page failed: ${results.error}`);
  process.exit(1);
}

const stats = (samples, unit = 'ms') => {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { median: at(0.5), p95: at(0.95), n: sorted.length, unit };
};
const PLACEMENT_NAMES = { sameSite: 'same site', otherSite: 'other site' };
const CONTENDER_NAMES = {
  raw: 'raw MessagePort',
  window: 'raw window.postMessage',
  penpal: 'penpal',
  postRobot: 'post-robot',
  slotbridge: 'slotbridge',
};
const FANOUT_NAMES = {
  raw: 'window.postMessage to 50 bare frames',
  port: 'a MessagePort to each of 50 bare frames',
  slotbridge: 'one host.emit to 50 ready panels',
};
const FANOUT_TIMES = { last: 'the last has it', told: 'all told the page', sent: 'the send returns' };
const fanoutFigure = (shown, until = FANOUT_TIMES.last) => `fan-out: ${shown}, until ${until}`;
/** A contender's fan-out p95, until the last frame has it. */
const fanoutP95 = (name) => figures[fanoutFigure(FANOUT_NAMES[name])].p95;
const DATALOOP_NAMES = {
  sandboxed: 'slotbridge, sandboxed frame (opaque origin)',
  xFrameManager: "the jssdk's XFrameManager, frame with its own origin",
};
const KINDS = {
  noop: ['no-op call', 'ms'],
  burst: ['1,000 in flight', 'calls/s'],
  json: ['1 MB JSON argument', 'ms'],
  transfer: ['16 MB ArrayBuffer to the guest', 'ms'],
};
// BENCH_PARTS may leave a part out: its figures are then missing, and the budgets, which need both, are not checked.
const partial = !(results.sameSite && results.fanout && results.python);
const figures = {
  ...Object.fromEntries(
    Object.entries(results.sameSite ? PLACEMENT_NAMES : {}).flatMap(([key, where]) =>
      Object.entries(KINDS).flatMap(([kind, [label, unit]]) =>
        Object.entries(CONTENDER_NAMES).map(([name, shown]) => [`${label}, ${where}: ${shown}`, stats(results[key][kind][name], unit)]),
      ),
    ),
  ),
  ...Object.fromEntries(
    Object.entries(results.sameSite ? PLACEMENT_NAMES : {}).map(([key, where]) => [
      `no-op execute of a JavaScript module, ${where}: slotbridge`,
      stats(results[key].execute, 'ms'),
    ]),
  ),
  ...Object.fromEntries(
    Object.entries(results.mount ?? {}).flatMap(([count, { bare, mounted }]) => [
      [`${count} at once: bare sandboxed iframes, same page, to load`, stats(bare)],
      [`${count} at once: slotbridge panels, mount to ready`, stats(mounted)],
    ]),
  ),
  ...Object.fromEntries(
    Object.entries(results.fanout ? FANOUT_TIMES : {}).flatMap(([time, until]) =>
      Object.entries(FANOUT_NAMES).map(([name, shown]) => [fanoutFigure(shown, until), stats(results.fanout[name][time])]),
    ),
  ),
  ...Object.fromEntries(
    Object.entries(results.dataloop ?? {}).map(([name, samples]) => [
      `Dataloop CRUD round trip, other site: ${DATALOOP_NAMES[name]}`,
      stats(samples),
    ]),
  ),
  ...(results.python
    ? {
        'Python cold start to the first answer: bare Pyodide in a fresh worker': stats(results.python.cold.bare),
        'Python cold start to the first answer: slotbridge (frame, worker, module)': stats(results.python.cold.slotbridge),
        'Python warm call: slotbridge host.execute': stats(results.python.warm.python),
        "Python warm call: a JavaScript module's host.execute (native no-op)": stats(results.python.warm.native),
        'Python warm call: bare Pyodide call in the page, right after a round trip': stats(results.python.warm.bare),
        'Python warm call: bare Pyodide call in the page, in a loop': stats(results.python.warm.bareInLoop),
      }
    : {}),
  ...Object.fromEntries(
    Object.entries(machine).map(([when, samples]) => [`machine check ${when}: 5,000 structured clones`, stats(samples)]),
  ),
};
const format = (x, unit) =>
  x === undefined
    ? 'n/a'.padStart(10)
    : unit === 'calls/s'
      ? `${Math.round(x).toLocaleString('en')}/s`.padStart(10)
      : x < 1
        ? `${(x * 1000).toFixed(0)} µs`.padStart(10)
        : `${x.toFixed(2)} ms`.padStart(10);
console.log(
  `\nslotbridge bench, ${new Date().toISOString()}, ${version}${process.env.BENCH_PROFILE ? ' (profiled: unminified bundles, not comparable)' : ''}`,
);
console.log(`${'figure'.padEnd(72)} ${'median'.padStart(10)} ${'p95'.padStart(10)}    n`);
for (const [name, s] of Object.entries(figures))
  console.log(`${name.padEnd(72)} ${format(s.median, s.unit)} ${format(s.p95, s.unit)} ${String(s.n).padStart(5)}`);
if (results.python) {
  const { afterFirst, afterAll } = results.python.cycles;
  console.log(
    `${'memory: heap after the 1st and the 10th close of a Python module'.padEnd(72)} ${(afterFirst.heap / 1024).toFixed(0)} KB, ${(afterAll.heap / 1024).toFixed(0)} KB`,
  );
}
if (partial) {
  console.log(`\nbudgets: not checked; they need every part (BENCH_PARTS=calls,scale,python, the default)`);
  process.exit(0);
}
const memory = results.memory;
const guest = await bundleSize(`${root}dist/guest.js`);
const hostCore = await bundleSize(`${root}dist/index.js`);
const slots = await bundleSize(`${root}dist/slots.js`);
// The libraries a team would pick instead, bundled the same way.
const peerSize = async (name, code) => {
  writeFileSync(`${build}${name}-size-entry.js`, code);
  return bundleSize(`${build}${name}-size-entry.js`);
};
const peers = {
  penpal: await bundleSize(`${build}penpal-entry.js`),
  'post-robot': await peerSize('post-robot', "import postRobot from 'post-robot';\nexport default postRobot;\n"),
  zoid: await peerSize('zoid', "import zoid from 'zoid';\nexport default zoid;\n"),
};

const median = (name) => figures[name].median;
const ratio = (a, b) => median(a) / median(b);
const budgets = [
  ...Object.values(PLACEMENT_NAMES).flatMap((where) => [
    {
      name: `slotbridge no-op median / penpal, ${where}`,
      value: ratio(`no-op call, ${where}: slotbridge`, `no-op call, ${where}: penpal`),
      max: 1.05,
    },
    {
      name: `slotbridge no-op median / post-robot, ${where}`,
      value: ratio(`no-op call, ${where}: slotbridge`, `no-op call, ${where}: post-robot`),
      max: 1,
      strict: true,
    },
    {
      // A run is a call the other way (the host asks the module), plus the function's checks and its record.
      name: `slotbridge no-op execute / no-op call, ${where}`,
      value: ratio(`no-op execute of a JavaScript module, ${where}: slotbridge`, `no-op call, ${where}: slotbridge`),
      max: 3,
    },
    {
      name: `slotbridge calls per second with 1,000 in flight / penpal, ${where}`,
      value: ratio(`1,000 in flight, ${where}: slotbridge`, `1,000 in flight, ${where}: penpal`),
      min: 0.95,
    },
    {
      name: `slotbridge 1 MB JSON argument median / penpal, ${where}`,
      value: ratio(`1 MB JSON argument, ${where}: slotbridge`, `1 MB JSON argument, ${where}: penpal`),
      max: 1.15,
    },
  ]),
  {
    name: '16 MB transfer, same site: slotbridge median / raw MessagePort',
    value: ratio('16 MB ArrayBuffer to the guest, same site: slotbridge', '16 MB ArrayBuffer to the guest, same site: raw MessagePort'),
    max: 2,
  },
  { name: '16 MB transfers that were copied instead of moved, same site', value: results.sameSite.copied, max: 0 },
  {
    name: '50 panels mount to ready / 50 bare iframes of the same page',
    value: ratio('50 at once: slotbridge panels, mount to ready', '50 at once: bare sandboxed iframes, same page, to load'),
    max: 1.3,
  },
  // Relative to the floor of the same run: the p95 follows the machine (see bench/README.md, "Reading a run").
  { name: 'fan-out to 50 panels, p95 / the MessagePort floor p95', value: fanoutP95('slotbridge') / fanoutP95('port'), max: 2 },
  { name: 'longest main-thread task during the fan-out with 50 panels, ms', value: results.fanout.longestTask, max: 50 },
  {
    name: 'heap growth from the 1st to the 10th close of 50 panels, %',
    value: ((memory.afterAll.heap - memory.afterFirst.heap) / memory.afterFirst.heap) * 100,
    max: 5,
  },
  { name: 'DOM nodes left after 10 open/close cycles of 50 panels', value: memory.afterAll.nodes - memory.afterFirst.nodes, max: 0 },
  {
    name: 'Python cold start to the first answer: slotbridge / bare Pyodide in a fresh worker',
    value: ratio(
      'Python cold start to the first answer: slotbridge (frame, worker, module)',
      'Python cold start to the first answer: bare Pyodide in a fresh worker',
    ),
    max: 1.2,
  },
  {
    name: 'Python warm call: slotbridge / (bare Pyodide call + native no-op execute)',
    value:
      median('Python warm call: slotbridge host.execute') /
      (median('Python warm call: bare Pyodide call in the page, right after a round trip') +
        median("Python warm call: a JavaScript module's host.execute (native no-op)")),
    max: 1.2,
  },
  {
    name: 'heap growth from the 1st to the 10th close of a Python module, %',
    value: ((results.python.cycles.afterAll.heap - results.python.cycles.afterFirst.heap) / results.python.cycles.afterFirst.heap) * 100,
    max: 5,
  },
  { name: 'guest bundle gzipped, KB', value: guest.gzipped / 1024, max: 7 },
  { name: 'host core gzipped, KB', value: hostCore.gzipped / 1024, max: 25 },
  { name: 'slots (lit included) gzipped, KB', value: slots.gzipped / 1024, max: 40 },
];
const met = (b) => (b.min !== undefined ? b.value >= b.min : b.strict ? b.value < b.max : b.value <= b.max);

console.log(
  `${'memory: per mounted panel (50 mounted), same-process frames included'.padEnd(72)} ${(memory.perPanel.heap / 1024).toFixed(1)} KB heap, ${memory.perPanel.nodes.toFixed(1)} DOM nodes`,
);
console.log(
  `${'memory: after the 1st and the 10th close of 50 panels'.padEnd(72)} ${(memory.afterFirst.heap / 1024).toFixed(0)} KB, ${(memory.afterAll.heap / 1024).toFixed(0)} KB heap; ${memory.afterFirst.nodes}, ${memory.afterAll.nodes} nodes`,
);
console.log(`${'longest main-thread task, fan-out with 50 panels'.padEnd(72)} ${results.fanout.longestTask.toFixed(0)} ms`);
const sizes = [
  ['dist/guest.js', guest],
  ['dist/index.js (host core)', hostCore],
  ['dist/slots.js (lit included)', slots],
  ...Object.entries(peers),
];
for (const [name, size] of sizes) {
  const later = size.withOnDemand > size.gzipped ? `; ${(size.withOnDemand / 1024).toFixed(2)} KB with its on-demand chunks` : '';
  console.log(
    `${`size: ${name} + dependencies, min+gzip`.padEnd(72)} ${(size.gzipped / 1024).toFixed(2).padStart(7)} KB (${(size.minified / 1024).toFixed(1)} KB minified${later})`,
  );
}
console.log('\nbudgets');
let missed = 0;
for (const b of budgets) {
  const ok = met(b);
  if (!ok) missed++;
  const bound = b.min !== undefined ? `at least ${b.min}` : b.strict ? `below ${b.max}` : `at most ${b.max}`;
  // Three decimals below 10, so a ratio just over its bound does not print as the bound.
  console.log(`  ${ok ? 'ok  ' : 'MISS'} ${b.name}: ${b.value.toFixed(b.value < 10 ? 3 : 2)} (${bound})`);
}
// Not budgets: the fan-out's absolute p95, and where it stands against both floors of the same run.
const floors = {
  'fan-out p95, ms': fanoutP95('slotbridge'),
  'fan-out p95 / the MessagePort floor (a MessagePort to each of 50 bare frames)': fanoutP95('slotbridge') / fanoutP95('port'),
  'fan-out p95 / the window.postMessage floor (50 bare frames)': fanoutP95('slotbridge') / fanoutP95('raw'),
};
console.log('\nagainst the floors (not budgets)');
for (const [name, value] of Object.entries(floors)) console.log(`  ${name}: ${value.toFixed(3)}`);
writeFileSync(
  `${root}bench/results.json`,
  `${JSON.stringify({ date: new Date().toISOString(), browser: version, figures, sizes: { guest, hostCore, slots, ...peers }, memory, longestTask: results.fanout.longestTask, floors, budgets: budgets.map((b) => ({ ...b, ok: met(b) })) }, null, 2)}\n`,
);
console.log('\nwritten: bench/results.json');
process.exitCode = missed === 0 ? 0 : 1;
