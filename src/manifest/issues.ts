/** One problem found in a manifest. */
export interface ManifestIssue {
  /** Where: `components.toolbars[0].invoke.namespace`; `''` for the manifest as a whole. */
  path: string;
  /** Stable, machine-readable kind of problem. */
  code: ManifestIssueCode;
  /** What is wrong and what to write instead. */
  message: string;
}

export const ManifestIssueCode = {
  NOT_JSON: 'not_json',
  NOT_OBJECT: 'not_object',
  TOO_LARGE: 'too_large',
  TOO_DEEP: 'too_deep',
  FORBIDDEN_KEY: 'forbidden_key',
  REQUIRED: 'required',
  INVALID_TYPE: 'invalid_type',
  INVALID_VALUE: 'invalid_value',
  INVALID_FORMAT: 'invalid_format',
  OUT_OF_RANGE: 'out_of_range',
  UNKNOWN_REFERENCE: 'unknown_reference',
  DUPLICATE_NAME: 'duplicate_name',
  UNSAFE_SANDBOX: 'unsafe_sandbox',
  UNSAFE_URL: 'unsafe_url',
  BAD_ASSET: 'bad_asset',
  // Warnings
  NAME_NOT_SLUG: 'name_not_slug',
  VERSION_MISSING: 'version_missing',
  SLOT_NOT_RUN: 'slot_not_run',
  SCRIPT_NOT_RUN: 'script_not_run',
  COMPONENT_NOT_RUN: 'component_not_run',
  UNKNOWN_FIELD: 'unknown_field',
} as const;

export type ManifestIssueCode = (typeof ManifestIssueCode)[keyof typeof ManifestIssueCode];

/** Formats a path array as `components.toolbars[0].invoke.namespace`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) out += out ? `.${key}` : key;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

/** Collects errors and warnings while a manifest is checked. */
export class IssueList {
  readonly errors: ManifestIssue[] = [];
  readonly warnings: ManifestIssue[] = [];

  error(path: readonly PropertyKey[] | string, code: ManifestIssueCode, message: string): void {
    this.errors.push({ path: typeof path === 'string' ? path : formatPath(path), code, message });
  }

  warn(path: readonly PropertyKey[] | string, code: ManifestIssueCode, message: string): void {
    this.warnings.push({ path: typeof path === 'string' ? path : formatPath(path), code, message });
  }
}
