/** Runs `slotbridge demo` or `slotbridge dev` (the built CLI) on free ports, and a headless Chromium to drive it. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Frame, type Page } from 'puppeteer-core';
import { findChrome, chromeArgs } from '../../chrome.mjs';

const cli = new URL('../../../dist/cli.js', import.meta.url).pathname;
export const screenshots = new URL('../../screenshots/', import.meta.url).pathname;

export interface PlatformProcess {
  url: string;
  appsUrl: string;
  child: ChildProcess;
  /** Everything the process printed so far. */
  output(): string;
  stop(): Promise<number | null>;
}

/** Starts the CLI (this checkout's, or `from` an installed copy) with `args` plus `--port 0 --apps-port 0`; resolves once it printed both addresses and its last line. */
export function startPlatform(args: string[], from: { cli: string; cwd: string } = { cli, cwd: process.cwd() }): Promise<PlatformProcess> {
  // The demo's registry service gets a data folder of this run's own: two demos at once would share none.
  const own = args[0] === 'demo' ? ['--registry-port', '0', '--data', mkdtempSync(join(tmpdir(), 'slotbridge-demo-'))] : [];
  const child = spawn(process.execPath, [from.cli, ...args, '--port', '0', '--apps-port', '0', ...own], {
    cwd: from.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the platform did not start:\n${output}`)), 20_000);
    const check = () => {
      const url = /(?:slotbridge demo:|platform) +(http:\/\/[\w.-]+:\d+\/)/.exec(output)?.[1];
      const appsUrl = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(output)?.[1];
      // Its last line at start: everything it says about itself has been said.
      if (!url || !appsUrl || !output.includes('Ctrl+C stops.')) return;
      clearTimeout(timer);
      child.stdout.off('data', check);
      resolve({
        url,
        appsUrl,
        child,
        output: () => output,
        stop: () => {
          child.kill('SIGTERM');
          return exited;
        },
      });
    };
    child.stdout.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the platform exited (${code}):\n${output}`));
    });
  });
}

export async function openBrowser(extraArgs: string[] = []): Promise<{ browser: Browser; page: Page; errors: string[] }> {
  const browser = await puppeteer.launch({ executablePath: findChrome(), headless: true, args: [...chromeArgs(), ...extraArgs] });
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  // deepText / deepQuery: text and elements across nested shadow roots, for assertions.
  // A string, not a function: the test's TypeScript transform would add helpers the page lacks.
  await page.evaluateOnNewDocument(`
    const walk = (node, visit) => {
      visit(node);
      if (node instanceof Element && node.shadowRoot) walk(node.shadowRoot, visit);
      for (const child of node.childNodes) walk(child, visit);
    };
    globalThis.deepText = (root) => {
      let text = '';
      walk(root, (n) => { if (n.nodeType === Node.TEXT_NODE) text += n.data; });
      return text;
    };
    globalThis.deepQuery = (root, selector) => {
      let found;
      walk(root, (n) => { if (!found && n instanceof Element && n.matches(selector)) found = n; });
      return found;
    };
  `);
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push((err as Error).message ?? err));
  return { browser, page, errors };
}

declare global {
  function deepText(root: Node): string;
  function deepQuery(root: Node, selector: string): Element | undefined;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshots, { recursive: true });
  await page.screenshot({ path: `${screenshots}${name}.png`, fullPage: true });
}

/** The frame whose URL contains `part` (panels are cross-origin frames: puppeteer reaches them all). */
export async function frameOf(page: Page, part: string, timeout = 15_000): Promise<Frame> {
  const frame = await page.waitForFrame((f) => f.url().includes(part), { timeout });
  return frame;
}

/** Waits until `fn` (run in the frame or page) returns a truthy value; returns it. */
export async function until<T>(target: Page | Frame, fn: () => T, what: string, timeout = 15_000): Promise<T> {
  try {
    const handle = await target.waitForFunction(fn, { timeout, polling: 50 });
    return (await handle.jsonValue()) as T;
  } catch (err) {
    throw new Error(`timed out waiting for ${what}: ${(err as Error).message}`);
  }
}
