// Runs the security suite (attacks, fuzzing, faults, soak) in headless
// Chromium and prints its table: per class, the cases, the hostile inputs
// tried, how many were refused, whether the host stayed healthy after each
// case, and the leaks found.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

const root = new URL('../..', import.meta.url).pathname;

/** The suite's classes, in the order SECURITY.md lists them. */
export const CLASSES = [
  'sandbox escape',
  'origin and identity spoofing',
  'permission escalation',
  'injection',
  'resource abuse',
  'UI integrity',
  'fuzzing: protocol',
  'fuzzing: manifests',
  'faults',
  'soak',
  'xFrame',
  'Python',
  'registry service',
];

/** Rows (one per case) into the table's lines: one per class, then the total. */
export function formatTable(rows) {
  const empty = () => ({ cases: 0, tried: 0, refused: 0, healthy: 0, leaks: 0 });
  const byClass = new Map(CLASSES.map((c) => [c, empty()]));
  const total = empty();
  for (const row of rows) {
    if (!byClass.has(row.class)) byClass.set(row.class, empty());
    for (const entry of [byClass.get(row.class), total]) {
      entry.cases++;
      entry.tried += row.tried;
      entry.refused += row.refused;
      if (row.healthy) entry.healthy++;
      entry.leaks += row.leaks;
    }
  }
  const header = ['class', 'cases', 'tried', 'refused', 'host healthy', 'leaks found'];
  const lines = [...byClass, ['total', total]].map(([name, e]) =>
    [name, e.cases, e.tried, e.refused, `${e.healthy}/${e.cases}`, e.leaks].map(String),
  );
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const format = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [format(header), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.map(format)];
}

/** Node test files of the suite (the registry service's): their counts, each a row in the table through SB_SECURITY_FILE. */
function runNodeCases(file, tallyFile) {
  return new Promise((resolve) => {
    let output = '';
    const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', file], {
      cwd: root,
      env: { ...process.env, SB_SECURITY_FILE: tallyFile },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.stdout.on('data', (chunk) => {
      output += chunk;
      process.stdout.write(chunk);
    });
    child.on('close', (code) => {
      const count = (label) => Number(output.match(new RegExp(`^\\S*\\s*${label} (\\d+)$`, 'm'))?.[1] ?? NaN);
      const passed = count('pass');
      const failed = count('fail');
      if (Number.isNaN(passed) || Number.isNaN(failed)) resolve({ passed: 0, failed: 1 });
      else resolve({ passed, failed: failed + (code !== 0 && failed === 0 ? 1 : 0) });
    });
  });
}

/** Runs the suite; resolves with the test counts and the table rows. */
export function runSecuritySuite() {
  const dir = mkdtempSync(join(tmpdir(), 'slotbridge-security-'));
  const resultsFile = join(dir, 'results.json');
  const tallyFile = join(dir, 'tally.jsonl');
  return new Promise((resolve) => {
    const child = spawn(join(root, 'node_modules', '.bin', 'wtr'), ['--config', 'test/security/web-test-runner.config.mjs'], {
      cwd: root,
      env: { ...process.env, SB_RESULTS_FILE: resultsFile, SB_SECURITY_FILE: tallyFile },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('close', async (code) => {
      let passed = 0;
      let failed = 0;
      try {
        ({ passed, failed } = JSON.parse(readFileSync(resultsFile, 'utf8')));
        if (code !== 0 && failed === 0) failed++;
      } catch {
        console.log('the security suite did not report its counts');
        failed++;
      }
      // The registry service's cases run in Node, against the service itself.
      const server = await runNodeCases('test/security/node/server.test.ts', tallyFile);
      passed += server.passed;
      failed += server.failed;
      const rows = existsSync(tallyFile)
        ? readFileSync(tallyFile, 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((line) => JSON.parse(line))
        : [];
      rmSync(dir, { recursive: true, force: true });
      const leaks = rows.reduce((n, r) => n + r.leaks, 0);
      const unhealthy = rows.filter((r) => !r.healthy).length;
      // A leak or an unhealthy host fails the suite even where its test let it pass.
      if (leaks > 0 || unhealthy > 0) failed++;
      console.log('\nSecurity suite');
      for (const line of formatTable(rows)) console.log(line);
      resolve({ passed, failed, rows });
    });
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { passed, failed } = await runSecuritySuite();
  console.log(`\nsecurity tests: ${passed} passed, ${failed} failed`);
  process.exitCode = failed === 0 && passed > 0 ? 0 : 1;
}
