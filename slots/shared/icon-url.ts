import type { AppRecord, Host } from '../../src/for-slots.js';

const ASSET = /^\$\{ASSET:([^}]+)\}$/;

/**
 * An image URL for an app's or toolbar's icon: an http(s) URL, or a
 * `${ASSET:file}` of the app (a blob or SVG data URL for a packaged one). Anything else
 * (an icon-font name, a `javascript:` URL) gives nothing, and the element
 * shows a letter or no image.
 */
export function iconUrl(host: Host, record: AppRecord, icon: string | undefined): string | undefined {
  if (!icon) return undefined;
  const asset = ASSET.exec(icon);
  const url = asset ? host.registry.assetUrl(record, asset[1]) : icon;
  return url && /^(https?:|blob:|data:image\/svg\+xml;base64,)/.test(url) ? url : undefined;
}
