/**
 * URL rules of the manifest: panel and module pages and `${ASSET:file}`
 * references stay inside the app's own files or name an http(s) page.
 */
import { SlotbridgeError, ErrorCode } from '../errors/index.js';

const SCHEME = /^[a-zA-Z][a-zA-Z0-9+.-]*:/;
export const ASSET_REFERENCE = /\$\{ASSET:([^}]*)\}/g;

/** Why `url` is not an acceptable page URL, or `undefined`. */
export function pageUrlProblem(url: string): string | undefined {
  if (SCHEME.test(url)) {
    return /^https?:\/\//i.test(url) ? undefined : 'only http(s) URLs or paths relative to the app folder are allowed';
  }
  return relativePathProblem(url);
}

/** Why `path` is not a plain relative path inside the app folder, or `undefined`. */
export function relativePathProblem(path: string): string | undefined {
  if (path.length === 0) return 'the path is empty';
  if (path.startsWith('/') || path.includes('\\')) return 'write a path relative to the app folder, with "/" separators';
  if (path.split(/[?#]/)[0]!.split('/').some((segment) => segment === '..')) return '".." may not leave the app folder';
  return undefined;
}

/** Joins `baseUrl` and a relative or absolute page URL. */
export function resolveUrl(url: string, baseUrl: string): string {
  const problem = pageUrlProblem(url);
  if (problem) throw new SlotbridgeError(ErrorCode.BAD_INPUT, `Cannot resolve "${url}": ${problem}.`);
  return new URL(url, withTrailingSlash(baseUrl)).href;
}

/**
 * Replaces every `${ASSET:file}` in a string, or in every string of a JSON
 * value, with `<baseUrl>/assets/file`. Throws `BAD_INPUT` for a reference that
 * would leave the assets folder or for a base URL that is not absolute.
 */
export function resolveAsset<T>(value: T, baseUrl: string): T {
  let base: URL;
  try {
    base = new URL('assets/', withTrailingSlash(baseUrl));
  } catch {
    throw new SlotbridgeError(ErrorCode.BAD_INPUT, `baseUrl "${baseUrl}" is not an absolute URL; pass where the app's files are served, e.g. "https://apps.example.com/my-app/".`);
  }
  return mapStrings(value, (text) =>
    text.replace(ASSET_REFERENCE, (_match, file: string) => {
      const problem = relativePathProblem(file);
      if (problem) throw new SlotbridgeError(ErrorCode.BAD_INPUT, `\${ASSET:${file}}: ${problem}.`);
      return new URL(file.split('/').map(encodeURIComponent).join('/'), base).href;
    }),
  );
}

function withTrailingSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

function mapStrings<T>(value: T, fn: (text: string) => string): T {
  if (typeof value === 'string') return fn(value) as T;
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, fn)) as T;
  if (typeof value === 'object' && value !== null) {
    // fromEntries defines properties, so a "__proto__" key stays a plain key.
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, fn)])) as T;
  }
  return value;
}
