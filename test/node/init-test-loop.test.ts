// An author's first minutes, as the getting-started guide says them: slotbridge
// packed from a checkout and installed in a fresh folder, `npx slotbridge init t
// && cd t && npm install && npm test`, the new app depending on that same
// tarball, its panel's test run by web-test-runner in headless Chromium against
// createMockHost.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { frameOf, openBrowser, startPlatform, until } from './support/platform-process.js';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

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
    const tracked = spawnSync('git', ['ls-files', '-z'], { cwd: repo, encoding: 'utf8' }).stdout.split('\0').filter(Boolean);
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

  it("follows the platform guide's code as written: its api, host and slots bundled against the installed package, its apps server serving a new app, the page showing it", async () => {
    const user = join(work, 'user');
    const guide = readFileSync(join(repo, 'docs/getting-started-platform.md'), 'utf8');
    const blocks = [...guide.matchAll(/^( *)```(\w+)\n([\s\S]*?)^\1```$/gm)].map(([, indent, lang, code]) => ({
      lang: lang,
      code: code.replace(new RegExp(`^${indent}`, 'gm'), ''),
    }));
    const ts = blocks.filter((b) => b.lang === 'ts').map((b) => b.code);
    const html = blocks.find((b) => b.lang === 'html')!.code;
    const server = blocks.find((b) => b.lang === 'js' && b.code.includes('apps-server.mjs'))!.code;
    assert.equal(ts.length, 3, 'the api, the host, the slots');

    // As the guide says: zod a dependency of the platform's own; an app made by init, served by the guide's server.
    const zod = npm(['install', '--prefer-offline', '--no-audit', '--no-fund', 'zod'], user);
    assert.equal(zod.status, 0, String(zod.stderr));
    const platform = join(user, 'platform');
    mkdirSync(join(platform, 'apps'), { recursive: true });
    const init = spawnSync(process.execPath, [join(user, 'node_modules/slotbridge/dist/cli.js'), 'init', 'counter'], {
      cwd: join(platform, 'apps'),
      encoding: 'utf8',
    });
    assert.equal(init.status, 0, init.stderr);
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    writeFileSync(join(platform, 'apps-server.mjs'), server.replace('.listen(8001,', `.listen(${port},`));
    // What the guide leaves to the platform: its data.
    const prelude = `const db = { items: new Map([['i1', { id: 'i1', name: 'cat.jpg', project: 'p1', metadata: { width: 640 } }]]) };
const item = db.items.get('i1')!;
const dataset = { id: 'd1', name: 'Cats' };
`;
    const main = prelude + ts.join('\n').replace('https://apps.example-cdn.com/counter/1.0.0/', `http://127.0.0.1:${port}/counter/`);
    writeFileSync(join(platform, 'main.ts'), main);
    writeFileSync(
      join(platform, 'index.html'),
      `<!doctype html><meta charset="utf-8"><body>${html.replace('./main.ts', './main.js')}</body>`,
    );
    // It type-checks as written (strict), against the package's own types: no cast a reader would have to guess.
    writeFileSync(
      join(platform, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'es2022',
          module: 'esnext',
          moduleResolution: 'bundler',
          strict: true,
          noEmit: true,
          lib: ['es2022', 'dom', 'dom.iterable'],
        },
        files: ['main.ts'],
      }),
    );
    const checked = spawnSync(process.execPath, [join(repo, 'node_modules/typescript/bin/tsc'), '-p', platform], { encoding: 'utf8' });
    assert.equal(checked.status, 0, `${checked.stdout}${checked.stderr}`);
    const built = spawnSync(
      join(repo, 'node_modules/.bin/esbuild'),
      ['main.ts', '--bundle', '--format=esm', '--target=es2022', '--outfile=main.js', '--log-level=warning'],
      { cwd: platform, encoding: 'utf8' },
    );
    assert.equal(built.status, 0, built.stderr);

    const apps = spawn(process.execPath, ['apps-server.mjs', './apps'], { cwd: platform, stdio: 'ignore' });
    const page$ = createServer((req, res) => {
      const file = req.url === '/main.js' ? 'main.js' : 'index.html';
      res
        .writeHead(200, { 'content-type': file.endsWith('.js') ? 'text/javascript' : 'text/html' })
        .end(readFileSync(join(platform, file)));
    });
    await new Promise<void>((resolve) => page$.listen(0, 'localhost', resolve));
    const { browser, page, errors } = await openBrowser();
    try {
      await page.goto(`http://localhost:${(page$.address() as AddressInfo).port}/`);
      await page.waitForSelector('sb-toolbar >>> button::-p-text(Open Counter)', { timeout: 15_000 });
      const tabs = await page.$$eval('sb-side-panel >>> [role="tab"]', (list) => list.map((t) => t.textContent.trim()));
      assert.deepEqual(tabs, ['Details', 'Counter'], "the platform's own side panel first, the app's beside it");
      await (await page.waitForSelector('sb-side-panel >>> [role="tab"]::-p-text(Counter)'))!.click();
      const panel = await frameOf(page, '/counter/panels/main/');
      const shown = await until(panel, () => document.querySelector('#app h1')?.textContent, 'the panel showing the item');
      assert.equal(shown, 'cat.jpg');
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
      apps.kill();
      page$.close();
    }
  });

  it('depends, run from a checkout, on that checkout', () => {
    const init = spawnSync(process.execPath, [cli, 'init', 'from-checkout'], { cwd: work, encoding: 'utf8', timeout: 20_000 });
    assert.equal(init.status, 0, init.stderr);
    const pkg = JSON.parse(readFileSync(join(work, 'from-checkout', 'package.json'), 'utf8'));
    assert.equal(pkg.devDependencies.slotbridge, `file:${repo.replace(/\/$/, '')}`);
  });
});
