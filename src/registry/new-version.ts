/**
 * What publishing checks before a version is written: the manifest (by its
 * schema), the options, the name's owner and the version's novelty.
 */
import { ErrorCode } from '../errors/error-code.js';
import { SlotbridgeError } from '../errors/slotbridge-error.js';
import { BRIDGE_NAME } from '../manifest/vocabulary.js';
import type { AppRecord, PublishOptions } from './types.js';
import type { Untrusted } from '../errors/untrusted.js';

/**
 * The record of a new version, or `MANIFEST_INVALID`, `BAD_INPUT`,
 * `NAME_TAKEN`, `VERSION_EXISTS`. `versions` are the app's published ones.
 */
export async function newVersion(
  manifestInput: unknown,
  options: PublishOptions,
  versionsOf: (name: string) => readonly AppRecord[],
  project: string,
  assets: Record<string, Uint8Array> | undefined,
): Promise<AppRecord> {
  // The validator loads on the first publish: a host that only mounts what is installed never needs it.
  const { parseManifest } = await import('../manifest/validate.js');
  const publishing = options as Untrusted<PublishOptions> | undefined;
  if (typeof publishing?.baseUrl !== 'string' || !isAbsoluteUrl(publishing.baseUrl)) {
    throw new SlotbridgeError(ErrorCode.BAD_INPUT, "publish needs { baseUrl }: the absolute URL where the app's files are served.");
  }
  const { bridge } = publishing;
  if (bridge !== undefined && (typeof bridge !== 'string' || !BRIDGE_NAME.test(bridge))) {
    throw new SlotbridgeError(
      ErrorCode.BAD_INPUT,
      `publish's bridge is the name of a bridge adapter, such as "slotbridge" or "dataloop"; got ${(JSON.stringify(bridge) as string | undefined)?.slice(0, 60)}.`,
    );
  }
  const { permissions } = options;
  if (permissions !== undefined && !Array.isArray(permissions))
    throw new SlotbridgeError(ErrorCode.BAD_INPUT, "publish's permissions is a list such as ['items:read'].");
  // Both go in before the manifest is checked and normalized: the permissions pass its schema, and a Dataloop app's panel URLs follow Dataloop's layout.
  const given = { ...(bridge !== undefined ? { bridge } : {}), ...(permissions !== undefined ? { permissions } : {}) };
  const manifest = parseManifest(manifestInput, given);
  const versions = versionsOf(manifest.name);
  const provider = typeof manifest.provider === 'string' ? manifest.provider : undefined;
  const owner = versions[0]?.provider;
  if (versions.length > 0 && owner !== provider) {
    throw new SlotbridgeError(
      ErrorCode.NAME_TAKEN,
      `The name "${manifest.name}" belongs to ${owner ?? 'another provider'}; pick another name.`,
    );
  }
  if (versions.some((v) => v.version === manifest.version)) {
    throw new SlotbridgeError(
      ErrorCode.VERSION_EXISTS,
      `${manifest.name}@${manifest.version} is already published and cannot change; raise the version.`,
    );
  }
  const scope = options.scope ?? manifest.scope;
  return {
    name: manifest.name,
    version: manifest.version,
    manifest,
    baseUrl: options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`,
    scope,
    project: scope === 'project' ? (options.project ?? project) : undefined,
    provider,
    publishedAt: Date.now(),
    ...(assets ? { assets } : {}),
  };
}

function isAbsoluteUrl(url: string): boolean {
  try {
    return /^https?:$/.test(new URL(url).protocol);
  } catch {
    return false;
  }
}
