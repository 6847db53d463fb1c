// The platform page on plain HTTP at a name other than localhost (an intranet host, a dev name): not a secure
// context, so crypto.randomUUID and the like are missing. The host must not need them.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'puppeteer-core';
import { frameOf, openBrowser, startPlatform, until, type PlatformProcess } from './support/platform-process.js';

describe('the demo platform on plain HTTP at an intranet name', { timeout: 120_000 }, () => {
  let platform: PlatformProcess;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  before(async () => {
    platform = await startPlatform(['demo', '--host', 'intranet.test']);
    // Chromium resolves the name to this machine; it is not localhost, so the page is no secure context.
    ({ browser, page, errors } = await openBrowser(['--host-resolver-rules=MAP intranet.test localhost']));
  });

  after(async () => {
    await browser?.close();
    assert.equal(await platform?.stop(), 0);
  });

  it('runs a Dataloop panel and a function with no secure context', async () => {
    assert.match(platform.url, /^http:\/\/intranet\.test:\d+\/$/);
    await page.goto(`${platform.url}#/datasets`);
    assert.deepEqual(await page.evaluate(() => [isSecureContext, typeof crypto.randomUUID]), [false, 'undefined']);
    await page.waitForSelector('.thumb');
    const link = await page.$eval('.thumb', (a) => a.getAttribute('href')!);
    await page.evaluate((h) => (location.hash = h), link);
    await page.waitForSelector('sb-item-viewer');
    const name = await page.$eval('main h1', (e) => e.textContent);
    // The Dataloop panel: each load gets a random channel id, each request a random id.
    const select = await page.waitForSelector('sb-item-viewer >>> select');
    await select!.select('shape-notes/notes');
    const notes = await frameOf(page, '/notes/index.html');
    assert.equal(await until(notes, () => document.querySelector('#name')?.textContent, 'the active item, through dl.items.get()'), name);
    // A function run: each execution gets a random id.
    const button = await page.waitForSelector('sb-toolbar[location="itemMenu"] >>> [part="button"][title]::-p-text(Count objects)', {
      timeout: 15_000,
    });
    await button!.click();
    const status = await until(
      page,
      () => {
        const text =
          document.querySelector('sb-toolbar[location="itemMenu"]')!.shadowRoot!.querySelector('.status .text')?.textContent ?? '';
        return text.endsWith('…') ? '' : text;
      },
      'the counter to finish',
      30_000,
    );
    assert.match(status, /^Count objects: count \d+/);
    assert.deepEqual(errors, []);
  });
});
