import { SlotbridgeError } from '../errors/slotbridge-error.js';
import { ErrorCode } from '../errors/error-code.js';
import { checkCrossReferences } from './cross-references.js';
import { IssueList, type ManifestIssue, ManifestIssueCode } from './issues.js';
import { type Manifest, normalize } from './normalize.js';
import { checkStructure, toJsonValue } from './preflight.js';
import { addSchemaIssues } from './schema-issues.js';
import { ManifestSchema } from './schema.js';

export interface ValidationResult {
  /** True when there is no error (warnings allowed). */
  ok: boolean;
  /** The manifest with its defaults applied; present only when `ok`. */
  manifest: Manifest | undefined;
  errors: ManifestIssue[];
  warnings: ManifestIssue[];
}

const schemaKeys = Object.keys(ManifestSchema.def.shape);

/**
 * Validates a manifest given as JSON text or as parsed data. Returns every
 * error and warning at once, each with its path; never throws, whatever the input.
 * `given` are top-level fields the publisher sets (`bridge`, `permissions`):
 * they replace the manifest's before it is checked.
 */
export function validateManifest(input: unknown, given?: Record<string, unknown>): ValidationResult {
  const issues = new IssueList();
  let manifest: Manifest | undefined;
  try {
    const json = toJsonValue(input, issues);
    const isObject = json.ok && typeof json.value === 'object' && json.value !== null && !Array.isArray(json.value);
    if (isObject && given) json.value = { ...(json.value as Record<string, unknown>), ...given };
    if (json.ok) {
      checkStructure(json.value, issues);
      if (issues.errors.every((e) => e.code !== ManifestIssueCode.NOT_OBJECT)) {
        const parsed = ManifestSchema.safeParse(json.value);
        if (!parsed.success) addSchemaIssues(parsed.error.issues, json.value, issues);
        checkCrossReferences(json.value as Record<string, unknown>, schemaKeys, issues);
        if (parsed.success && issues.errors.length === 0) manifest = normalize(parsed.data);
      }
    }
  } catch (err) {
    // Nothing above should throw; if something does, the caller still gets a result.
    issues.error(
      '',
      ManifestIssueCode.INVALID_VALUE,
      `The manifest could not be checked (${err instanceof Error ? err.message : String(err)}).`,
    );
  }
  const errors = dedupe(issues.errors);
  return { ok: errors.length === 0, manifest: errors.length === 0 ? manifest : undefined, errors, warnings: dedupe(issues.warnings) };
}

/** Like `validateManifest`, but returns the manifest or throws `MANIFEST_INVALID` with the errors in `details`. */
export function parseManifest(input: unknown, given?: Record<string, unknown>): Manifest {
  const result = validateManifest(input, given);
  if (result.ok && result.manifest) return result.manifest;
  const first = result.errors.at(0);
  const more = result.errors.length > 1 ? ` (and ${result.errors.length - 1} more)` : '';
  throw new SlotbridgeError(
    ErrorCode.MANIFEST_INVALID,
    `The manifest is not valid: ${first ? `${first.path || '(root)'}: ${first.message}` : 'unknown problem'}${more}`,
    { errors: result.errors, warnings: result.warnings },
  );
}

function dedupe(list: ManifestIssue[]): ManifestIssue[] {
  const seen = new Set<string>();
  return list.filter((issue) => {
    const key = `${issue.path}\u0000${issue.code}\u0000${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
