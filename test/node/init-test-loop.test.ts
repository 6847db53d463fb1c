// An author's first minutes: `slotbridge init t && cd t && npm install && npm test`,
// the new app depending on slotbridge as packed (npm pack), its panel's test run
// by web-test-runner in headless Chromium against createMockHost.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const repo = new URL('../..', import.meta.url).pathname;
const cli = join(repo, 'dist/cli.js');
// The child npm runs as a user's would: none of this run's npm settings leak in.
const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
const npm = (args: string[], cwd: string, options: SpawnSyncOptions = {}) =>
  spawnSync('npm', args, { cwd, env, encoding: 'utf8', timeout: 240_000, killSignal: 'SIGKILL', ...options });

let work: string;
before(() => {
  work = mkdtempSync(join(tmpdir(), 'slotbridge-init-loop-'));
});
after(() => rmSync(work, { recursive: true, force: true }));

describe('the app slotbridge init writes', { timeout: 600_000 }, () => {
  it('installs against the packed slotbridge and passes its own npm test', () => {
    const pack = npm(['pack', '--pack-destination', work], repo);
    assert.equal(pack.status, 0, String(pack.stderr));
    const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
    assert.ok(tarball, 'npm pack wrote no tarball');

    const init = spawnSync(process.execPath, [cli, 'init', 't'], { cwd: work, encoding: 'utf8', timeout: 20_000 });
    assert.equal(init.status, 0, init.stderr);
    assert.match(init.stdout, /npm install && npm test/);
    const app = join(work, 't');
    const pkg = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8'));
    const { version } = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
    assert.equal(pkg.devDependencies.slotbridge, `^${version}`, 'a new app depends on the slotbridge that made it');
    pkg.devDependencies.slotbridge = `file:../${tarball}`;
    writeFileSync(join(app, 'package.json'), JSON.stringify(pkg, null, 2));

    const install = npm(['install', '--prefer-offline', '--no-audit', '--no-fund'], app);
    assert.equal(install.status, 0, `npm install failed:\n${install.stderr}`);
    const test = npm(['test'], app);
    const output = `${test.stdout}\n${test.stderr}`;
    assert.equal(test.status, 0, `npm test failed:\n${output}`);
    assert.match(output, /4 passed, 0 failed/);

    // The panel's logic is what the test exercised: breaking it turns the app's tests red.
    const panel = join(app, 'panels/main/panel.js');
    writeFileSync(panel, readFileSync(panel, 'utf8').replace("host.on('context', show);", ''));
    const broken = npm(['test'], app);
    assert.notEqual(broken.status, 0, 'the app\'s test passed with the panel no longer following the context');
    assert.match(`${broken.stdout}`, /1 failed/);
  });
});
