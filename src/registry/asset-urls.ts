/**
 * URLs of a packaged app's assets. A blob URL has the platform's origin: a
 * document that could run script (SVG, HTML), opened from one, would run as
 * the platform. Only passive types (images, fonts, text) are blob URLs;
 * every other type becomes a `data:` URL, which has no origin and which
 * browsers refuse to open as a page (an SVG icon still shows in an img).
 */
import { passiveType, SAVE_ONLY_TYPE } from './passive-blob.js';
import type { AppRecord } from './types.js';

const MEDIA_TYPES: Record<string, string> = {
  svg: 'image/svg+xml',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  json: 'application/json',
  html: 'text/html',
  css: 'text/css',
  txt: 'text/plain',
};

export class AssetUrls {
  readonly #blobUrls = new Map<string, string>();

  /** The URL of an asset: from the package, or `<baseUrl>/assets/<file>`. `undefined` for a file the package lacks. */
  url(record: AppRecord, file: string): string | undefined {
    if (!record.assets) return new URL(`assets/${file.split('/').map(encodeURIComponent).join('/')}`, record.baseUrl).href;
    const bytes = record.assets[file] as Uint8Array | undefined;
    if (!bytes) return undefined;
    const cacheKey = `${record.name}@${record.version}/${file}`;
    let url = this.#blobUrls.get(cacheKey);
    if (!url) {
      const type = mediaType(file);
      url = passiveType(type) === SAVE_ONLY_TYPE ? dataUrl(bytes, type) : URL.createObjectURL(new Blob([bytes as BlobPart], { type }));
      this.#blobUrls.set(cacheKey, url);
    }
    return url;
  }

  /** Revokes every blob URL made. */
  revoke(): void {
    for (const url of this.#blobUrls.values()) if (url.startsWith('blob:')) URL.revokeObjectURL(url);
    this.#blobUrls.clear();
  }
}

function dataUrl(bytes: Uint8Array, type: string): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return `data:${type};base64,${btoa(binary)}`;
}

function mediaType(file: string): string {
  return MEDIA_TYPES[file.split('.').pop()?.toLowerCase() ?? ''] ?? 'application/octet-stream';
}
