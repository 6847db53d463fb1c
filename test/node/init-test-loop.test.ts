// An author's first minutes, as the getting-started guide says them: slotbridge
// packed from a checkout and installed in a fresh folder, `npx slotbridge init t
// && cd t && npm install && npm test`, the new app depending on that same
// tarball, its panel's test run by web-test-runner in headless Chromium against
// createMockHost.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

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
  it('follows the getting-started guide in a fresh folder: the packed slotbridge installed, init, the app installed against the same tarball, its npm test green', () => {
    // A checkout as a fresh clone has it (its tracked files, nothing built; its dependencies linked), where npm pack
    // builds (prepack) and packs. Not this folder: its dist/ is what the other tests read.
    const checkout = join(work, 'checkout');
    const tracked = String(spawnSync('git', ['ls-files', '-z'], { cwd: repo, encoding: 'utf8' }).stdout)
      .split('\0')
      .filter(Boolean);
    assert.ok(tracked.includes('package.json'), 'git lists the checkout');
    for (const file of tracked) {
      if (!existsSync(join(repo, file))) continue;
      mkdirSync(dirname(join(checkout, file)), { recursive: true });
      copyFileSync(join(repo, file), join(checkout, file));
    }
    symlinkSync(join(repo, 'node_modules'), join(checkout, 'node_modules'));
    const pack = npm(['pack', '--pack-destination', work], checkout);
    assert.equal(pack.status, 0, String(pack.stderr));
    const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
    assert.ok(tarball, 'npm pack wrote no tarball');

    // In a fresh folder, as the guide says: install the tarball, then npx slotbridge init.
    const user = join(work, 'user');
    mkdirSync(user);
    const installed = npm(['install', '--prefer-offline', '--no-audit', '--no-fund', join(work, tarball)], user);
    assert.equal(installed.status, 0, `npm install of the tarball failed:\n${installed.stderr}`);
    const init = spawnSync('npx', ['slotbridge', 'init', 't'], { cwd: user, env, encoding: 'utf8', timeout: 60_000 });
    assert.equal(init.status, 0, init.stderr);
    assert.match(init.stdout, /npm install && npm test/);
    const app = join(user, 't');
    const pkg = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8'));
    assert.equal(pkg.devDependencies.slotbridge, `file:${join(work, tarball)}`, 'a new app depends on the slotbridge that made it');

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
    assert.notEqual(broken.status, 0, "the app's test passed with the panel no longer following the context");
    assert.match(`${broken.stdout}`, /1 failed/);
  });

  it('depends, run from a checkout, on that checkout', () => {
    const init = spawnSync(process.execPath, [cli, 'init', 'from-checkout'], { cwd: work, encoding: 'utf8', timeout: 20_000 });
    assert.equal(init.status, 0, init.stderr);
    const pkg = JSON.parse(readFileSync(join(work, 'from-checkout', 'package.json'), 'utf8'));
    assert.equal(pkg.devDependencies.slotbridge, `file:${repo.replace(/\/$/, '')}`);
  });
});
