/** What installing checks before an installation is written: the version, the scope and the grant. */
import { ErrorCode } from '../errors/error-code.js';
import { SlotbridgeError } from '../errors/slotbridge-error.js';
import type { AppRecord, Installation, InstallOptions } from './types.js';

/**
 * The installation of `record` (the version asked for, if published) in
 * `project`, or `APP_NOT_FOUND`, `SCOPE_VIOLATION`, `PERMISSION_DENIED`.
 * Settings carry over from `previous`; a first install gets the wizard's defaults.
 */
export async function newInstallation(
  name: string,
  record: AppRecord | undefined,
  published: readonly AppRecord[] | undefined,
  options: InstallOptions,
  project: string,
  previous: Installation | undefined,
): Promise<Installation> {
  if (!record) {
    throw new SlotbridgeError(
      ErrorCode.APP_NOT_FOUND,
      published
        ? `${name} has no version ${options.version}; published: ${published.map((v) => v.version).join(', ')}.`
        : `No app named "${name}" is published; publish it first.`,
    );
  }
  if (record.scope === 'project' && record.project !== project) {
    throw new SlotbridgeError(
      ErrorCode.SCOPE_VIOLATION,
      `${name} is published for project "${record.project}" only; publish it with scope "organization" to use it in "${project}".`,
    );
  }
  const asked = record.manifest.permissions;
  const grant = options.grant ?? asked;
  const extra = grant.filter((p) => !asked.includes(p));
  if (extra.length > 0) {
    throw new SlotbridgeError(
      ErrorCode.PERMISSION_DENIED,
      `${name} does not ask for ${extra.join(', ')}; a grant may only hold permissions from the manifest: ${asked.join(', ') || '(none)'}.`,
    );
  }
  // The wizard's rules load with the first install: a page that only mounts never needs them.
  const settings = previous?.settings ?? (await import('../wizard/wizard-form.js')).defaultSettings(record.manifest.wizard?.entries ?? []);
  return { app: name, version: record.version, project, grant: [...new Set(grant)], settings, installedAt: Date.now() };
}
