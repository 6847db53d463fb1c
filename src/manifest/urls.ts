/**
 * URL rules of the manifest: panel and module pages and `${ASSET:file}`
 * references stay inside the app's own files or name an http(s) page.
 */
import { SlotbridgeError } from '../errors/slotbridge-error.js';
import { ErrorCode } from '../errors/error-code.js';

export const ASSET_REFERENCE = /\$\{ASSET:([^}]*)\}/g;

/**
 * Where relative paths are tried: a folder on an origin no app has. A path
 * is judged by what the URL parser makes of it, exactly as the browser will
 * (which strips leading spaces and control characters, drops tabs and
 * newlines, reads `\` as `/` and `%2e%2e` as `..`), not by its text.
 */
const PROBE_FOLDER = 'https://app.slotbridge.invalid/app/folder/';

/** C0 controls and DEL: the URL parser strips or drops them, so what runs would not be what was checked. */
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Why `url` is not an acceptable page URL, or `undefined`. */
export function pageUrlProblem(url: string): string | undefined {
  if (CONTROL.test(url) || url.trim() !== url)
    return 'a URL may not hold control characters, or spaces at its ends (the browser drops them); encode them';
  let parsed: URL;
  try {
    parsed = new URL(url, PROBE_FOLDER);
  } catch {
    return 'it is not a URL';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    return 'only http(s) URLs or paths relative to the app folder are allowed';
  if (parsed.origin !== new URL(PROBE_FOLDER).origin) {
    // An absolute http(s) URL, or a scheme-relative one (`//host/page`): another origin, by its author's choice.
    return /^[a-z][a-z0-9+.-]*:/i.test(url) ? undefined : 'write the scheme of an absolute URL (https://...)';
  }
  return relativePathProblem(url);
}

/** Why `path` is not a plain relative path inside the app folder, or `undefined`. */
export function relativePathProblem(path: string): string | undefined {
  if (path.length === 0) return 'the path is empty';
  if (path.startsWith('/') || path.includes('\\')) return 'write a path relative to the app folder, with "/" separators';
  if (CONTROL.test(path)) return 'a path may not hold control characters (the browser drops them); encode them';
  // A server may decode these into separators the check below never saw.
  if (/%(2f|5c)/i.test(path)) return 'a path may not hold an encoded "/" or backslash (%2F, %5C)';
  let parsed: URL;
  try {
    parsed = new URL(path, PROBE_FOLDER);
  } catch {
    return 'it is not a path';
  }
  // Decoded dot segments (`%2e%2e/`) resolve here as `..` does.
  if (parsed.origin !== new URL(PROBE_FOLDER).origin || !parsed.pathname.startsWith(new URL(PROBE_FOLDER).pathname))
    return '".." may not leave the app folder';
  return undefined;
}

/** Joins `baseUrl` and a relative or absolute page URL. */
export function resolveUrl(url: string, baseUrl: string): string {
  const problem = pageUrlProblem(url);
  if (problem) throw new SlotbridgeError(ErrorCode.BAD_INPUT, `Cannot resolve "${url}": ${problem}.`);
  let resolved: URL;
  try {
    resolved = new URL(url, withTrailingSlash(baseUrl));
  } catch {
    throw new SlotbridgeError(
      ErrorCode.BAD_INPUT,
      `Cannot resolve "${url}" against "${baseUrl}"; publish the app with an absolute http(s) baseUrl.`,
    );
  }
  // The base is the publisher's: what a frame loads is http(s) whatever it said.
  if (resolved.protocol !== 'http:' && resolved.protocol !== 'https:') {
    throw new SlotbridgeError(
      ErrorCode.BAD_INPUT,
      `Cannot resolve "${url}" against "${baseUrl}": a page is served over http(s); publish the app with an http(s) baseUrl.`,
    );
  }
  return resolved.href;
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
    throw new SlotbridgeError(
      ErrorCode.BAD_INPUT,
      `baseUrl "${baseUrl}" is not an absolute URL; pass where the app's files are served, e.g. "https://apps.example.com/my-app/".`,
    );
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
  if (Array.isArray(value)) return (value as unknown[]).map((v) => mapStrings(v, fn)) as T;
  if (typeof value === 'object' && value !== null) {
    // fromEntries defines properties, so a "__proto__" key stays a plain key.
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, fn)])) as T;
  }
  return value;
}
