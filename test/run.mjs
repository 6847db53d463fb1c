// `npm test`: build, type check, format check, lint, Node tests, browser tests, the security suite; ends with `tests: N passed, M failed`.
// `npm run test:quick` (`--quick`): while you work, under a minute: the Node tests that start no platform, server process or
// interpreter, and one browser file per area, against dist/ as it is (built first only when it is missing).
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { runSecuritySuite } from './security/suite.mjs';

const root = new URL('..', import.meta.url).pathname;
let passed = 0;
let failed = 0;

function run(command, args, env = {}) {
  return new Promise((resolve) => {
    let output = '';
    const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk) => {
      output += chunk;
      process.stdout.write(chunk);
    });
    child.stderr.on('data', (chunk) => process.stderr.write(chunk));
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

const quick = process.argv.includes('--quick');
/** Node test files that start a platform, server processes, npm or Python: `npm test` runs them, `--quick` does not. */
const SLOW_NODE = new Set([
  'demo-platform.test.ts',
  'dev-command.test.ts',
  'import-plugin.test.ts',
  'init-test-loop.test.ts',
  'plain-http.test.ts',
  'runs.test.ts',
  'server-processes.test.ts',
]);
/** `--quick`'s browser files: one per area (the bridge, the slots, the registry, the Dataloop adapter, settings and reports). */
const QUICK_BROWSER = [
  'test/browser/bridge/router.test.ts',
  'test/browser/bridge/functions.test.ts',
  'slots/sb-toolbar/sb-toolbar.test.ts',
  'slots/sb-item-viewer/sb-item-viewer.test.ts',
  'test/browser/registry/registry.test.ts',
  'test/browser/dataloop/adapter.test.ts',
  'test/browser/wizard/settings-and-reports.test.ts',
];

/** A step that is not itself a test counts as one failed test when it fails. */
async function step(name, command, args) {
  console.log(`\n== ${name}`);
  const { code } = await run(command, args);
  if (code !== 0) {
    console.log(`${name} failed (exit ${code})`);
    failed++;
  }
  return code === 0;
}

const bin = (name) => join(root, 'node_modules', '.bin', name);

/** One web-test-runner run: its tests counted, and a run that did not report its counts as one failure. */
async function browserTests(title, config, files = []) {
  console.log(`\n== ${title}`);
  const dir = mkdtempSync(join(tmpdir(), 'slotbridge-test-'));
  const resultsFile = join(dir, 'browser.json');
  const browser = await run(bin('wtr'), ['--config', config, ...files.flatMap((f) => ['--files', f])], { SB_RESULTS_FILE: resultsFile });
  try {
    const counts = JSON.parse(readFileSync(resultsFile, 'utf8'));
    passed += counts.passed;
    failed += counts.failed;
    if (browser.code !== 0 && counts.failed === 0) failed++;
  } catch {
    console.log(`${title}: no counts reported`);
    failed++;
  }
  rmSync(dir, { recursive: true, force: true });
}
// Build first: the demo and the package tests type-check against dist/.
const built = quick && existsSync(join(root, 'dist/cli.js')) ? true : await step('build', bin('rollup'), ['-c']);
if (!quick) {
  await step('type check', bin('tsc'), ['--noEmit']);
  // A formatter decides the layout (lit's templates are left as written: their whitespace renders).
  await step('format check', 'npm', ['run', '--silent', 'format:check']);
  // typescript-eslint's strict type-checked rules, lit's and web components' (eslint.config.mjs says where and why a rule differs).
  await step('lint', 'npm', ['run', '--silent', 'lint']);
}

if (built) {
  console.log('\n== Node tests');
  const files = readdirSync(join(root, 'test/node'))
    .filter((f) => f.endsWith('.test.ts') && !(quick && SLOW_NODE.has(f)))
    .map((f) => join('test/node', f));
  const node = await run(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files]);
  const count = (label) => Number(node.output.match(new RegExp(`^\\S*\\s*${label} (\\d+)$`, 'm'))?.[1] ?? NaN);
  const [p, f] = [count('pass'), count('fail')];
  if (Number.isNaN(p) || Number.isNaN(f)) failed++;
  else {
    passed += p;
    failed += f;
  }
  if (node.code !== 0 && !(f > 0)) failed++;

  await browserTests('Browser tests', 'test/web-test-runner.config.mjs', quick ? QUICK_BROWSER : []);
  if (!quick) {
    await browserTests('The built package in native-ESM tooling', 'test/package/web-test-runner.config.mjs');
    console.log('\n== Security suite (npm run test:security)');
    const security = await runSecuritySuite();
    passed += security.passed;
    failed += security.failed;
  }
}

console.log(`\ntests: ${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 && passed > 0 ? 0 : 1;
