// `npm run bench:runs`: function runs on the queue against floors measured in
// the same run, on the same database (the embedded PGlite, or PostgreSQL with
// DATABASE_URL), with real runners and Debian's python3 (SLOTBRIDGE_TEST_PYTHON).
// Prints each figure with its budget, writes bench/runs-results.json, exits 1
// when a budget is missed.
//
// - A no-op Python run, asked for to seen finished by its asker: over starting
//   `python3 -c pass` plus one HTTP round trip to the same server.
// - 30 one-second runs on 3 runners: wall time over 30/3 seconds.
// - Short runs' throughput (30 no-op runs, 3 runners) over pg-boss's own
//   send, fetch and complete loop on the same database.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import PgBoss from 'pg-boss';
import { strToU8, zipSync } from 'fflate';
import { benchDatabase } from './bench-database.mjs';
import { createServer, signUserToken, startRunner } from '../dist/server.js';

const PYTHON = process.env.SLOTBRIDGE_TEST_PYTHON ?? '/usr/bin/python3';
const USER_KEY = 'the runs bench signs with this key, long enough';
const key = new TextEncoder().encode(USER_KEY);
const { data, database, drop } = await benchDatabase('runs');
const server = await createServer({ database, data, auth: { userKey: USER_KEY } });
const { url } = await server.listen({ port: 0, appsPort: 0 });
const adminToken = await signUserToken({ id: 'ada', name: undefined, org: 'bench', projects: ['p1'], role: 'admin' }, key, 3600);
const json = (token, body, method = 'POST') => ({
  method,
  headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
  body: JSON.stringify(body),
});
const tokenOf = async (kind) => (await (await fetch(`${url}/v1/tokens`, json(adminToken, { namespace: 'bench-apps', kind }))).json()).token;
const manifest = {
  name: 'bench-runs',
  version: '1.0.0',
  components: {
    modules: [
      {
        name: 'm',
        entryPoint: 'm.py',
        computeConfig: 'default',
        functions: [{ name: 'noop' }, { name: 'second' }],
      },
    ],
  },
};
const zip = zipSync({
  'app.json': strToU8(JSON.stringify(manifest)),
  'm.py': strToU8('import time\n\ndef noop():\n    pass\n\ndef second():\n    time.sleep(1)\n'),
});
const published = await fetch(`${url}/v1/packages`, {
  method: 'POST',
  headers: { authorization: `Bearer ${await tokenOf('publish')}`, 'content-type': 'application/zip' },
  body: zip,
});
if (published.status !== 201) throw new Error(`publish: ${published.status} ${await published.text()}`);
await fetch(`${url}/v1/projects/p1/installations/bench-runs`, json(adminToken, {}, 'PUT'));
const runnerToken = await tokenOf('runner');

const ask = async (fn) =>
  (await (await fetch(`${url}/v1/projects/p1/apps/bench-runs/runs`, json(adminToken, { module: 'm', function: fn }))).json()).id;
// The asker waits with the run's long poll: answered when the run ends.
const ended = async (id) => {
  for (;;) {
    const run = await (await fetch(`${url}/v1/runs/${id}?wait=20000`, { headers: { authorization: `Bearer ${adminToken}` } })).json();
    if (run.status === 'succeeded') return run;
    if (run.status === 'failed' || run.status === 'cancelled') throw new Error(`${id}: ${JSON.stringify(run.error)}`);
  }
};
const runners = [1, 2, 3].map(() => startRunner({ url, token: runnerToken, python: PYTHON, pollMs: 20 }));
// Warm: the package unpacked on each runner, the interpreter's files in the page cache.
await Promise.all(Array.from({ length: 6 }, async () => ended(await ask('noop'))));

// 1. A no-op run over python3 -c pass plus one round trip.
let floor = Infinity;
let noop = Infinity;
for (let i = 0; i < 10; i++) {
  const t0 = performance.now();
  execFileSync(PYTHON, ['-c', 'pass']);
  await (await fetch(`${url}/v1/openapi.json`)).arrayBuffer();
  floor = Math.min(floor, performance.now() - t0);
  const t1 = performance.now();
  await ended(await ask('noop'));
  noop = Math.min(noop, performance.now() - t1);
}

// 2. 30 one-second runs on 3 runners.
const t2 = performance.now();
await Promise.all(Array.from({ length: 30 }, async () => ended(await ask('second'))));
const seconds = (performance.now() - t2) / 1000;

// 3. 30 no-op runs' throughput over pg-boss's own loop on the same database.
const t3 = performance.now();
await Promise.all(Array.from({ length: 30 }, async () => ended(await ask('noop'))));
const runsPerSecond = 30 / ((performance.now() - t3) / 1000);
const boss = new PgBoss({
  db: { executeSql: (text, values) => server.database.executeSql(text, values) },
  supervise: false,
  schedule: false,
});
await boss.start();
await boss.createQueue('bench-floor');
const t4 = performance.now();
await Promise.all(
  [1, 2, 3].map(async () => {
    for (let i = 0; i < 10; i++) {
      await boss.send('bench-floor', { i });
      const [job] = await boss.fetch('bench-floor');
      if (job) await boss.complete('bench-floor', job.id);
    }
  }),
);
const bossPerSecond = 30 / ((performance.now() - t4) / 1000);
await boss.stop({ graceful: false, wait: true, close: false });

await Promise.all(runners.map((r) => r.stop()));
await server.close();
await drop();

const budgets = [
  { name: 'a no-op run, asked to finished, over python3 -c pass plus one round trip', value: noop / floor, max: 1.5 },
  { name: '30 one-second runs on 3 runners, over 10 s', value: seconds / 10, max: 1.15 },
  {
    name: "short runs' throughput over pg-boss's send, fetch, complete (higher is better)",
    value: runsPerSecond / bossPerSecond,
    min: 0.8,
  },
];
const met = (b) => (b.max === undefined || b.value <= b.max) && (b.min === undefined || b.value >= b.min);
console.log(`database: ${server.database.kind}`);
console.log(`no-op run: ${noop.toFixed(1)} ms (python3 -c pass plus a round trip: ${floor.toFixed(1)} ms)`);
console.log(`30 one-second runs on 3 runners: ${seconds.toFixed(2)} s`);
console.log(`short runs: ${runsPerSecond.toFixed(1)}/s (pg-boss's loop: ${bossPerSecond.toFixed(1)}/s)`);
for (const b of budgets)
  console.log(
    `${met(b) ? 'ok  ' : 'MISS'} ${b.name}: ${b.value.toFixed(2)} (${b.max !== undefined ? `at most ${b.max}` : `at least ${b.min}`})`,
  );
writeFileSync(
  new URL('./runs-results.json', import.meta.url),
  `${JSON.stringify({ date: new Date().toISOString(), database: server.database.kind, figures: { floor, noop, seconds, runsPerSecond, bossPerSecond }, budgets: budgets.map((b) => ({ ...b, ok: met(b) })) }, null, 2)}\n`,
);
process.exit(budgets.every(met) ? 0 : 1);
