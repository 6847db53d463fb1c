/**
 * Each app version's files at an origin of its own, as Dataloop serves apps:
 * `http://<app>--<version>.apps.<host>:<port>/<path>`, routed by the Host
 * header. Files come from the version's package (content-addressed, so a
 * version's files never change: cached for good); a Dataloop app's
 * `panels/` folder is its origin's root. No cookies are set, every answer is
 * `nosniff` with a Content Security Policy, and a path outside the package,
 * an unknown host, app or version is a 404, never another app's file.
 */
import { Hono } from 'hono';
import { contentTypeOf } from '../../src/cli/serve/static-files.js';
import { ErrorCode } from '../../src/errors/error-code.js';
import { inflateEntry, readZipDirectory, type ZipEntry } from '../../src/registry/zip-reader.js';
import { MAX_PACKAGE_BYTES, MAX_PACKAGE_FILES } from '../../src/registry/read-package.js';
import { NODE_CODECS } from './app-package.js';
import type { RegistryContext } from './context.js';
import { versionLabel } from './names.js';

/** Packages kept read (their directories) in memory, newest use last. */
const CACHED_PACKAGES = 32;

const CSP = [
  "default-src 'self' data: blob:",
  "script-src 'self' 'unsafe-inline' 'unsafe-eval' 'wasm-unsafe-eval' data: blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

export interface AppOriginOptions {
  /** The apps' parent host name: `apps.localhost` makes `<app>--<version>.apps.localhost`. */
  appsHost: string;
  /** The port in the Host header (the one the apps are served on; none for 80). */
  port: () => number;
}

export function appOrigin(ctx: RegistryContext, options: AppOriginOptions) {
  const packages = new Map<string, { zip: Uint8Array; entries: Map<string, ZipEntry> }>();
  const app = new Hono();

  async function packageOf(digest: string) {
    let found = packages.get(digest);
    if (found) packages.delete(digest);
    else {
      const zip = await ctx.blobs.get(digest);
      if (!zip) return undefined;
      found = {
        zip,
        entries: new Map(readZipDirectory(zip, { maxFiles: MAX_PACKAGE_FILES, maxBytes: MAX_PACKAGE_BYTES }).map((e) => [e.name, e])),
      };
    }
    packages.set(digest, found);
    if (packages.size > CACHED_PACKAGES) packages.delete(packages.keys().next().value!);
    return found;
  }

  const notFound = (message: string) =>
    new Response(JSON.stringify({ code: ErrorCode.APP_NOT_FOUND, message }), {
      status: 404,
      headers: { 'content-type': 'application/json', 'x-content-type-options': 'nosniff', 'access-control-allow-origin': '*' },
    });

  app.on(['GET', 'HEAD'], '*', async (c) => {
    const label = labelOf(c.req.header('host'), options.appsHost, options.port());
    if (!label) return notFound(`This server serves apps at <app>--<version>.${options.appsHost}; that host is not one.`);
    // App names hold no "--" (names.ts): exactly one separates the app from its version.
    const parts = label.split('--');
    if (parts.length !== 2 || !parts[1]) return notFound(`${label} is not <app>--<version>.${options.appsHost}.`);
    const [name, wanted] = parts as [string, string];
    const versions = await ctx.database.db
      .selectFrom('app_versions')
      .select(['version', 'digest', 'bridge'])
      .where('app', '=', name)
      .execute();
    const version = versions.find((v) => versionLabel(v.version) === wanted);
    if (!version) return notFound(`No app ${name} with version ${wanted} is published here.`);
    const path = pathOf(new URL(c.req.url).pathname, version.bridge === 'dataloop' ? 'panels/' : '');
    const pkg = path === undefined ? undefined : await packageOf(version.digest);
    const entry =
      path === undefined || !pkg
        ? undefined
        : (pkg.entries.get(path) ?? pkg.entries.get(path === '' || path.endsWith('/') ? `${path}index.html` : `${path}/index.html`));
    if (!pkg || !entry || entry.name === 'app.json' || entry.name === 'dataloop.json')
      return notFound(`${name}@${version.version} has no file ${new URL(c.req.url).pathname}.`);
    const bytes = inflateEntry(pkg.zip, entry, NODE_CODECS);
    return new Response(c.req.method === 'HEAD' ? null : (bytes as unknown as BodyInit), {
      headers: {
        'content-type': contentTypeOf(entry.name),
        'content-length': String(bytes.byteLength),
        'cache-control': 'public, max-age=31536000, immutable',
        'x-content-type-options': 'nosniff',
        'content-security-policy': CSP,
        'referrer-policy': 'no-referrer',
        // Sandboxed frames have opaque origins: every script they load is a cross-origin fetch.
        'access-control-allow-origin': '*',
      },
    });
  });
  return app;
}

/** The app label of a Host header that names `<label>.<appsHost>:<port>`, else undefined. */
function labelOf(host: string | undefined, appsHost: string, port: number): string | undefined {
  if (!host) return undefined;
  const suffix = port === 80 ? `.${appsHost}` : `.${appsHost}:${port}`;
  const lower = host.toLowerCase();
  if (!lower.endsWith(suffix)) return undefined;
  const label = lower.slice(0, -suffix.length);
  return /^[a-z0-9-]{1,63}$/.test(label) ? label : undefined;
}

/** The package path a URL path names (inside `root`), or undefined for one that climbs, hides or cannot be decoded. */
function pathOf(urlPath: string, root: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  const parts = decoded.split('/').slice(1);
  if (decoded.includes('\\') || decoded.includes('\0') || parts.some((p) => p === '..' || p === '.' || p.startsWith('.'))) return undefined;
  const path = parts.join('/');
  return `${root}${path}`;
}
