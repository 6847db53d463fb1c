/**
 * Which app owns an origin: the one whose version was served from it first.
 * The host reads it on every mount with the platform's `allow-same-origin`.
 */
import type { AppRecord } from './types.js';

/**
 * The app that owns `origin`: the first, by publish time, with a version served from it. A later app naming the
 * origin (even in a panel it never opens) is the one refused a real origin there, never the owner.
 */
export function originOwner(versionsByApp: ReadonlyMap<string, readonly AppRecord[]>, origin: string): string | undefined {
  let owner: { name: string; since: number } | undefined;
  for (const [name, versions] of versionsByApp) {
    for (const record of versions) {
      if (!servedFrom(record, origin)) continue;
      const since = record.publishedAt;
      if (!owner || since < owner.since || (since === owner.since && name < owner.name)) owner = { name, since };
    }
  }
  return owner?.name;
}

/** Whether a version of the app is served from `origin` (its baseUrl, or an absolute page URL). */
export function servedFrom(record: AppRecord, origin: string): boolean {
  const { baseUrl, manifest } = record;
  const pages = [baseUrl, ...manifest.components.panels.map((p) => p.url), ...manifest.components.modules.map((m) => m.url)];
  return pages.some((page) => page !== undefined && originOf(page, baseUrl) === origin);
}

function originOf(url: string, base: string): string | undefined {
  try {
    return new URL(url, base).origin;
  } catch {
    return undefined;
  }
}
