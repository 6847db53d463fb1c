// `npm run bench`: builds production bundles, serves them, runs bench/page.js
// in headless Chromium (one run), prints the figures with their budgets, writes
// bench/results.json, and exits 1 when a budget is missed.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { rollup } from 'rollup';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import commonjs from '@rollup/plugin-commonjs';
import terser from '@rollup/plugin-terser';
import { serveStatic } from './static-server.mjs';
import puppeteer from 'puppeteer-core';
import { findChrome, chromeArgs } from '../test/chrome.mjs';
import { bundleSize } from './bundle-size.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const build = `${root}bench/.build/`;

/** Production bundles (dependencies in, minified) for the pages to load. */
async function bundle(input, file) {
  const b = await rollup({ input, plugins: [nodeResolve({ browser: true }), commonjs(), ...(process.env.BENCH_PROFILE ? [] : [terser()])], logLevel: 'silent' });
  // One file per page script: what loads on demand in production is inlined here.
  await b.write({ file: `${build}${file}`, format: 'es', inlineDynamicImports: true });
  await b.close();
}

mkdirSync(build, { recursive: true });
writeFileSync(`${build}zod-mini-entry.js`, "export * from 'zod/mini';\n");
writeFileSync(`${build}penpal-entry.js`, "export * from 'penpal';\n");
await bundle(`${root}dist/guest.js`, 'guest.js');
await bundle(`${root}dist/index.js`, 'index.js');
await bundle(`${build}penpal-entry.js`, 'penpal.js');
await bundle(`${build}zod-mini-entry.js`, 'zod-mini.js');
// The minimal panel: one page, its code inline (a panel's own bundle would carry the SDK the same way).
writeFileSync(`${build}minimal-entry.js`, `import { connect } from '${root}dist/guest.js';\nconnect();\n`);
await bundle(`${build}minimal-entry.js`, 'minimal.js');
writeFileSync(
  `${build}slotbridge-minimal.html`,
  `<!doctype html>\n<html lang="en"><head><meta charset="utf-8" /><title>minimal panel</title></head><body><p>minimal panel</p>\n<script type="module">${readFileSync(`${build}minimal.js`, 'utf8')}</script></body></html>\n`,
);

const server = await serveStatic(root);
const { port } = server;
const browser = await puppeteer.launch({ executablePath: findChrome(), headless: true, args: chromeArgs() });
let results;
let version = 'Chromium';
try {
  version = await browser.version();
  const page = await browser.newPage();
  // BENCH_PROFILE=file.cpuprofile records a CPU profile of the whole run, to find where time goes.
  const cdp = process.env.BENCH_PROFILE ? await page.createCDPSession() : undefined;
  if (cdp) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 50 });
    await cdp.send('Profiler.start');
  }
  await page.goto(`http://localhost:${port}/bench/page.html`);
  await page.waitForFunction(() => window.__benchResults, { timeout: 300_000 });
  results = await page.evaluate(() => window.__benchResults);
  if (cdp) writeFileSync(process.env.BENCH_PROFILE, JSON.stringify((await cdp.send('Profiler.stop')).profile));
} finally {
  await browser.close();
  await server.close();
}
if (results.error) {
  console.error(`bench: the page failed: ${results.error}`);
  process.exit(1);
}

const stats = (samples) => {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { median: at(0.5), p95: at(0.95), n: sorted.length };
};
const PLACEMENT_NAMES = { sameSite: 'same site', otherSite: 'other site' };
const figures = {
  ...Object.fromEntries(
    Object.entries(PLACEMENT_NAMES).flatMap(([key, where]) => [
      [`no-op call, ${where}: raw MessagePort`, stats(results[key].raw)],
      [`no-op call, ${where}: penpal`, stats(results[key].penpal)],
      [`no-op call, ${where}: slotbridge`, stats(results[key].slotbridge)],
    ]),
  ),
  'load: bare sandboxed iframe, empty page': stats(results.mount.empty),
  'load: bare sandboxed iframe, same page as the panel': stats(results.mount.samePage),
  'mount to ready: slotbridge panel': stats(results.mount.mounted),
};
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

const ratio = (a, b) => figures[a].median / figures[b].median;
const budgets = [
  ...Object.values(PLACEMENT_NAMES).map((where) => ({
    name: `slotbridge no-op median / penpal, ${where}`,
    value: ratio(`no-op call, ${where}: slotbridge`, `no-op call, ${where}: penpal`),
    max: 1.15,
  })),
  { name: 'mount-to-ready median / bare iframe load of the same page', value: ratio('mount to ready: slotbridge panel', 'load: bare sandboxed iframe, same page as the panel'), max: 1.3 },
  { name: 'guest bundle gzipped, KB', value: guest.gzipped / 1024, max: 7 },
  { name: 'host core gzipped, KB', value: hostCore.gzipped / 1024, max: 25 },
  { name: 'slots (lit included) gzipped, KB', value: slots.gzipped / 1024, max: 40 },
];

const ms = (x) => `${(x * 1000).toFixed(0).padStart(7)} µs`;
console.log(`\nslotbridge bench, ${new Date().toISOString()}, ${version}`);
console.log(`${'figure'.padEnd(56)} ${'median'.padStart(10)} ${'p95'.padStart(10)}    n`);
for (const [name, s] of Object.entries(figures)) console.log(`${name.padEnd(56)} ${ms(s.median)} ${ms(s.p95)} ${String(s.n).padStart(5)}`);
const sizes = [['dist/guest.js', guest], ['dist/index.js (host core)', hostCore], ['dist/slots.js (lit included)', slots], ...Object.entries(peers)];
for (const [name, size] of sizes) {
  const later = size.withOnDemand > size.gzipped ? `; ${(size.withOnDemand / 1024).toFixed(2)} KB with its on-demand chunks` : '';
  console.log(`${`size: ${name} + dependencies, min+gzip`.padEnd(56)} ${(size.gzipped / 1024).toFixed(2).padStart(7)} KB (${(size.minified / 1024).toFixed(1)} KB minified${later})`);
}
console.log('\nbudgets');
let missed = 0;
for (const b of budgets) {
  const ok = b.value <= b.max;
  if (!ok) missed++;
  console.log(`  ${ok ? 'ok  ' : 'MISS'} ${b.name}: ${b.value.toFixed(2)} (at most ${b.max})`);
}
writeFileSync(
  `${root}bench/results.json`,
  `${JSON.stringify({ date: new Date().toISOString(), browser: version, figures, sizes: { guest, hostCore, slots, ...peers }, budgets: budgets.map((b) => ({ ...b, ok: b.value <= b.max })) }, null, 2)}\n`,
);
console.log('\nwritten: bench/results.json');
process.exitCode = missed === 0 ? 0 : 1;
