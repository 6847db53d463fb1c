// The security suite: the browser test setup, its own files, and two server
// commands: `security-tally` (a row of the suite's table) and `browser-watch`
// (what the browser itself saw: dialogs, popups, downloads).
import { appendFileSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import base from '../web-test-runner.config.mjs';
import { jsHeapSize } from '../heap-size.mjs';

/** Counts, per page, what no frame may make the browser do without its sandbox token. */
function browserWatch() {
  const watches = new Map();
  return {
    name: 'browser-watch',
    async executeCommand({ command, payload, session }) {
      if (command !== 'browser-watch') return undefined;
      const page = session.browser.getPage(session.id);
      if (payload.op === 'start') {
        const seen = { dialogs: 0, popups: 0, downloads: 0 };
        const cdp = await page.createCDPSession();
        await cdp.send('Browser.setDownloadBehavior', { behavior: 'deny', eventsEnabled: true });
        cdp.on('Browser.downloadWillBegin', () => seen.downloads++);
        const onDialog = (dialog) => {
          seen.dialogs++;
          void dialog.dismiss().catch(() => {});
        };
        const onPopup = (popup) => {
          seen.popups++;
          void popup?.close().catch(() => {});
        };
        page.on('dialog', onDialog);
        page.on('popup', onPopup);
        watches.set(session.id, {
          seen,
          stop: async () => {
            page.off('dialog', onDialog);
            page.off('popup', onPopup);
            await cdp.detach().catch(() => {});
          },
        });
        return true;
      }
      const watch = watches.get(session.id);
      if (!watch) return { dialogs: 0, popups: 0, downloads: 0 };
      if (payload.op === 'stop') {
        watches.delete(session.id);
        await watch.stop();
      }
      return { ...watch.seen };
    },
  };
}

/** `heap-size`: the page's JavaScript heap after a full collection (see test/heap-size.mjs). */
function heapSize() {
  return {
    name: 'heap-size',
    async executeCommand({ command, session }) {
      if (command !== 'heap-size') return undefined;
      const cdp = await session.browser.getPage(session.id).createCDPSession();
      try {
        return await jsHeapSize(cdp);
      } finally {
        await cdp.detach().catch(() => {});
      }
    },
  };
}

/** `crash-frame`: crashes the renderer of the page's frame whose URL contains `payload.url` (a frame of another site: its own process). */
function crashFrame() {
  return {
    name: 'crash-frame',
    async executeCommand({ command, payload, session }) {
      if (command !== 'crash-frame') return undefined;
      const frame = session.browser
        .getPage(session.id)
        .frames()
        .find((f) => f.url().includes(payload.url));
      if (!frame) return false;
      // The frame's own DevTools session (an out-of-process frame has one of its own). A crashed
      // renderer never answers the command, so it is not awaited.
      void frame.client.send('Page.crash').catch(() => {});
      return true;
    },
  };
}

/** Appends each row the tests send to the file named by SB_SECURITY_FILE. */
function securityTally() {
  return {
    name: 'security-tally',
    executeCommand({ command, payload }) {
      if (command !== 'security-tally') return undefined;
      if (process.env.SB_SECURITY_FILE) appendFileSync(process.env.SB_SECURITY_FILE, `${JSON.stringify(payload)}\n`);
      return true;
    },
  };
}

/** `/__conformance.json`: every Dataloop manifest of the shared conformance corpus (../shared/conformance), as one list. */
function conformanceCorpus(ctx, next) {
  if (ctx.path !== '/__conformance.json') return next();
  const dir = fileURLToPath(new URL('../../../shared/conformance/dataloop/', import.meta.url));
  ctx.type = 'application/json';
  ctx.body = `[${readdirSync(dir)
    .map((f) => readFileSync(dir + f, 'utf8'))
    .join(',')}]`;
}

export default {
  ...base,
  middleware: [...base.middleware, conformanceCorpus],
  // test/security/node/ holds the cases that run in Node, against the registry service (suite.mjs runs them).
  files: ['test/security/**/*.test.ts', '!test/security/node/**'],
  plugins: [...base.plugins, browserWatch(), securityTally(), heapSize(), crashFrame()],
  testFramework: { config: { timeout: 120000 } },
};
