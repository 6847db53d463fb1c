// The demo platform as `npm start` serves it (the built CLI, two origins),
// driven in headless Chromium through every sample app. Screenshots go to
// test/screenshots/ (not committed).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'puppeteer-core';
import { frameOf, openBrowser, screenshot, startPlatform, until, type PlatformProcess } from './support/platform-process.js';

const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const runCli = (args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 30_000 });

let platform: PlatformProcess;
let browser: Browser;
let page: Page;
let errors: string[];

const go = async (hash: string) => {
  await page.evaluate((h) => (location.hash = h), hash);
  await page.waitForFunction((h) => location.hash === h, {}, hash);
};
/** Opens the first item of the current dataset page. */
const openFirstItem = async () => {
  const link = await page.$eval('.thumb', (a) => a.getAttribute('href')!);
  await go(link);
  await page.waitForSelector('sb-item-viewer');
};
/** Records the demo host's executions in the page (afresh after a reload): the toolbar shows outputs in words, the test reads them here. */
const recordExecutions = () =>
  page.evaluate(() => {
    const w = globalThis as unknown as { __executions?: unknown[]; demo: { host: { on(event: string, fn: (e: unknown) => void): void } } };
    if (w.__executions) return;
    const seen: unknown[] = (w.__executions = []);
    w.demo.host.on('execution', (e) => seen.push(e));
  });
/** The outputs of the newest successful run of `fn` (`module.function`) since `recordExecutions`. */
const outputsOf = async (fn: string): Promise<Record<string, any>> => {
  const newest = (name: string) =>
    (globalThis as any).__executions?.filter((e: any) => e.function === name && e.status === 'success').at(-1)?.outputs;
  return (await page.waitForFunction(newest, { timeout: 30_000, polling: 50 }, fn)).jsonValue();
};
/** The item toolbar's status once its function ran. */
const toolbarStatus = (what: string) =>
  until(
    page,
    () => {
      const text = document.querySelector('sb-toolbar[location="itemMenu"]')!.shadowRoot!.querySelector('.status .text')?.textContent ?? '';
      return text.endsWith('…') ? '' : text;
    },
    what,
    30_000,
  );

/** Clicks the toolbar button labelled `label` inside the `sb-toolbar` matching `toolbar`. */
const clickToolbar = async (toolbar: string, label: string) => {
  const button = await page.waitForSelector(`${toolbar} >>> [part="button"][title]::-p-text(${label})`, { timeout: 15_000 });
  await button!.click();
};

describe('the demo platform (slotbridge demo)', { timeout: 240_000 }, () => {
  before(async () => {
    platform = await startPlatform(['demo']);
    ({ browser, page, errors } = await openBrowser());
    await page.goto(`${platform.url}#/datasets`);
  });

  after(async () => {
    await browser?.close();
    assert.equal(await platform?.stop(), 0, 'the server stops cleanly on SIGTERM');
  });

  it('serves the platform page and the apps from two origins', async () => {
    assert.match(platform.output(), /slotbridge demo: http:\/\/localhost:\d+\//);
    const config = await (await fetch(`${platform.url}__slotbridge/config.json`)).json();
    assert.equal(config.mode, 'demo');
    const apps = config.apps as { folder: string; baseUrl: string; bridge?: string }[];
    assert.ok(apps.filter((a) => !a.bridge).every((a) => a.baseUrl.startsWith(platform.appsUrl)));
    // A Dataloop app: its panels/ folder at the root of an origin of its own, dlAppLib.js from the installed jssdk.
    const notes = apps.find((a) => a.folder === 'shape-notes')!;
    assert.equal(notes.bridge, 'dataloop');
    assert.match(notes.baseUrl, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    assert.notEqual(notes.baseUrl, platform.appsUrl);
    const panel = await fetch(`${notes.baseUrl}notes/index.html`);
    assert.equal(panel.headers.get('access-control-allow-origin'), '*');
    const html = await panel.text();
    assert.match(html, /<script src="\/__slotbridge\/dlAppLib\.js"><\/script>/);
    assert.doesNotMatch(html, /dataloop\.ai/);
    assert.match(await (await fetch(`${notes.baseUrl}__slotbridge/dlAppLib.js`)).text(), /xFrameDriver/);
    assert.equal((await fetch(`${notes.baseUrl}dataloop.json`)).status, 404, 'only panels/ is at the root');
    assert.match(platform.output(), /dlAppLib\.js from Dataloop's servers get @dataloop-ai\/jssdk [\d.]+'s copy/);
    // Apps are not served by the platform's origin, and the app server refuses paths outside an app.
    assert.equal((await fetch(`${platform.url}apps/metadata-viewer/app.json`)).status, 404);
    assert.equal((await fetch(`${platform.appsUrl}metadata-viewer/..%2f..%2fpackage.json`)).status, 404);
    const sdk = await fetch(`${platform.appsUrl}metadata-viewer/lib/slotbridge-guest.js`);
    assert.equal(sdk.headers.get('access-control-allow-origin'), '*');
    assert.match(await sdk.text(), /sb-secret|slotbridge/);
  });

  it('shows the datasets of the first project as a grid of sample images', async () => {
    await page.waitForSelector('.thumb img');
    const count = await page.$$eval('.thumb', (t) => t.length);
    assert.ok(count >= 12, `${count} thumbnails`);
    assert.equal(await page.$eval('#project', (s) => (s as HTMLSelectElement).selectedOptions[0].textContent), 'Vision demo');
    await screenshot(page, 'datasets');
  });

  it('opens dataset insights in the data browser: a chart of the dataset from another origin', async () => {
    const select = await page.waitForSelector('sb-data-browser >>> select');
    await select!.select('dataset-insights/insights');
    const frame = await frameOf(page, '/dataset-insights/panels/insights/');
    assert.ok(frame.url().startsWith(platform.appsUrl));
    const summary = await until(
      frame,
      () =>
        /^\d+ images, \d+ shapes/.test(document.querySelector('#summary')?.textContent ?? '') &&
        document.querySelector('#summary')!.textContent,
      'the insights summary',
    );
    const items = await page.$$eval('.thumb', (t) => t.length);
    assert.match(String(summary), new RegExp(`^${items} images`));
    assert.ok((await frame.$$('rect.bar')).length > 0, 'bars drawn');
    // Every label readable: no text of the chart (values, ticks, axis titles) covers another.
    const overlapping = await frame.$$eval('#chart text', (texts) => {
      const boxes = texts.map((t) => ({ text: t.textContent, box: t.getBoundingClientRect() }));
      return boxes.flatMap((a, i) =>
        boxes
          .slice(i + 1)
          .filter((b) => a.box.left < b.box.right && b.box.left < a.box.right && a.box.top < b.box.bottom && b.box.top < a.box.bottom)
          .map((b) => `${a.text} / ${b.text}`),
      );
    });
    assert.deepEqual(overlapping, []);
    await screenshot(page, 'dataset-insights');
  });

  it('opens dataset insights in a dialog from the dataset toolbar', async () => {
    const inBrowser = await frameOf(page, '/dataset-insights/panels/insights/');
    await clickToolbar('sb-toolbar[location="datasetMenu"]', 'Insights in a dialog');
    await page.waitForSelector('sb-dialogs >>> dialog[open] iframe');
    // A second insights frame, besides the data browser's: the dialog's (its element can come before puppeteer lists it).
    const inDialog = await page.waitForFrame((f) => f.url().includes('/dataset-insights/panels/insights/') && f !== inBrowser, {
      timeout: 15_000,
    });
    assert.notEqual(inDialog, inBrowser, 'one in the browser, one in the dialog');
    await screenshot(page, 'dialog');
    await page.keyboard.press('Escape');
    await until(page, () => !document.querySelector('sb-dialogs')!.shadowRoot!.querySelector('dialog[open]'), 'the dialog to close');
  });

  it("shows an item with the platform's details in the side panel, and the metadata viewer in a tab beside them", async () => {
    await openFirstItem();
    const name = await page.waitForSelector('main h1').then((h) => h!.evaluate((e) => e.textContent));
    // The platform's own side panel stays, as the first tab and the default.
    const tabs = await until(
      page,
      () => [...document.querySelector('sb-side-panel')!.shadowRoot!.querySelectorAll('[role="tab"]')].map((t) => t.textContent.trim()),
      'the side panel tabs',
    );
    assert.deepEqual(tabs.slice(0, 2), ['Details', 'Metadata viewer: Metadata']);
    assert.equal(await page.$eval('sb-side-panel dl.facts', (dl) => (dl as HTMLElement).checkVisibility()), true);
    await (await page.waitForSelector('sb-side-panel >>> [role="tab"]::-p-text(Metadata)'))!.click();
    const frame = await frameOf(page, '/metadata-viewer/panels/metadata/');
    await until(frame, () => document.querySelector('#metadata dd'), 'the metadata');
    assert.equal(await frame.$eval('#name', (e) => e.textContent), name);
  });

  it('adjusts the image in the image viewer and saves an annotation the metadata viewer shows', async () => {
    const select = await page.waitForSelector('sb-item-viewer >>> select');
    await select!.select('image-viewer/viewer');
    const viewer = await frameOf(page, '/image-viewer/panels/viewer/');
    await until(
      viewer,
      () => ((img) => Boolean(img?.src && img.complete))(document.querySelector('#image') as HTMLImageElement | null),
      'the image',
    );
    await viewer.$eval('#brightness', (input) => {
      (input as HTMLInputElement).value = '150';
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
    assert.equal(await viewer.$eval('#image', (img) => (img as HTMLElement).style.filter), 'brightness(150%) contrast(100%)');
    await viewer.$eval('#save', (button) => (button as HTMLButtonElement).click());
    await until(
      page,
      // Named by the app's display name, not its id.
      () => [...document.querySelectorAll('#toasts li')].some((t) => t.textContent.startsWith('Image viewer: Saved brightness 150%')),
      'the saved notification',
    ).catch(async (err) => {
      throw new Error(`${err.message}; toasts: ${await page.$$eval('#toasts li', (l) => l.map((x) => x.textContent))}; errors: ${errors}`);
    });
    const metadata = await frameOf(page, '/metadata-viewer/panels/metadata/');
    const line = await until(
      metadata,
      () => document.querySelector('#annotations li')?.textContent,
      'the annotation in the metadata viewer',
    );
    assert.equal(line, 'adjustment by image-viewer: brightness 150 · contrast 100');
    // The platform's own details follow too.
    await until(
      page,
      () => document.querySelector('sb-side-panel dl')?.textContent?.includes('brightness 150 · contrast 100'),
      'the item metadata in the platform view',
    );
    await screenshot(page, 'item');
  });

  it('opens the image viewer in a floating window from its toolbar; the window follows the page to the next item', async () => {
    await clickToolbar('sb-toolbar[location="itemMenu"]', 'Open in a window');
    const iframe = await page.waitForSelector('sb-floating-windows >>> section[part="window"] iframe');
    const window = await iframe!.contentFrame();
    const heading = () => page.$eval('main h1', (h) => h.textContent.trim());
    /** Waits until the window's panel shows `name` (its image's alt text is the item's name). */
    const showing = (name: string) =>
      window.waitForFunction((n) => document.querySelector('img')?.getAttribute('alt') === n, { timeout: 15_000 }, name);
    const first = await heading();
    await showing(first);
    await screenshot(page, 'floating-window');
    await page.click('a[rel="next"]');
    await page.waitForFunction((n) => document.querySelector('main h1')?.textContent?.trim() !== n, { timeout: 15_000 }, first);
    await showing(await heading());
    await page.goBack();
    await page.waitForFunction((n) => document.querySelector('main h1')?.textContent?.trim() === n, { timeout: 15_000 }, first);
    const close = await page.waitForSelector('sb-floating-windows >>> section[part="window"] button[aria-label^="Close"]');
    await close!.click();
    await until(
      page,
      () => !document.querySelector('sb-floating-windows')!.shadowRoot!.querySelector('section[part="window"]'),
      'the window to close',
    );
  });

  it('runs the object counter from its toolbar: typed outputs that match the image', async () => {
    const file = await page.$eval('sb-item-viewer figure img', (img) => new URL(img.src).pathname.split('/').pop()!);
    const svg = readFileSync(new URL(`../../demo/images/${file}`, import.meta.url), 'utf8');
    const expected = svg.match(/data-kind=/g)!.length;
    await recordExecutions();
    await clickToolbar('sb-toolbar[location="itemMenu"]', 'Count objects');
    // Said for people: the count, then the counts by colour.
    assert.match(await toolbarStatus('the counter outputs'), new RegExp(`^Count objects: count ${expected} · by color \\(\\w+ \\d+`));
    const outputs = await outputsOf('counter.count_objects');
    assert.equal(outputs.count, expected);
    assert.equal(
      Object.values(outputs.by_color as Record<string, number>).reduce((a, b) => a + b, 0),
      expected,
    );
    await screenshot(page, 'object-counter');
  });

  it('runs the Dioptra-style Python plugin from its toolbar: a table measured into an artifact, then summarized', async () => {
    const file = await page.$eval('sb-item-viewer figure img', (img) => new URL(img.src).pathname.split('/').pop()!);
    const svg = readFileSync(new URL(`../../demo/images/${file}`, import.meta.url), 'utf8');
    const expected = svg.match(/data-kind=/g)!.length;
    await recordExecutions();
    await clickToolbar('sb-toolbar[location="itemMenu"]', 'Measure shapes');
    assert.equal(await toolbarStatus("the Python function's outputs"), 'Measure shapes: table saved as Shape table');
    assert.match((await outputsOf('tasks.measure_shapes')).table.artifact, /^art-/);
    // The table it saved, viewable from the result that made it: the shapes by kind and by colour.
    await page.evaluate(() =>
      document
        .querySelector('sb-toolbar[location="itemMenu"]')!
        .shadowRoot!.querySelector<HTMLButtonElement>('.status button.view')!
        .click(),
    );
    const tables = await until(
      page,
      () => {
        const dialog = document.querySelector('sb-toolbar[location="itemMenu"]')!.shadowRoot!.querySelector('dialog.artifact-view[open]');
        return dialog ? [...dialog.querySelectorAll('caption')].map((c) => c.textContent) : undefined;
      },
      'the shape table',
    );
    assert.deepEqual(tables, ['colors', 'kinds']);
    const kinds = await page.evaluate(() =>
      [
        ...document
          .querySelector('sb-toolbar[location="itemMenu"]')!
          .shadowRoot!.querySelectorAll('dialog.artifact-view table:last-of-type tbody tr'),
      ].map((tr) => Number(tr.querySelectorAll('td')[1].textContent)),
    );
    assert.equal(
      kinds.reduce((a, b) => a + b, 0),
      expected,
    );
    await screenshot(page, 'shape-table');
    await page.evaluate(() =>
      document
        .querySelector('sb-toolbar[location="itemMenu"]')!
        .shadowRoot!.querySelector<HTMLButtonElement>('dialog.artifact-view header button')!
        .click(),
    );
    await clickToolbar('sb-toolbar[location="itemMenu"]', 'Summarize shapes');
    const summary = await until(
      page,
      () => {
        const text =
          document.querySelector('sb-toolbar[location="itemMenu"]')!.shadowRoot!.querySelector('.status .text')?.textContent ?? '';
        return text.startsWith('Summarize shapes: summary') ? text : '';
      },
      'the summary',
      30_000,
    );
    assert.match(summary, new RegExp(`^Summarize shapes: summary Shapes #\\d+: ${expected} shapes \\(`));
  });

  it('chains two functions through an artifact from toolbar buttons; the mask outlives a page reload', async () => {
    // The status once the function ran (evaluated in the page: no closure over test variables).
    const doneStatus = () => {
      const text = document.querySelector('sb-toolbar[location="itemMenu"]')!.shadowRoot!.querySelector('.status .text')?.textContent ?? '';
      return /^(Make|Measure) mask[: ]/.test(text) && !text.endsWith('…') ? text : '';
    };
    await recordExecutions();
    await clickToolbar('sb-toolbar[location="itemMenu"]', 'Make mask');
    assert.equal(await until(page, doneStatus, 'the mask'), 'Make mask: mask saved as Shape mask');
    const id: string = (await outputsOf('masks.make_mask')).mask.artifact;
    assert.match(id, /^art-/);
    await clickToolbar('sb-toolbar[location="itemMenu"]', 'Measure mask');
    const shown = await until(
      page,
      () => {
        const text =
          document.querySelector('sb-toolbar[location="itemMenu"]')!.shadowRoot!.querySelector('.status .text')?.textContent ?? '';
        return text.startsWith('Measure mask') && !text.endsWith('…') ? text : '';
      },
      'the measure',
    );
    const measured = await outputsOf('masks.measure_mask');
    assert.equal(
      shown,
      `Measure mask: cells ${measured.cells.toLocaleString('en-US')} · coverage ${measured.coverage.toLocaleString('en-US', { maximumFractionDigits: 3 })}`,
    );
    // What the second function measured is what the first one stored: a PNG, one pixel a cell, covered ones not transparent.
    const cells = await page.evaluate(async (artifact) => {
      const bytes = await (globalThis as any).demo.host.artifacts.read(artifact);
      const image = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
      const canvas = new OffscreenCanvas(image.width, image.height);
      const context = canvas.getContext('2d')!;
      context.drawImage(image, 0, 0);
      const alpha = [...context.getImageData(0, 0, image.width, image.height).data].filter((_, i) => i % 4 === 3);
      return { size: [image.width, image.height], covered: alpha.filter((a) => a > 0).length };
    }, id);
    assert.deepEqual(cells.size, [64, 48]);
    assert.ok(cells.covered > 0, 'the image has shapes');
    assert.deepEqual(measured, { cells: cells.covered, coverage: cells.covered / (64 * 48) });
    // The platform draws the mask over the item's image, and says so.
    const itemName = await page.$eval('main h1', (h) => h.textContent);
    // The platform's own view of the item (an app's viewer may have been chosen under "Open with").
    await page.$eval('sb-item-viewer', (viewer) => ((viewer as HTMLElement & { selected: string }).selected = ''));
    await page.waitForSelector(`.item .stage img.overlay[data-artifact="${id}"]`, { visible: true });
    const [base, overlay] = await page.$$eval('.item .stage img', (images) => images.map((i) => i.getBoundingClientRect().toJSON()));
    assert.ok(base.width > 100 && base.height > 100, `the image is shown: ${JSON.stringify(base)}`);
    assert.deepEqual(overlay, base, 'the mask covers the image exactly');
    assert.match(await page.$eval('.item figcaption', (c) => c.textContent), /Drawn over the image: mask from Shape masks/);
    await screenshot(page, 'item-mask');
    await go('#/apps/shape-masks');
    const row = `sb-app-dashboard >>> tr[data-artifact="${id}"]`;
    await page.waitForSelector(row);
    await page.reload();
    await page.waitForSelector(row, { timeout: 15_000 });
    // The masks table names the item the mask was made for, linking to it.
    const text = await page.$eval(row, (tr) => tr.textContent.replace(/\s+/g, ' '));
    assert.ok(text.includes(`mask ${itemName}`), text);
    assert.match(await page.$eval(`${row} a`, (a) => a.getAttribute('href')!), /^#\/items?\//);
    await screenshot(page, 'shape-masks');
  });

  it('saves the simple-app wizard, the dashboard follows, and a run reports a plot and logs', async () => {
    await go('#/apps/simple-app');
    const form = 'sb-app-settings >>>';
    await (await page.waitForSelector(`${form} input[type="checkbox"]`))!.click();
    const text = await page.waitForSelector(`${form} input[placeholder="a string..."]`);
    await text!.type('hello from the test');
    const projectSelect = await page.waitForSelector(`${form} select`);
    const options = await projectSelect!.$$eval('option', (o) => o.map((x) => x.textContent.trim()));
    assert.ok(
      options.includes('Vision demo') && !options.some((o) => /^example/.test(o)),
      `the regex filter hides "example" projects: ${options}`,
    );
    await projectSelect!.select('vision');
    await (await page.waitForSelector(`${form} button[type="submit"]`))!.click();
    await until(
      page,
      () => deepText(document.querySelector('sb-app-dashboard')!).includes('The string is hello from the test'),
      'the dashboard html to show the saved string',
    ).catch(async (err) => {
      await screenshot(page, 'simple-app-failed');
      throw new Error(
        `${err.message}; settings: ${await page.evaluate(() => deepText(document.querySelector('sb-app-settings')!))}; dashboard: ${await page.evaluate(() => deepText(document.querySelector('sb-app-dashboard')!))}`,
      );
    });

    await clickToolbar('sb-toolbar[location="appPage"]', 'Run');
    await until(
      page,
      () => deepText(document.querySelector('sb-app-dashboard')!).includes('Project Vision demo contains 36 tasks'),
      'the run results in the dashboard',
    );
    await until(page, () => deepText(document.querySelector('sb-app-dashboard')!).includes('Run finished.'), 'the run log');
    await until(page, () => deepQuery(document.querySelector('sb-app-dashboard')!, '.uplot, canvas'), 'the plot');
    await screenshot(page, 'simple-app');
  });

  it("sends simple-app's Python to the demo's runner with the app page's switch: the dashboard names the runner and shows the run's reports as they come", async () => {
    await go('#/apps/simple-app');
    const dashboard = () => deepText(document.querySelector('sb-app-dashboard')!);
    const finished = () => (deepText(document.querySelector('sb-app-dashboard')!).match(/Run finished\./g) ?? []).length;
    const toRunner = await page.waitForSelector('fieldset.python-on input[value="runner"]');
    await Promise.all([page.waitForNavigation(), toRunner!.click()]);
    await page.waitForSelector('sb-toolbar[location="appPage"]');
    assert.equal(await page.$eval('fieldset.python-on input[value="runner"]', (input) => input.checked), true);
    await until(
      page,
      () => deepText(document.querySelector('sb-app-dashboard')!).includes('Run finished.'),
      'the earlier run in the dashboard',
    );
    const before = await page.evaluate(finished);
    await clickToolbar('sb-toolbar[location="appPage"]', 'Run');
    // The runner's line, then the run's own reports: its project lookup (answered by this page) and its last line.
    await until(
      page,
      () => deepText(document.querySelector('sb-app-dashboard')!).includes('[slotbridge] runner demo-runner: main.__main__'),
      'the runner named in the dashboard',
    );
    await page
      .waitForFunction(
        (n) => (deepText(document.querySelector('sb-app-dashboard')!).match(/Run finished\./g) ?? []).length > n,
        { timeout: 30_000 },
        before,
      )
      .catch(async (err: Error) => {
        await screenshot(page, 'simple-app-runner-failed');
        throw new Error(`${err.message}; dashboard: ${(await page.evaluate(dashboard)).slice(-1500)}`);
      });
    assert.match(await page.evaluate(dashboard), /Project "Vision demo" holds 36 items/);
    assert.doesNotMatch(await page.$eval('sb-toolbar[location="appPage"]', (toolbar) => deepText(toolbar)), /failed/);
    await screenshot(page, 'simple-app-runner');
    const toPage = await page.waitForSelector('fieldset.python-on input[value="page"]');
    await Promise.all([page.waitForNavigation(), toPage!.click()]);
    await page.waitForSelector('sb-toolbar[location="appPage"]');
  });

  it('installs the misbehaving app from the marketplace; every attempt is refused and the inspector shows it', async () => {
    await go('#/marketplace');
    await (await page.waitForSelector('sb-marketplace >>> button[aria-label="Install Misbehaving app"]'))!.click();
    const install = await page.waitForSelector('sb-marketplace >>> dialog[open] button[value="install"]');
    // Each permission it asks for, in the platform's words.
    const meanings = await page.$$eval('sb-marketplace >>> dialog[open] .permissions .meaning', (m) => m.map((x) => x.textContent));
    assert.ok(meanings.length > 0 && meanings.every((m) => m && m.length > 10), JSON.stringify(meanings));
    await screenshot(page, 'marketplace-consent');
    await install!.click();
    await page.waitForSelector('sb-marketplace >>> [data-app="misbehaving"] .installed');
    await screenshot(page, 'marketplace');
    // The cards of a row end alike: their buttons on one line, however long each description.
    const cards = await page.$$eval('sb-marketplace >>> li.app', (list) =>
      list.map((card) => ({
        top: card.getBoundingClientRect().top,
        actions: card.querySelector('.actions')!.getBoundingClientRect().bottom,
      })),
    );
    const rows = new Map<number, typeof cards>();
    for (const card of cards) rows.set(Math.round(card.top), [...(rows.get(Math.round(card.top)) ?? []), card]);
    assert.ok(
      [...rows.values()].some((row) => row.length > 1),
      'cards side by side',
    );
    for (const row of rows.values())
      assert.equal(new Set(row.map((c) => Math.round(c.actions))).size, 1, `a row's buttons on one line: ${JSON.stringify(row)}`);

    await go('#/datasets');
    await openFirstItem();
    const tab = await page.waitForSelector('sb-side-panel >>> [role="tab"]::-p-text(Mischief)');
    await tab!.click();
    const mischief = await frameOf(page, '/misbehaving/panels/mischief/');
    await until(mischief, () => document.body.dataset['done'], 'the attempts to finish', 60_000);
    const attempts = await mischief.$$eval('li', (l) =>
      l.map((x) => [(x as HTMLElement).dataset['attempt'], (x as HTMLElement).dataset['outcome'], x.textContent]),
    );
    assert.ok(attempts.length >= 12, `${attempts.length} attempts`);
    for (const [name, outcome, line] of attempts) assert.equal(outcome, 'refused', `${name}: ${line}`);
    // Each refusal is named (a DOMException by its name, not its legacy number).
    assert.deepEqual(
      attempts.filter(([, , line]) => /\(\d+\)$/.test(line!)),
      [],
    );
    assert.ok(
      attempts.some(([name, , line]) => name === 'read the host page' && line!.endsWith('(SecurityError)')),
      JSON.stringify(attempts),
    );
    const mainWidth = () => page.$eval('main', (m) => m.getBoundingClientRect().width);
    const widthBefore = await mainWidth();
    await page.click('#inspector-toggle');
    // The inspector opens over the page, which keeps its width.
    assert.equal(await mainWidth(), widthBefore);
    // The host page is untouched and still answers.
    assert.equal(new URL(page.url()).origin, new URL(platform.url).origin);
    assert.equal(await page.evaluate(() => document.body.dataset['pwned']), undefined);
    // Its notifications (a long unbroken one among them) wrap and stay on screen.
    const toasts = await page.$$eval('#toasts li', (list) =>
      list.map((t) => ({ text: t.textContent, right: t.getBoundingClientRect().right, width: innerWidth })),
    );
    assert.ok(
      toasts.some((t) => t.text.startsWith('Misbehaving app:')),
      `the app's notifications: ${JSON.stringify(toasts)}`,
    );
    assert.deepEqual(
      toasts.filter((t) => t.right > t.width),
      [],
    );
    const codes = await until(
      page,
      () => {
        const text = deepText(document.querySelector('sb-inspector')!);
        return text.includes('PERMISSION_DENIED') && text.includes('RATE_LIMITED') && text;
      },
      'the refusals in the inspector',
    );
    assert.match(String(codes), /misbehaving/);
    // Newest first, and every row's outcome inside the drawer.
    const layout = await page.evaluate(async () => {
      const inspector = document.querySelector('sb-inspector')!;
      // Read right after a render: rows and entries as one.
      await inspector.updateComplete;
      const drawer = document.querySelector('#inspector-drawer')!.getBoundingClientRect();
      const rows = [...inspector.shadowRoot!.querySelectorAll('tbody tr')];
      const times = rows.map((r) => r.querySelector('td')!.textContent);
      const cut = rows.filter((r) => r.lastElementChild!.getBoundingClientRect().right > drawer.right + 0.5).length;
      const newest = inspector.entries.at(-1)!;
      return {
        first: `${newest.kind} ${newest.name}`,
        top: rows[0].querySelector('td.what button')!.textContent.trim(),
        cut,
        rows: times.length,
      };
    });
    assert.equal(layout.top, layout.first, JSON.stringify(layout));
    assert.equal(layout.cut, 0, JSON.stringify(layout));
    await screenshot(page, 'misbehaving');
    // The drawer lies over the page: closed, the page's own controls are in reach again.
    await page.click('#inspector-toggle');
    const other = await page.waitForSelector('sb-side-panel >>> [role="tab"]::-p-text(Metadata)');
    await other!.click();
    const metadata = await frameOf(page, '/metadata-viewer/panels/metadata/');
    await until(metadata, () => document.querySelector('#metadata dd'), 'the honest panel to keep working');
  });

  it('uninstalls from the marketplace: the app leaves the pages', async () => {
    await go('#/marketplace');
    await (await page.waitForSelector('sb-marketplace >>> button[aria-label="Uninstall Misbehaving app"]'))!.click();
    await (await page.waitForSelector('sb-marketplace >>> dialog[open] button[value="uninstall"]'))!.click();
    await page.waitForSelector('sb-marketplace >>> button[aria-label="Install Misbehaving app"]');
    await page.waitForSelector('sb-marketplace >>> [role="status"]::-p-text(Uninstalled Misbehaving app.)');
    await go('#/datasets');
    await openFirstItem();
    await page.waitForSelector('sb-side-panel >>> [role="tab"]');
    const tabs = await page.$$eval('sb-side-panel >>> [role="tab"]', (t) => t.map((x) => x.textContent.trim()));
    assert.ok(!tabs.some((t) => t.includes('Mischief')), `tabs: ${tabs}`);
  });

  it("keeps its registry on the registry service: a second user's window sees the admin's install and uninstall within a second", async () => {
    const second = await browser.newPage();
    try {
      // Grace, a member of the project, in a window of her own.
      await second.goto(`${platform.url}?user=grace#/marketplace`);
      await second.waitForFunction(() => (globalThis as any).demo?.host?.user?.id === 'u-grace', { timeout: 15_000 });
      assert.match(await second.$eval('#user', (el) => el.textContent), /Grace Hopper \(member\)\s*Open as Ada Lovelace/);
      await second.waitForFunction(() => (globalThis as any).demo?.host, { timeout: 15_000 });
      const project = await page.evaluate(() => (globalThis as any).demo.host.project as string);
      // The second window waits for the app to appear in its own mirror, then for it to go.
      const seen = second.evaluate(
        (p) =>
          new Promise<number>((resolve) => {
            const host = (globalThis as any).demo.host;
            host.on(
              'app:installed',
              (i: { app: string; project: string }) =>
                i.app === 'misbehaving' && i.project === p && resolve(performance.timeOrigin + performance.now()),
            );
          }),
        project,
      );
      await new Promise((r) => setTimeout(r, 100));
      const started = await page.evaluate(async (p) => {
        const at = performance.timeOrigin + performance.now();
        await (globalThis as any).demo.host.registry.install('misbehaving', { project: p });
        return at;
      }, project);
      const arrived = await seen;
      assert.ok(arrived - started < 1000, `the second window had it after ${Math.round(arrived - started)} ms`);
      await second.waitForSelector('sb-marketplace >>> button[aria-label="Uninstall Misbehaving app"]');
      const gone = second.evaluate(
        () =>
          new Promise<void>((resolve) =>
            (globalThis as any).demo.host.on('app:uninstalled', (i: { app: string }) => i.app === 'misbehaving' && resolve()),
          ),
      );
      await page.evaluate((p) => (globalThis as any).demo.host.registry.uninstall('misbehaving', { project: p }), project);
      await gone;
    } finally {
      await second.close();
    }
  });

  it('shows in the open marketplace an app published from a terminal with slotbridge publish', async () => {
    await go('#/marketplace');
    const line = /registry (http:\/\/localhost:\d+)\/ \(its data in (\S+);/.exec(platform.output());
    assert.ok(line, platform.output());
    const [, registry, data] = line;
    const work = mkdtempSync(join(tmpdir(), 'slotbridge-demo-publish-'));
    try {
      const app = join(work, 'hello-app');
      assert.equal(runCli(['init', app, '--name', 'hello-app']).status, 0);
      const made = runCli(['token', 'create', '--namespace', 'samples', '--registry', registry, '--data', data]);
      assert.equal(made.status, 0, made.stderr);
      const published = runCli(['publish', app, '--registry', registry, '--token', made.stdout.trim()]);
      assert.equal(published.status, 0, published.stderr);
      // The open marketplace hears it through its host's change stream: no reload.
      await page.waitForSelector('sb-marketplace >>> button[aria-label^="Install hello" i]', { timeout: 5000 });
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  it("runs a Dataloop app unchanged in the item viewer: its jssdk reads the item, saves a note, and hears another app's change", async () => {
    await go('#/datasets');
    await page.waitForSelector('.thumb');
    await openFirstItem();
    const name = await page.$eval('main h1', (e) => e.textContent);
    const select = await page.waitForSelector('sb-item-viewer >>> select');
    await select!.select('shape-notes/notes');
    const notes = await frameOf(page, '/notes/index.html');
    assert.ok(!notes.url().startsWith(platform.appsUrl), 'served from its own origin');
    assert.equal(
      await page.$eval('sb-item-viewer', (v) => v.shadowRoot!.querySelector('iframe')!.getAttribute('sandbox')),
      'allow-scripts',
    );
    assert.equal(await until(notes, () => document.querySelector('#name')?.textContent, 'the active item, through dl.items.get()'), name);
    // dl.items.update: the platform's own view shows the note.
    await notes.$eval('#note', (t) => ((t as HTMLTextAreaElement).value = 'Two circles overlap'));
    await notes.$eval('#save', (b) => (b as HTMLButtonElement).click());
    await until(notes, () => document.querySelector('#status')?.textContent === 'Saved', 'the note to save').catch(async (e) => {
      throw new Error(e.message + ' status: ' + (await notes.$eval('#status', (s) => s.textContent)));
    });
    await until(
      page,
      () => document.querySelector('sb-side-panel dl')?.textContent?.includes('Two circles overlap'),
      'the note in the platform view',
    );
    // app:toastMessage is a notification; app:setHeight sizes the frame to the panel.
    await until(
      page,
      () =>
        [...document.querySelectorAll('#toasts li')].some(
          (t) => t.textContent === `Shape notes: Note saved on ${document.querySelector('main h1')!.textContent}`,
        ),
      "the panel's toast",
    );
    const frameHeight = await page.$eval('sb-item-viewer', (v) => v.shadowRoot!.querySelector('iframe')!.getBoundingClientRect().height);
    const panelHeight = await notes.evaluate(() => document.documentElement.scrollHeight);
    assert.ok(Math.abs(frameHeight - panelHeight) <= 2, `frame ${frameHeight} px, panel ${panelHeight} px`);
    // Another app changes the item: the platform pushes the change, the panel hears it through dl.on('data').
    // The window's viewer: a new frame, not one the item viewer may still hold from before.
    const before = new Set(page.frames().filter((f) => f.url().includes('/image-viewer/panels/viewer/')));
    await clickToolbar('sb-toolbar[location="itemMenu"]', 'Open in a window');
    const viewer = await page.waitForFrame((f) => f.url().includes('/image-viewer/panels/viewer/') && !before.has(f), { timeout: 15_000 });
    // An img without a src is "complete": wait for the one the viewer sets once it has connected.
    await until(
      viewer,
      () => ((img) => Boolean(img?.src && img.complete))(document.querySelector('#image') as HTMLImageElement | null),
      'the image in the window',
    );
    await viewer.$eval('#brightness', (input) => {
      (input as HTMLInputElement).value = '120';
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await viewer.$eval('#save', (button) => (button as HTMLButtonElement).click());
    await until(
      page,
      () => document.querySelector('sb-side-panel dl')?.textContent?.includes('brightness 120 · contrast'),
      'the change in the platform view',
    ).catch(async (err) => {
      await screenshot(page, 'dataloop-app-failed');
      throw new Error(
        `${err.message}; the window's viewer says: ${await viewer.$eval('#status', (e) => e.textContent).catch((e) => `(${e.message})`)} at ${viewer.url().slice(0, 80)}; windows: ${await page.$$eval('sb-floating-windows >>> section[part="window"]', (w) => w.length)}`,
      );
    });
    await until(
      notes,
      () => document.querySelector('#metadata')?.textContent?.includes('brightness 120 · contrast'),
      'the change in the Dataloop panel',
    ).catch(async (err) => {
      throw new Error(
        `${err.message}; the panel shows: ${await notes.$eval('#metadata', (m) => m.textContent).catch((e) => `(${e.message})`)}; toasts: ${await page.$$eval('#toasts li', (l) => l.map((x) => x.textContent))}`,
      );
    });
    const close = await page.waitForSelector('sb-floating-windows >>> section[part="window"] button[aria-label^="Close"]');
    await close!.click();
    await screenshot(page, 'dataloop-app');
    await page.click('#theme');
    await until(notes, () => document.body.classList.contains('dark'), 'the Dataloop panel to follow the theme');
    await screenshot(page, 'dataloop-app-dark');
    await page.click('#theme');
    await until(notes, () => !document.body.classList.contains('dark'), 'the Dataloop panel to turn light again');
  });

  it('switches to the dark theme: the platform and its panels follow', async () => {
    await page.click('#theme');
    assert.equal(await page.evaluate(() => document.body.classList.contains('dark')), true);
    await (await page.waitForSelector('sb-side-panel >>> [role="tab"]::-p-text(Metadata)'))!.click();
    const metadata = await frameOf(page, '/metadata-viewer/panels/metadata/');
    await until(metadata, () => document.body.classList.contains('dark'), 'the panel to turn dark');
    await screenshot(page, 'dark-theme');
    await page.click('#theme');
  });

  /** Every page of the demo, by name, and how to open it. */
  const PAGES = [
    ['datasets', () => go('#/datasets')],
    [
      'item',
      async () => {
        await go('#/datasets');
        await openFirstItem();
      },
    ],
    ['marketplace', () => go('#/marketplace')],
    ['apps', () => go('#/apps')],
    ['an app page', () => go('#/apps/simple-app')],
    // Its masks table (the mask made above) links each mask's item.
    [
      'a dashboard of artifacts',
      async () => (await go('#/apps/shape-masks'), await page.waitForSelector('sb-app-dashboard >>> tr[data-artifact] a')),
    ],
  ] as const;

  it('has no accessibility violations (axe-core, contrast included) on any page, in either theme', async () => {
    await page.addScriptTag({ path: fileURLToPath(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url)) });
    const found: string[] = [];
    for (const dark of [false, true]) {
      if ((await page.evaluate(() => document.body.classList.contains('dark'))) !== dark) await page.click('#theme');
      for (const [name, open] of PAGES) {
        await open();
        // The platform's own page: each panel's frame is its app's document, judged by the app.
        const violations: string[] = await page.evaluate(async () => {
          const result = await (globalThis as any).axe.run(document, { resultTypes: ['violations'], exclude: [['iframe']] });
          return result.violations.flatMap((v: any) => v.nodes.map((n: any) => `${v.id}: ${JSON.stringify(n.target)}`));
        });
        found.push(...violations.map((v) => `${dark ? 'dark' : 'light'} ${name}: ${v}`));
        // The light pages have their screenshots in the tests above; these are the dark ones, to look at.
        if (dark) await screenshot(page, `${name.replace(/\W+/g, '-')}-dark`);
      }
    }
    // The inspector's drawer in the dark theme, over the app page.
    await page.click('#inspector-toggle');
    await screenshot(page, 'inspector-dark');
    await page.click('#inspector-toggle');
    if (await page.evaluate(() => document.body.classList.contains('dark'))) await page.click('#theme');
    assert.deepEqual(found, []);
  });

  it('lays out every card of the Apps page alike, an app without an icon too (its initial in the icon column)', async () => {
    await go('#/apps');
    await page.waitForSelector('.app-card');
    const cards = await page.$$eval('.app-card', (all) =>
      all.map((card) => {
        const box = card.getBoundingClientRect();
        const text = card.querySelector('small')!.getBoundingClientRect();
        return {
          app: (card as HTMLElement).dataset['app'],
          icon: card.querySelector('img') !== null,
          height: box.height,
          indent: text.left - box.left,
        };
      }),
    );
    const iconless = cards.filter((c) => !c.icon);
    assert.ok(iconless.length > 0, `an app without an icon is installed here: ${JSON.stringify(cards)}`);
    const withIcon = cards.find((c) => c.icon)!;
    for (const card of iconless) {
      assert.ok(card.height <= withIcon.height * 1.5, `${card.app}'s card is ${card.height} px high, ${withIcon.app}'s ${withIcon.height}`);
      assert.equal(Math.round(card.indent), Math.round(withIcon.indent), `${card.app}'s text starts where the others' does`);
    }
    await screenshot(page, 'apps-vision');
  });

  it('fits a 390 px window on every page: the header whole, nothing wider than the window', async () => {
    await page.setViewport({ width: 390, height: 844 });
    try {
      const found: Record<string, unknown> = {};
      for (const [name, open] of PAGES) {
        await open();
        const layout = await page.evaluate(() => {
          const bar = document.querySelector('.topbar')!.getBoundingClientRect();
          const controls = [...document.querySelectorAll('.topbar a, .topbar button, .topbar select')]
            .map((el) => ({ what: el.textContent.trim().slice(0, 30), box: el.getBoundingClientRect() }))
            .filter(({ box }) => box.width > 0);
          return {
            overflow: document.documentElement.scrollWidth - window.innerWidth,
            outside: controls
              .filter(({ box }) => box.right > window.innerWidth + 0.5 || box.bottom > bar.bottom + 0.5 || box.top < bar.top - 0.5)
              .map((c) => c.what),
          };
        });
        if (layout.overflow > 0 || layout.outside.length > 0) found[name] = layout;
        await screenshot(page, `${name.replaceAll(' ', '-')}-390`);
      }
      assert.deepEqual(found, {});
    } finally {
      await page.setViewport({ width: 1280, height: 900 });
    }
  });

  it('switches project: other datasets, other installed apps', async () => {
    await page.select('#project', 'sandbox');
    await until(page, () => document.querySelector('#dataset-title')?.textContent === 'Scratch set', 'the sandbox dataset');
    await go('#/apps');
    const apps = await page.$$eval('.app-card', (c) => c.map((x) => (x as HTMLElement).dataset['app']));
    assert.deepEqual(apps, ['metadata-viewer']);
    await screenshot(page, 'apps');
    await page.select('#project', 'vision');
  });

  it('ran with no uncaught error in the page', () => {
    assert.deepEqual(errors, []);
  });
});
