/**
 * A Dataloop app served as Dataloop serves it: its `panels/` folder at the
 * root of an origin of its own (real builds load `/<panel>/assets/...`), with
 * CORS for sandboxed frames. A page that loads `dlAppLib.js` from Dataloop's
 * servers gets the copy in the installed `@dataloop-ai/jssdk` instead: the
 * only change to what is served, since this machine may be offline.
 */
import { existsSync, readFileSync } from 'node:fs';
import { listFiles } from '../app-files.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { fileFor, sendFile, sendNotFound } from './static-files.js';
import { packageRoot } from './package-root.js';

/** Where the swapped-in `dlAppLib.js` is served on each Dataloop app's origin. */
export const DL_APP_LIB_PATH = '/__slotbridge/dlAppLib.js';

/** `<script src="https://<any Dataloop host>/dlAppLib.js">`, as published panels write it. */
const REMOTE_DL_APP_LIB = /(<script\b[^>]*?\bsrc\s*=\s*)(["'])https?:\/\/[^"'\s>]*\/dlAppLib\.js\2/gi;

export interface DlAppLib {
  file: string;
  version: string;
}

/**
 * The installed `@dataloop-ai/jssdk`'s browser build: looked for from the app's
 * folder, then the current folder, then slotbridge's own. `undefined` when
 * none is installed.
 */
export function findDlAppLib(appDir: string): DlAppLib | undefined {
  for (const from of [appDir, process.cwd(), safePackageRoot()]) {
    if (from === undefined) continue;
    try {
      const manifest = createRequire(join(from, 'package.json')).resolve('@dataloop-ai/jssdk/package.json');
      const file = join(dirname(manifest), 'dist', 'build', 'dlAppLib.js');
      if (existsSync(file)) return { file, version: (JSON.parse(readFileSync(manifest, 'utf8')) as { version?: string }).version ?? '' };
    } catch {
      // Not installed from here: try the next place.
    }
  }
  return undefined;
}

/** Serves one Dataloop app's `panels/` folder at the root. */
export function servePanels(req: IncomingMessage, res: ServerResponse, appDir: string, path: string, dlAppLib: DlAppLib | undefined): void {
  // Sandboxed frames have opaque origins: every script and file they fetch is a cross-origin fetch.
  const cors = { 'access-control-allow-origin': '*' };
  if (path === DL_APP_LIB_PATH) {
    if (dlAppLib) sendFile(res, dlAppLib.file, cors);
    else sendNotFound(res, cors);
    return;
  }
  const file = fileFor(join(appDir, 'panels'), path);
  if (!file) {
    sendNotFound(res, cors);
    return;
  }
  if (extname(file).toLowerCase() !== '.html') {
    sendFile(res, file, cors);
    return;
  }
  const page = readFileSync(file, 'utf8').replace(REMOTE_DL_APP_LIB, `$1$2${DL_APP_LIB_PATH}$2`);
  res.writeHead(200, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...cors,
  });
  res.end(req.method === 'HEAD' ? undefined : page);
}

/** Whether any of the app's panel pages (the files a package of it would hold) loads `dlAppLib.js` from Dataloop's servers. */
export function loadsRemoteDlAppLib(appDir: string): boolean {
  const remote = new RegExp(REMOTE_DL_APP_LIB.source, 'i');
  return listFiles(appDir, 'panels', [])
    .filter((file) => file.endsWith('.html'))
    .some((page) => remote.test(readFileSync(join(appDir, page), 'utf8')));
}

/** What the page says when a panel loads `dlAppLib.js` from Dataloop's servers and no copy is installed: the panel cannot connect. */
export const DL_APP_LIB_MISSING =
  "This app's panels load dlAppLib.js from Dataloop's servers, which @dataloop-ai/jssdk provides here, and it is not installed: they cannot connect. In the app's folder run npm install --save-dev @dataloop-ai/jssdk, then start slotbridge dev again.";

/** What the terminal says about `dlAppLib.js` for a Dataloop app. */
export function dlAppLibNote(dlAppLib: DlAppLib): string {
  return `  Dataloop panels that load dlAppLib.js from Dataloop's servers get @dataloop-ai/jssdk ${dlAppLib.version}'s copy from node_modules (nothing is fetched from Dataloop).`;
}

function safePackageRoot(): string | undefined {
  try {
    return packageRoot();
  } catch {
    return undefined;
  }
}
