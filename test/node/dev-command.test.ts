// `slotbridge init` then `slotbridge dev` on the new app: the template runs
// unchanged inside the local platform, and a change to its files reloads it.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { frameOf, openBrowser, screenshot, startPlatform, until, type PlatformProcess } from './support/platform-process.js';

const cli = new URL('../../dist/cli.js', import.meta.url).pathname;
// A command that should stop on its own gets 20 s, so a regression fails instead of hanging.
const slotbridge = (args: string[]) =>
  spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 20_000, killSignal: 'SIGKILL' });

let work: string;
let app: string;

before(() => {
  work = mkdtempSync(join(tmpdir(), 'slotbridge-dev-'));
  app = join(work, 'Shape Notes');
});
after(() => rmSync(work, { recursive: true, force: true }));

describe('slotbridge init', () => {
  it('writes a valid app with one panel, one toolbar and the guest SDK', () => {
    const result = slotbridge(['init', app]);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /Created shape-notes/);
    const manifest = JSON.parse(readFileSync(join(app, 'app.json'), 'utf8'));
    assert.equal(manifest.name, 'shape-notes');
    assert.equal(manifest.components.panels.length, 1);
    assert.equal(manifest.components.toolbars.length, 1);
    assert.equal(
      readFileSync(join(app, 'lib/slotbridge-guest.js'), 'utf8'),
      readFileSync(new URL('../../dist/browser/slotbridge-guest.js', import.meta.url), 'utf8'),
    );
    assert.equal(slotbridge(['validate', app]).status, 0);
  });

  it('names the folder once when the app takes its name from it', () => {
    const result = slotbridge(['init', join(work, 'my-app')]);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^Created .*my-app\/: app\.json/m);
    assert.doesNotMatch(result.stdout, /my-app in /);
  });

  it('refuses a folder that is not empty, and writes nothing there', () => {
    const result = slotbridge(['init', app]);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /already exists and is not an empty folder/);
  });

  it('packs the new app with its SDK', () => {
    const zip = join(work, 'notes.zip');
    const result = slotbridge(['pack', app, '-o', zip]);
    assert.equal(result.status, 0, result.stderr);
    assert.ok(existsSync(zip));
  });
});

describe('slotbridge dev', { timeout: 120_000 }, () => {
  let dev: PlatformProcess;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  before(async () => {
    dev = await startPlatform(['dev', app]);
    ({ browser, page, errors } = await openBrowser());
    await page.goto(dev.url);
  });
  after(async () => {
    await browser?.close();
    assert.equal(await dev?.stop(), 0);
  });

  it('says where the platform and the app are served', () => {
    assert.match(dev.output(), /slotbridge dev: shape-notes@0\.1\.0 is valid/);
    assert.match(dev.output(), /app {7}http:\/\/127\.0\.0\.1:\d+\/shape-notes\//);
  });

  it('runs the new app unchanged in a scratch project: its panel shows the item, its toolbar is there', async () => {
    await until(page, () => document.querySelector('#dev-badge:not([hidden])')?.textContent?.includes('shape-notes'), 'the dev badge');
    const panel = await frameOf(page, '/shape-notes/panels/main/');
    const item = await page.$eval('main h1', (h) => h.textContent);
    await until(panel, () => document.querySelector('#app h1') !== null, 'the panel to connect');
    assert.equal(await panel.$eval('#app h1', (t) => t.textContent), item);
    await page.waitForSelector('sb-toolbar >>> [part="button"]::-p-text(Open Shape notes)');
    await panel.$eval('#app button', (b) => b.click());
    await until(
      page,
      () => document.querySelector('#toasts li')?.textContent === 'Shape notes: Hello from shape-notes',
      'the hello notification',
    );
    await screenshot(page, 'dev');
  });

  it('reloads the panel when a panel file changes', async () => {
    const file = join(app, 'panels/main/main.js');
    writeFileSync(file, `${readFileSync(file, 'utf8')}\ndocument.body.dataset.version = 'edited';\n`);
    // The reloaded panel is a new document: look for it among the frames until it runs the edited code.
    let reloaded = false;
    for (let i = 0; i < 150 && !reloaded; i++) {
      for (const frame of page.frames().filter((f) => f.url().includes('/shape-notes/panels/main/'))) {
        if ((await frame.evaluate(() => document.body.dataset['version']).catch(() => undefined)) === 'edited') reloaded = true;
      }
      if (!reloaded) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(reloaded, 'the panel runs the edited code');
    assert.match(dev.output(), /panels\/main\/main\.js changed; reloading the panels/);
  });

  it('shows an invalid manifest in the page and keeps the last valid app; a fixed one reloads the page', async () => {
    const manifestFile = join(app, 'app.json');
    const good = readFileSync(manifestFile, 'utf8');
    writeFileSync(manifestFile, good.replace('"permissions": [', '"permissions": ["not a permission", '));
    const problem = await until(
      page,
      () => !document.querySelector<HTMLElement>('#dev-problems')!.hidden && document.querySelector('#dev-problems')!.textContent,
      'the problem banner',
    );
    assert.match(String(problem), /permissions\[0\]/);
    assert.match(dev.output(), /app\.json is not valid; the page keeps the last valid version/);
    await frameOf(page, '/shape-notes/panels/main/');

    const navigation = page.waitForNavigation();
    writeFileSync(manifestFile, good);
    await navigation;
    await until(page, () => document.querySelector<HTMLElement>('#dev-problems')!.hidden, 'the banner to go');
    await frameOf(page, '/shape-notes/panels/main/');
    assert.deepEqual(errors, []);
  });

  it("serves what the app's pages load only: not through symbolic links out of it, not notes, keys or server-side code beside it, not under another host name", async () => {
    const appsUrl = new URL(dev.output().match(/app {7}(http:\/\/127\.0\.0\.1:\d+\/shape-notes\/)/)![1]);
    const outside = join(work, 'outside');
    mkdirSync(outside, { recursive: true });
    writeFileSync(join(outside, 'secret.js'), 'the platform secret');
    symlinkSync('/etc/passwd', join(app, 'panels/main/passwd.js'));
    symlinkSync(outside, join(app, 'panels/main/linked'));
    writeFileSync(join(app, 'secrets.txt'), 'a key');
    writeFileSync(join(app, 'notes'), 'a note');
    // Files of a type pages load, but no page's: a key file and server-side code beside the app.
    writeFileSync(join(app, 'secrets.json'), '{"token": "a key"}');
    mkdirSync(join(app, 'modules/server'), { recursive: true });
    writeFileSync(join(app, 'modules/server/main.py'), 'TOKEN = "a key"');
    const get = (path: string, host = appsUrl.host) =>
      new Promise<number>((resolve, reject) => {
        request({ host: appsUrl.hostname, port: appsUrl.port, path: `${appsUrl.pathname}${path}`, headers: { host } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        })
          .on('error', reject)
          .end();
      });
    assert.equal(await get('panels/main/main.js'), 200);
    assert.equal(await get('app.json'), 200, 'the platform reads the manifest');
    const hidden = [
      'secrets.json',
      'modules/server/main.py',
      'panels/%2e%2e/secrets.json',
      'panels/main/..%2f..%2fsecrets.json',
      'lib/../secrets.json',
    ];
    for (const path of [
      'panels/main/passwd.js',
      'panels/main/linked/secret.js',
      'secrets.txt',
      'notes',
      'panels/main/%2e%2e/%2e%2e/secrets.txt',
      '.git/config',
      ...hidden,
    ]) {
      assert.equal(await get(path), 404, path);
    }
    for (const host of [`rebound.example:${appsUrl.port}`, 'localhost', `127.0.0.1:${Number(appsUrl.port) + 1}`]) {
      assert.equal(await get('panels/main/main.js', host), 421, host);
    }
    const platform = new URL(dev.url);
    const onPlatform = await new Promise<number>((resolve) =>
      request({ host: platform.hostname, port: platform.port, path: '/', headers: { host: `rebound.example:${platform.port}` } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }).end(),
    );
    assert.equal(onPlatform, 421);
    for (const file of ['panels/main/passwd.js', 'panels/main/linked', 'secrets.txt', 'notes', 'secrets.json', 'modules'])
      rmSync(join(app, file), { force: true, recursive: true });
  });

  it('refuses to start on an invalid app, with the validator messages', () => {
    const broken = join(work, 'broken');
    mkdirSync(broken);
    writeFileSync(join(broken, 'app.json'), JSON.stringify({ name: 'broken', permissions: ['everything'] }));
    const result = slotbridge(['dev', broken, '--port', '0', '--apps-port', '0']);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /is not valid; fix it and run again/);
    assert.match(result.stderr, /permissions\[0\]: "everything" is not valid/);
  });

  it('says plainly when a port is taken', async () => {
    const port = new URL(dev.url).port;
    const result = slotbridge(['dev', app, '--port', port, '--apps-port', '0']);
    assert.equal(result.status, 1);
    assert.match(result.stderr, new RegExp(`Port ${port} on localhost is already in use.*--port`));
  });
});

describe('slotbridge dev on a Dataloop app folder (real, published, unchanged)', { timeout: 120_000 }, () => {
  const shared = new URL('../../../shared/conformance/dataloop-panels/', import.meta.url).pathname;
  let dev: PlatformProcess;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  after(async () => {
    await browser?.close();
    assert.equal(await dev?.stop(), 0);
  });

  it('serves its panels/ folder at the root of an origin of its own, and says where dlAppLib.js comes from', async () => {
    dev = await startPlatform(['dev', join(shared, 'example-route-slot')]);
    assert.match(dev.output(), /slotbridge dev: route-slot-example@0\.0\.1 is valid/);
    const own = dev
      .output()
      .match(/app {7}(http:\/\/127\.0\.0\.1:\d+\/) \(a Dataloop app: its panels\/ folder at the root of its own origin\)/)?.[1];
    assert.ok(own, dev.output());
    assert.match(dev.output(), /dlAppLib\.js from Dataloop's servers get @dataloop-ai\/jssdk [\d.]+'s copy/);
    // Root-absolute asset paths, as the build wrote them, resolve.
    const index = await (await fetch(`${own}route-slot/index.html`)).text();
    const asset = index.match(/src="(\/route-slot\/assets\/[^"]+\.js)"/)?.[1];
    assert.ok(asset, 'the build loads its script from the root');
    const script = await fetch(new URL(asset, own));
    assert.equal(script.status, 200);
    assert.equal(script.headers.get('access-control-allow-origin'), '*');
    // Only panels/ is on this origin, and only under its own name.
    for (const path of ['dataloop.json', 'route-slot/%2e%2e/%2e%2e/dataloop.json', '../dataloop.json'])
      assert.equal((await fetch(`${own}${path}`)).status, 404, path);
    const port = new URL(own).port;
    const rebound = await new Promise<number>((resolve) =>
      request({ host: '127.0.0.1', port, path: '/route-slot/index.html', headers: { host: `rebound.example:${port}` } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }).end(),
    );
    assert.equal(rebound, 421);
  });

  it('shows its route page in the platform: the panel reads the user, the project and the theme through its jssdk', async () => {
    ({ browser, page, errors } = await openBrowser());
    await page.goto(`${dev.url}#/apps/route-slot-example`);
    const frame = await frameOf(page, '/route-slot/index.html');
    assert.equal(await page.$eval('sb-route', (r) => r.shadowRoot!.querySelector('iframe')!.getAttribute('sandbox')), 'allow-scripts');
    const text = await until(
      frame,
      () => (/User:/.test(document.body.innerText) && /Theme:\s+\S/.test(document.body.innerText) ? document.body.innerText : ''),
      'the panel to read its settings and project',
      20_000,
    );
    assert.match(text, /User:\s+Ada Lovelace\s+Project ID:\s+scratch\s+Theme:\s+Light/);
    await screenshot(page, 'dev-dataloop-route');
    assert.deepEqual(errors, []);
  });
});

describe("slotbridge dev on a Dataloop app that loads dlAppLib.js from Dataloop's servers", { timeout: 120_000 }, () => {
  const shared = new URL('../../../shared/conformance/dataloop-panels/', import.meta.url).pathname;
  let dev: PlatformProcess;

  after(async () => assert.equal(await dev?.stop(), 0));

  it("serves the page with the installed jssdk's copy in its place, and nothing else changed", async () => {
    dev = await startPlatform(['dev', join(shared, 'active-learning')]);
    const own = dev.output().match(/app {7}(http:\/\/127\.0\.0\.1:\d+\/)/)![1];
    const served = await (await fetch(`${own}dataSplit/index.html`)).text();
    const original = readFileSync(join(shared, 'active-learning/panels/dataSplit/index.html'), 'utf8');
    assert.match(original, /<script src="https:\/\/rc-con\.dataloop\.ai\/dlAppLib\.js"><\/script>/);
    assert.equal(served, original.replace('https://rc-con.dataloop.ai/dlAppLib.js', '/__slotbridge/dlAppLib.js'));
    const lib = await fetch(`${own}__slotbridge/dlAppLib.js`);
    assert.equal(lib.headers.get('access-control-allow-origin'), '*');
    assert.match(await lib.text(), /xFrameDriver/);
  });
});

describe('slotbridge init --python, run under dev', { timeout: 120_000 }, () => {
  let work: string;
  let dev: PlatformProcess;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  before(() => (work = mkdtempSync(join(tmpdir(), 'slotbridge-python-'))));
  after(async () => {
    await browser?.close();
    if (dev) assert.equal(await dev.stop(), 0);
    rmSync(work, { recursive: true, force: true });
  });

  it('writes a valid app with a Python function, whose button runs it in the browser', async () => {
    const app = join(work, 'py-app');
    const made = slotbridge(['init', app, '--python']);
    assert.equal(made.status, 0, made.stderr);
    assert.match(made.stdout, /a Python function \(modules\/main\.py\), two toolbar buttons/);
    assert.equal(slotbridge(['validate', app]).status, 0);
    dev = await startPlatform(['dev', app]);
    ({ browser, page, errors } = await openBrowser());
    await page.goto(dev.url);
    const button = await page.waitForSelector('sb-toolbar >>> [part="button"][title]::-p-text(Describe (Python))', { timeout: 15_000 });
    const item = await page.$eval('main h1', (h) => h.textContent);
    await button!.click();
    const status = await until(
      page,
      () => {
        const text =
          document.querySelector('sb-toolbar[location="itemMenu"]')!.shadowRoot!.querySelector('.status .text')?.textContent ?? '';
        return text.includes('description') ? text : '';
      },
      "the Python function's output",
      30_000,
    );
    assert.match(
      status,
      new RegExp(`^Describe \\(Python\\): description ${item}: background \\w+, objects \\d+, source drawn \\(project scratch\\)$`),
    );
    // Its print() is in the terminal, named by its app.
    for (let i = 0; i < 50 && !/\[py-app\] describing \S+/.test(dev.output()); i++) await new Promise((r) => setTimeout(r, 100));
    assert.match(dev.output(), /^ {2}\[py-app\] describing \S+$/m);
    assert.deepEqual(errors, []);
  });
});

describe('slotbridge dev, an app with functions on a queue', { timeout: 120_000 }, () => {
  let work: string;
  let dev: PlatformProcess | undefined;
  let browser: Browser | undefined;
  before(() => {
    work = mkdtempSync(join(tmpdir(), 'slotbridge-dev-queue-'));
  });
  after(async () => {
    await browser?.close();
    if (dev) assert.equal(await dev.stop(), 0);
    rmSync(work, { recursive: true, force: true });
  });

  it("runs them on a runner of its own, from the app's folder as it is at each run", async () => {
    const app = join(work, 'queued');
    mkdirSync(app);
    const number = (name: string, type: string) => ({ name, type });
    const manifest = {
      name: 'queued',
      version: '1.0.0',
      components: {
        modules: [
          {
            name: 'maths',
            entryPoint: 'maths.py',
            computeConfig: 'default',
            functions: [{ name: 'divide', input: [number('a', 'Integer'), number('b', 'Integer')], output: [number('quotient', 'Float')] }],
          },
        ],
      },
    };
    writeFileSync(join(app, 'app.json'), JSON.stringify(manifest));
    writeFileSync(join(app, 'maths.py'), 'def divide(a, b):\n    print("dividing", a, "by", b)\n    return a / b\n');
    dev = await startPlatform(['dev', app]);
    assert.match(dev.output(), /queue +http:\/\/[\w.:]+\/ \(an embedded registry service; runner dev-runner/);
    let page: Page;
    ({ browser, page } = await openBrowser());
    await page.goto(dev.url);
    const run = () =>
      page.evaluate(async () => {
        const { host } = (
          globalThis as unknown as {
            demo: { host: { execute(...a: unknown[]): Promise<{ outputs: unknown; error?: { message: string } }> } };
          }
        ).demo;
        const done = await host.execute('queued', 'maths.divide', { a: 7, b: 2 });
        return { outputs: done.outputs, error: done.error?.message ?? null };
      });
    await page.waitForFunction(() => 'demo' in globalThis);
    assert.deepEqual(await run(), { outputs: { quotient: 3.5 }, error: null });
    // An edit is what the next run runs: nothing to publish, nothing to restart.
    const navigated = page.waitForNavigation();
    writeFileSync(join(app, 'maths.py'), 'def divide(a, b):\n    return a // b\n');
    await navigated;
    assert.match(dev.output(), /dev: maths\.py changed; reloading the page/);
    await page.waitForFunction(() => 'demo' in globalThis);
    assert.deepEqual(await run(), { outputs: { quotient: 3 }, error: null });
    // What the function printed on the runner reached the terminal through the page.
    assert.match(dev.output(), /^ {2}\[queued\] dividing 7 by 2$/m);
  });
});
