// `npm test`: build, type check, format check, Node tests, browser tests, the security suite; ends with `tests: N passed, M failed`.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, mkdtempSync } from 'node:fs';
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
async function browserTests(title, config) {
  console.log(`\n== ${title}`);
  const dir = mkdtempSync(join(tmpdir(), 'slotbridge-test-'));
  const resultsFile = join(dir, 'browser.json');
  const browser = await run(bin('wtr'), ['--config', config], { SB_RESULTS_FILE: resultsFile });
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
const built = await step('build', bin('rollup'), ['-c']);
await step('type check', bin('tsc'), ['--noEmit']);
// A formatter decides the layout (lit's templates are left as written: their whitespace renders).
await step('format check', 'npm', ['run', '--silent', 'format:check']);

if (built) {
  console.log('\n== Node tests');
  const files = readdirSync(join(root, 'test/node'))
    .filter((f) => f.endsWith('.test.ts'))
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

  await browserTests('Browser tests', 'test/web-test-runner.config.mjs');
  await browserTests('The built package in native-ESM tooling', 'test/package/web-test-runner.config.mjs');

  console.log('\n== Security suite (npm run test:security)');
  const security = await runSecuritySuite();
  passed += security.passed;
  failed += security.failed;
}

console.log(`\ntests: ${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 && passed > 0 ? 0 : 1;
