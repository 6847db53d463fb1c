// Browser tests: real headless Chromium, real fixture pages served by the runner.
import { fileURLToPath } from 'node:url';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import { chromeLauncher } from '@web/test-runner-chrome';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter, summaryReporter } from '@web/test-runner';
import { findChrome, chromeArgs } from './chrome.mjs';
import { esmAliases } from './esm-aliases.mjs';

/** Counts every test (and every file that failed to run) into the file named by SB_RESULTS_FILE. */
/** The shared conformance corpus (real manifests and panels), read where it lives. */
const conformance = fileURLToPath(new URL('../../shared/conformance/', import.meta.url));
const dataloopPanels = resolve(conformance, 'dataloop-panels');
const pythonBuild = fileURLToPath(new URL('../dist/python', import.meta.url));
const pyodideFiles = fileURLToPath(new URL('../node_modules/pyodide', import.meta.url));
const dlAppLib = fileURLToPath(new URL('../node_modules/@dataloop-ai/jssdk/dist/build/dlAppLib.js', import.meta.url));

/**
 * Real Dataloop panels, served as Dataloop serves them: each app's `panels/`
 * folder at the root of the other origin (127.0.0.1). A page that loads
 * `dlAppLib.js` from Dataloop's servers gets the installed jssdk's copy
 * instead (this machine is offline): the only change to what is served.
 */
function dataloopPanelServer(ctx, next) {
  if (!ctx.host.startsWith('127.0.0.1')) return next();
  if (ctx.path === '/__dlAppLib.js') {
    ctx.type = 'application/javascript';
    ctx.body = readFileSync(dlAppLib);
    return undefined;
  }
  for (const app of readdirSync(dataloopPanels)) {
    const root = resolve(dataloopPanels, app, 'panels');
    const file = resolve(root, `.${decodeURIComponent(ctx.path)}`);
    if (!file.startsWith(`${root}/`) || !existsSync(file) || !statSync(file).isFile()) continue;
    ctx.type = extname(file);
    ctx.body =
      extname(file) === '.html'
        ? readFileSync(file, 'utf8').replace(/src="https?:\/\/[^"]*\/dlAppLib\.js"/g, 'src="/__dlAppLib.js"')
        : readFileSync(file);
    return undefined;
  }
  return next();
}

/** What was asked of `/__python/` (the platform's Pyodide folder), for `python-requests`. */
const pythonRequests = [];

/** `python-requests`: the file names asked of the platform's Pyodide folder since the last time. */
function pythonRequestLog() {
  return {
    name: 'python-requests',
    executeCommand({ command }) {
      if (command !== 'python-requests') return undefined;
      return pythonRequests.splice(0);
    },
  };
}

/** `frame-text`: the text a frame shows (by a part of its URL), read through DevTools: a sandboxed frame's page cannot be read from the test page. */
/**
 * `registry-service`: a registry service (the built slotbridge/server) for the
 * tests of `remoteRegistry`, started once, on an embedded database in a
 * folder of its own, taking calls from the test page's origin. `start`
 * answers its URL; `token` signs a user token (the platform backend's job).
 */
function registryService() {
  const userKey = "the browser tests' registry key, long enough";
  let started;
  const runners = [];
  return {
    name: 'registry-service',
    async executeCommand({ command, payload }) {
      if (command !== 'registry-service') return undefined;
      const { createServer, signUserToken } = await import('../dist/server.js');
      started ??= (async () => {
        const data = mkdtempSync(join(tmpdir(), 'slotbridge-wtr-registry-'));
        const server = await createServer({ data, auth: { userKey }, corsOrigins: [payload.origin] });
        const { url } = await server.listen({ port: 0, appsPort: 0 });
        return { server, url, data };
      })();
      const { url } = await started;
      if (payload.op === 'token') return signUserToken({ name: undefined, ...payload.user }, new TextEncoder().encode(userKey), 600);
      if (payload.op === 'runner') {
        // A runner working the service's queue, in Debian's python3 (what .ci/run installs).
        const { startRunner } = await import('../dist/server.js');
        runners.push(
          startRunner({ url, token: payload.token, python: process.env.SLOTBRIDGE_TEST_PYTHON ?? '/usr/bin/python3', pollMs: 50 }),
        );
        return { runner: runners.at(-1).name };
      }
      return { url };
    },
    async serverStop() {
      await Promise.all(runners.splice(0).map((r) => r.stop()));
      if (!started) return;
      const { server, data } = await started;
      await server.close();
      rmSync(data, { recursive: true, force: true });
    },
  };
}

function frameText() {
  return {
    name: 'frame-text',
    async executeCommand({ command, payload, session }) {
      if (command !== 'frame-text') return undefined;
      const frame = session.browser
        .getPage(session.id)
        .frames()
        .find((f) => f.url().includes(payload.url));
      return frame ? frame.evaluate(() => document.body.innerText) : null;
    },
  };
}

function countReporter() {
  return {
    onTestRunFinished({ sessions }) {
      let passed = 0;
      let failed = 0;
      const walk = (suite) => {
        for (const test of suite.tests) {
          if (test.skipped) continue;
          if (test.passed) passed++;
          else failed++;
        }
        for (const child of suite.suites) walk(child);
      };
      for (const session of sessions) {
        if (session.testResults) walk(session.testResults);
        if (session.errors?.length || (!session.passed && !session.testResults)) failed++;
      }
      if (process.env.SB_RESULTS_FILE) writeFileSync(process.env.SB_RESULTS_FILE, JSON.stringify({ passed, failed }));
    },
  };
}

export default {
  rootDir: fileURLToPath(new URL('..', import.meta.url)),
  files: ['test/browser/**/*.test.ts', 'slots/**/*.test.ts'],
  nodeResolve: true,
  concurrency: 1,
  plugins: [
    frameText(),
    pythonRequestLog(),
    registryService(),
    esmAliases(),
    esbuildPlugin({ ts: true, target: 'es2022', tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) }),
  ],
  // Sandboxed (opaque-origin) frames fetch module scripts cross-origin: they need CORS.
  middleware: [
    (ctx, next) => {
      ctx.set('Access-Control-Allow-Origin', '*');
      return next();
    },
    dataloopPanelServer,
    // `/__shared/conformance/...`: the shared conformance corpus, which lives beside the project, not in it.
    (ctx, next) => {
      if (!ctx.path.startsWith('/__shared/conformance/')) return next();
      const file = resolve(conformance, `.${decodeURIComponent(ctx.path.slice('/__shared/conformance'.length))}`);
      if (!file.startsWith(conformance) || !existsSync(file)) return next();
      ctx.type = extname(file) === '.json' ? 'application/json' : 'text/plain';
      ctx.body = readFileSync(file);
    },
    // `/__python/`: what a platform serves for Python modules, Pyodide's files and slotbridge's runner (built: npm run build).
    (ctx, next) => {
      if (!ctx.path.startsWith('/__python/')) return next();
      const name = decodeURIComponent(ctx.path.slice('/__python/'.length));
      pythonRequests.push(name);
      for (const root of [pythonBuild, pyodideFiles]) {
        const file = resolve(root, name);
        if (!file.startsWith(`${root}/`) || !existsSync(file) || !statSync(file).isFile()) continue;
        ctx.type = extname(file) === '.py' ? 'text/plain' : extname(file);
        ctx.body = readFileSync(file);
        return undefined;
      }
      return next();
    },
    // `/__import-plugin/<folder>/<file>.json`: the corpus's python/<folder>/<file>.py as `slotbridge import-plugin` (the built CLI) describes it.
    (ctx, next) => {
      const match = /^\/__import-plugin\/(\w+)\/(\w+)\.json$/.exec(ctx.path);
      if (!match) return next();
      const root = fileURLToPath(new URL('..', import.meta.url));
      ctx.type = 'application/json';
      ctx.body = execFileSync(process.execPath, ['dist/cli.js', 'import-plugin', `${conformance}python/${match[1]}/${match[2]}.py`], {
        cwd: root,
        stdio: ['ignore', 'pipe', 'ignore'],
      });
    },
    // `/__import/<name>.json`: the corpus's clearml/<name>.app.conf as `slotbridge import` (the built CLI) converts it.
    (ctx, next) => {
      const match = /^\/__import\/([\w-]+)\.json$/.exec(ctx.path);
      if (!match) return next();
      const root = fileURLToPath(new URL('..', import.meta.url));
      ctx.type = 'application/json';
      ctx.body = execFileSync(process.execPath, ['dist/cli.js', 'import', `${conformance}clearml/${match[1]}.app.conf`], {
        cwd: root,
        stdio: ['ignore', 'pipe', 'ignore'],
      });
    },
  ],
  browsers: [chromeLauncher({ launchOptions: { executablePath: findChrome(), headless: true, args: chromeArgs() } })],
  testFramework: { config: { timeout: 20000 } },
  browserStartTimeout: 60000,
  testsStartTimeout: 60000,
  testsFinishTimeout: 300000,
  reporters: [defaultReporter(), summaryReporter({ flatten: false }), countReporter()],
};
