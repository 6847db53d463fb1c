/**
 * Serving files from a folder: no path outside it (symbolic links included),
 * no dotfiles, and only the kinds of file a page loads, so that notes,
 * keys and sources kept beside an app are never on the wire.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createReadStream, realpathSync, statSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.wasm': 'application/wasm',
  // Python modules' entry points, and Pyodide's standard library.
  '.py': 'text/x-python; charset=utf-8',
  '.zip': 'application/zip',
};

const TEXT = 'text/plain; charset=utf-8';

/** The content type a file of this name is served with (`application/octet-stream` for one of no known kind). */
export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The file under `root` that a URL path names (a folder gives its
 * index.html), or `undefined` when there is none or the path leaves `root`
 * or names a dotfile.
 */
export function fileFor(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.split('/').some((part) => part.startsWith('.'))) return undefined;
  const base = resolve(root);
  const file = resolve(base, `.${decoded.startsWith('/') ? decoded : `/${decoded}`}`);
  if (file !== base && !file.startsWith(base + sep)) return undefined;
  try {
    const stat = statSync(file);
    const found = stat.isFile() ? file : stat.isDirectory() ? join(file, 'index.html') : undefined;
    if (found === undefined || !statSync(found, { throwIfNoEntry: false })?.isFile() || !(extname(found).toLowerCase() in CONTENT_TYPES))
      return undefined;
    // A symbolic link may point anywhere: what is served is where it really leads, inside the folder.
    const real = realpathSync(found);
    const realBase = realpathSync(base);
    return real.startsWith(realBase + sep) ? real : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether a request names this server by the host it listens on. A page on
 * any site can make the browser send requests here under a name of its own
 * that resolves to this machine (DNS rebinding): those are refused.
 */
export function isOwnHost(req: IncomingMessage, hosts: readonly string[], port: number): boolean {
  const host = req.headers.host;
  return host !== undefined && hosts.some((name) => host === `${name}:${port}`);
}

/** Sends `file` (never cached: what is served is what is on disk now). */
export function sendFile(res: ServerResponse, file: string, headers: Record<string, string> = {}): void {
  res.writeHead(200, {
    'content-type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...headers,
  });
  createReadStream(file).pipe(res);
}

export function sendJson(res: ServerResponse, value: unknown, status = 200): void {
  res.writeHead(status, { 'content-type': CONTENT_TYPES['.json'], 'cache-control': 'no-store' });
  res.end(JSON.stringify(value));
}

export function sendNotFound(res: ServerResponse, headers: Record<string, string> = {}): void {
  res.writeHead(404, { 'content-type': TEXT, ...headers });
  res.end('Not found\n');
}

/** A request's body, read to its end unless it grows past `max` bytes (then `undefined`: nothing more is kept). */
export async function readBody(req: IncomingMessage, max: number) {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (bytes > max) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
