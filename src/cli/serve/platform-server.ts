/**
 * The demo platform on two origins, as in production: the platform page on
 * `http://localhost:<port>` and the apps on `http://127.0.0.1:<appsPort>`, so
 * panels are cross-origin (and out of process) for real. A Dataloop app (a
 * folder with `dataloop.json`) also gets an origin of its own, the next free
 * port after the apps', with its `panels/` folder at the root, as Dataloop
 * serves it.
 */
import { createServer, type IncomingMessage, type ServerResponse, type Server } from 'node:http';
import {
  CONFIG_PATH,
  demoUser,
  EVENTS_PATH,
  PRINTED_PATH,
  PrintedLines,
  TOKEN_PATH,
  type DemoUser,
  type DevMessage,
  type PlatformConfig,
} from './platform-config.js';
import { fileFor, isOwnHost, readBody, sendFile, sendJson, sendNotFound } from './static-files.js';
import { builtFile } from './package-root.js';
import { listen } from './listen.js';
import { findManifestFile } from '../app-files.js';
import { basename } from 'node:path';
import { type DlAppLib, findDlAppLib, servePanels } from './dataloop-panels.js';
import { PYTHON_PATH, pythonFile } from './python-files.js';
import { isPublicFile } from './public-files.js';

export interface ServedApp {
  /** The URL segment it is served under: `http://127.0.0.1:<appsPort>/<folder>/`. */
  folder: string;
  dir: string;
}

export interface PlatformServerOptions {
  port: number;
  /** The name the platform page is served under (default `localhost`); it must resolve to this machine. */
  host?: string;
  appsPort: number;
  apps: readonly ServedApp[];
  mode: PlatformConfig['mode'];
  /** dev: the folder of the app under development. */
  devApp?: string;
  /** demo: the registry service, and how to sign the page's user token for it. */
  registry?: { url: string; problems: string[]; runner?: string; token(user: DemoUser): Promise<string> };
  /** dev: a line an app printed or logged in the page, for the terminal. */
  printed?: (app: string, text: string) => void;
  /** What keeps an app from working here, said on the page (`PlatformConfig.problems`). */
  problems?: string[];
  /** dev: the embedded service the app's queued functions go to, its runner, and the page's user token for it. */
  queue?: { url: string; runner: string; token(): Promise<string> };
}

export interface PlatformServer {
  /** The platform page. */
  readonly url: string;
  /** Where the apps are served. */
  readonly appsUrl: string;
  /** Where each app's panels are: `<appsUrl><folder>/`, or a Dataloop app's own origin. */
  readonly baseUrls: ReadonlyMap<string, string>;
  /** The `dlAppLib.js` Dataloop apps get, when one of them is served; `null` when the jssdk is not installed. */
  readonly dlAppLib: DlAppLib | null | undefined;
  /** Sends a change to every open platform page (dev). */
  send(message: DevMessage): void;
  close(): Promise<void>;
}

/** Where an app's panels and modules find `slotbridge/guest` (their import maps point here). */
export const GUEST_SDK_PATH = 'lib/slotbridge-guest.js';

const PLATFORM_HOST = 'localhost';
const APPS_HOST = '127.0.0.1';

export async function startPlatformServer(options: PlatformServerOptions): Promise<PlatformServer> {
  const host = options.host ?? PLATFORM_HOST;
  const demoRoot = builtFile('demo');
  const guestSdk = builtFile('browser', 'slotbridge-guest.js');
  const listeners = new Set<ServerResponse>();
  const manifests = options.apps.map((a) => basename(findManifestFile(a.dir)));
  const dataloopApps = options.apps.filter((_, i) => manifests[i] === 'dataloop.json');
  const dlAppLib = dataloopApps.length > 0 ? (findDlAppLib(dataloopApps[0].dir) ?? null) : undefined;
  const baseUrls = new Map<string, string>();
  let appsUrl = '';

  let port = 0;
  let appsPort = 0;
  const platform = createServer((req, res) => {
    if (!isOwnHost(req, [host, PLATFORM_HOST, '127.0.0.1', '[::1]'], port)) return void res.writeHead(421).end();
    const path = pathOf(req);
    if (path === PRINTED_PATH && options.printed) {
      receivePrinted(req, res, options.printed, `http://${req.headers.host}`).catch(() => res.destroy());
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405, { allow: 'GET, HEAD' }).end();
    if (path === CONFIG_PATH) {
      sendJson(res, config());
      return;
    }
    if (path === TOKEN_PATH && (options.registry || options.queue)) {
      const user = demoUser(new URL(req.url ?? '/', 'http://x').search);
      return void (options.registry ? options.registry.token(user) : options.queue!.token()).then(
        (token) => sendJson(res, { token }),
        () => void res.writeHead(500).end(),
      );
    }
    if (path === EVENTS_PATH) {
      openEvents(res);
      return;
    }
    const file = fileFor(demoRoot, path);
    if (!file || file.startsWith(`${demoRoot}/apps/`)) {
      sendNotFound(res);
      return;
    }
    // The sample images are read by apps (counting shapes) from their own origins.
    sendFile(res, file, path.startsWith('/images/') ? { 'access-control-allow-origin': '*' } : {});
  });

  const apps = createServer((req, res) => {
    // Sandboxed frames have opaque origins: every script and file they fetch is a cross-origin fetch.
    const cors = { 'access-control-allow-origin': '*' };
    if (!isOwnHost(req, [APPS_HOST], appsPort)) return void res.writeHead(421).end();
    if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405, { allow: 'GET, HEAD', ...cors }).end();
    if (pathOf(req).startsWith(PYTHON_PATH)) {
      const file = pythonFile(pathOf(req));
      if (file) sendFile(res, file, cors);
      else sendNotFound(res, cors);
      return;
    }
    const [, folder = '', ...rest] = pathOf(req).split('/');
    const app = options.apps.find((a) => a.folder === folder);
    if (!app) {
      sendNotFound(res, cors);
      return;
    }
    const path = `/${rest.join('/')}`;
    const file = isPublicFile(findManifestFile(app.dir), path) ? fileFor(app.dir, path) : undefined;
    if (file) {
      sendFile(res, file, cors);
      return;
    }
    // An app without its own copy of the guest SDK gets this package's.
    if (path === `/${GUEST_SDK_PATH}`) {
      sendFile(res, guestSdk, cors);
      return;
    }
    sendNotFound(res, cors);
  });

  /** A Dataloop app's own origin: its panels/ folder at the root. */
  const panelServer = (app: ServedApp, own: () => number) =>
    createServer((req, res) => {
      if (!isOwnHost(req, [APPS_HOST], own())) return void res.writeHead(421).end();
      if (req.method !== 'GET' && req.method !== 'HEAD')
        return void res.writeHead(405, { allow: 'GET, HEAD', 'access-control-allow-origin': '*' }).end();
      servePanels(req, res, app.dir, pathOf(req), dlAppLib ?? undefined);
    });

  function config(): PlatformConfig {
    return {
      mode: options.mode,
      apps: options.apps.map((a, i) => ({
        folder: a.folder,
        baseUrl: baseUrls.get(a.folder)!,
        manifest: `${appsUrl}${a.folder}/${manifests[i]}`,
        ...(manifests[i] === 'dataloop.json' ? { bridge: 'dataloop' as const } : {}),
      })),
      python: `${appsUrl}${PYTHON_PATH.slice(1)}`,
      ...(options.registry
        ? {
            registry: {
              url: options.registry.url,
              problems: options.registry.problems,
              ...(options.registry.runner ? { runner: options.registry.runner } : {}),
            },
          }
        : {}),
      ...(options.queue ? { queue: { url: options.queue.url, runner: options.queue.runner } } : {}),
      ...(options.problems?.length ? { problems: options.problems } : {}),
      ...(options.devApp !== undefined ? { devApp: options.devApp, events: EVENTS_PATH } : {}),
      ...(options.printed ? { printed: PRINTED_PATH } : {}),
    };
  }

  function openEvents(res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    res.write(': connected\n\n');
    listeners.add(res);
    res.on('close', () => listeners.delete(res));
  }

  const servers: Server[] = [];
  try {
    port = await listen(platform, options.port, PLATFORM_HOST, '--port');
    servers.push(platform);
    appsPort = await listen(apps, options.appsPort, APPS_HOST, '--apps-port');
    servers.push(apps);
    appsUrl = `http://${APPS_HOST}:${appsPort}/`;
    for (const app of options.apps) baseUrls.set(app.folder, `${appsUrl}${app.folder}/`);
    // Fixed ports keep the origins (and what the registry remembers of them) the same from run to run.
    for (const [i, app] of dataloopApps.entries()) {
      let own = 0;
      const server = panelServer(app, () => own);
      own = await listen(
        server,
        options.appsPort === 0 ? 0 : appsPort + 1 + i,
        APPS_HOST,
        '--apps-port (Dataloop apps take the ports after it)',
      );
      servers.push(server);
      baseUrls.set(app.folder, `http://${APPS_HOST}:${own}/`);
    }
  } catch (err) {
    await Promise.all(servers.map(closeServer));
    throw err;
  }

  return {
    url: `http://${host}:${port}/`,
    appsUrl,
    baseUrls,
    dlAppLib,
    send(message) {
      for (const res of listeners) res.write(`data: ${JSON.stringify(message)}\n\n`);
    },
    async close() {
      for (const res of listeners) res.end();
      listeners.clear();
      await Promise.all(servers.map(closeServer));
    },
  };
}

/**
 * Lines the page sends (`POST` JSON from its own origin: a page elsewhere
 * cannot post JSON here without a preflight this server never answers),
 * bounded before they are read, each printed.
 */
async function receivePrinted(
  req: IncomingMessage,
  res: ServerResponse,
  printed: (app: string, text: string) => void,
  own: string,
): Promise<void> {
  if (req.method !== 'POST' || req.headers.origin !== own || !/^application\/json\b/.test(req.headers['content-type'] ?? '')) {
    res.writeHead(403).end();
    return;
  }
  const body = await readBody(req, 1024 * 1024);
  if (!body) {
    res.writeHead(413).end();
    return;
  }
  let lines: PrintedLines;
  try {
    lines = PrintedLines.parse(JSON.parse(body.toString('utf8')));
  } catch {
    res.writeHead(400).end();
    return;
  }
  for (const { app, text } of lines) printed(app, text.slice(0, 2000));
  res.writeHead(204).end();
}

function pathOf(req: IncomingMessage): string {
  return new URL(req.url ?? '/', 'http://server').pathname;
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
