/**
 * Names the service takes. An app is served at an origin of its own,
 * `<app>--<version>.apps.<host>`, so its name and version must make one DNS
 * label: lowercase letters, digits and hyphens, at most 63 characters in all.
 * That also keeps out look-alikes (no unicode), path tricks (`..`, `/`) and
 * SQL metacharacters before any query is built (queries are parameterized
 * anyway).
 */
import { ErrorCode } from '../../src/errors/error-code.js';
import { SlotbridgeError } from '../../src/errors/slotbridge-error.js';

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export function checkSlug(kind: 'app' | 'namespace' | 'tag', name: string): void {
  if (!SLUG.test(name) || name.includes('--')) {
    throw new SlotbridgeError(
      ErrorCode.BAD_INPUT,
      `${JSON.stringify(name.slice(0, 80))} cannot name ${kind === 'app' ? 'an app on this registry' : `a ${kind}`}: use lowercase letters, digits and single hyphens (such as "shape-notes"), at most 63 characters.`,
    );
  }
}

/** A version as a DNS label: `1.2.0-beta.1` is `1-2-0-beta-1`. */
export function versionLabel(version: string): string {
  return version.toLowerCase().replace(/[^a-z0-9]/g, '-');
}

/** The first label of an app version's origin; `BAD_INPUT` when it would not fit in one. */
export function originLabel(app: string, version: string): string {
  const label = `${app}--${versionLabel(version)}`;
  if (label.length > 63)
    throw new SlotbridgeError(
      ErrorCode.BAD_INPUT,
      `${app}@${version} would be served at ${label}.apps…, longer than a host name label may be (63); use a shorter name or version.`,
    );
  return label;
}
