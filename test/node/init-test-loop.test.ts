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
import { startPlatform } from './support/platform-process.js';

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
    // Pyodide is an optional peer: a platform or an app without Python does not download it.
    assert.equal(existsSync(join(user, 'node_modules', 'pyodide')), false, 'pyodide was installed with slotbridge');
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

  it('says on the page and in the terminal what an app needs that is not installed: Pyodide for its Python, the jssdk for a Dataloop panel that loads dlAppLib.js', async () => {
    const user = join(work, 'user');
    const installed = { cli: join(user, 'node_modules', 'slotbridge', 'dist', 'cli.js'), cwd: user };
    assert.ok(existsSync(installed.cli), 'the first test installed slotbridge here');
    const python = spawnSync(process.execPath, [installed.cli, 'init', 'py', '--python'], {
      cwd: user,
      env,
      encoding: 'utf8',
      timeout: 20_000,
    });
    assert.equal(python.status, 0, python.stderr);
    const own = JSON.parse(readFileSync(join(user, 'node_modules', 'slotbridge', 'package.json'), 'utf8'));
    const pkg = JSON.parse(readFileSync(join(user, 'py', 'package.json'), 'utf8'));
    assert.equal(pkg.devDependencies.pyodide, own.peerDependencies.pyodide, 'an app with Python installs the Pyodide slotbridge names');

    // A Dataloop app whose panel loads dlAppLib.js from Dataloop's servers, as published panels do.
    const dataloop = join(user, 'dl');
    mkdirSync(join(dataloop, 'panels', 'main'), { recursive: true });
    writeFileSync(
      join(dataloop, 'dataloop.json'),
      JSON.stringify({ name: 'dl', scope: 'system', components: { panels: [{ name: 'main', supportedSlots: [{ type: 'itemViewer' }] }] } }),
    );
    writeFileSync(
      join(dataloop, 'panels', 'main', 'index.html'),
      '<!doctype html><script src="https://console.dataloop.ai/dlAppLib.js"></script><p>main</p>',
    );

    for (const [app, problem] of [
      ['py', /Pyodide, which is not installed beside slotbridge: run npm install --save-dev pyodide/],
      ['dl', /@dataloop-ai\/jssdk provides here, and it is not installed: .*npm install --save-dev @dataloop-ai\/jssdk/],
    ] as const) {
      const dev = await startPlatform(['dev', app], installed);
      try {
        // On stderr, the addresses on stdout: the two pipes may arrive in either order.
        for (let i = 0; i < 50 && !problem.test(dev.output()); i++) await new Promise((r) => setTimeout(r, 100));
        assert.match(dev.output(), problem, `${app}: the terminal says it`);
        const config = (await (await fetch(new URL('__slotbridge/config.json', dev.url))).json()) as { problems?: string[] };
        assert.match(String(config.problems), problem, `${app}: the page is told`);
      } finally {
        assert.equal(await dev.stop(), 0);
      }
    }
  });

  it('depends, run from a checkout, on that checkout', () => {
    const init = spawnSync(process.execPath, [cli, 'init', 'from-checkout'], { cwd: work, encoding: 'utf8', timeout: 20_000 });
    assert.equal(init.status, 0, init.stderr);
    const pkg = JSON.parse(readFileSync(join(work, 'from-checkout', 'package.json'), 'utf8'));
    assert.equal(pkg.devDependencies.slotbridge, `file:${repo.replace(/\/$/, '')}`);
  });
});
