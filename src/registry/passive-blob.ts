/**
 * Bytes an app chose, made into a Blob for `URL.createObjectURL`. A blob URL
 * has the platform's origin: opened as a page, a type the browser renders as
 * a document that can run script (HTML, SVG, XML, XHTML, ...) would run as the
 * platform, with its storage and cookies. So the rule is an allowlist: only
 * passive types keep theirs, and every other type, declared or guessed,
 * becomes `application/octet-stream`, which a browser saves instead of showing.
 */

/** Types a browser shows without running anything: raster images, plain text, JSON. */
const PASSIVE_TYPES: ReadonlySet<string> = new Set([
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/avif',
  'image/bmp',
  'image/x-icon',
  'text/plain',
  'text/csv',
  'text/css',
  'application/json',
  'font/woff',
  'font/woff2',
]);

export const SAVE_ONLY_TYPE = 'application/octet-stream';

/** `mediaType` without its parameters, lowercased, when it is passive; else `application/octet-stream`. */
export function passiveType(mediaType: string): string {
  const type = mediaType.split(';', 1)[0].trim().toLowerCase();
  return PASSIVE_TYPES.has(type) ? type : SAVE_ONLY_TYPE;
}

/** A Blob of `bytes` whose type is `mediaType` only when that type is passive. */
export function passiveBlob(bytes: Uint8Array, mediaType: string): Blob {
  return new Blob([bytes as BlobPart], { type: passiveType(mediaType) });
}
