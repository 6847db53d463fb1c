/** Turns zod's issues into manifest issues whose messages say what to write instead. */
import type * as z from 'zod/mini';
import { type IssueList, ManifestIssueCode } from './issues.js';

type ZodIssue = z.core.$ZodIssue;

export function addSchemaIssues(zodIssues: readonly ZodIssue[], input: unknown, issues: IssueList): void {
  for (const issue of zodIssues) {
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      // Report the branch that got furthest: its issues name the real problem.
      const best = issue.errors.reduce((a, b) => (deepest(b) > deepest(a) ? b : a));
      if (deepest(best) > issue.path.length) {
        addSchemaIssues(
          best.map((i) => ({ ...i, path: [...issue.path, ...i.path] })),
          input,
          issues,
        );
        continue;
      }
    }
    const [code, message] = describeIssue(issue, valueAt(input, issue.path));
    issues.error(issue.path, code, message);
  }
}

function deepest(branch: readonly ZodIssue[]): number {
  return Math.max(0, ...branch.map((i) => i.path.length));
}

function describeIssue(issue: ZodIssue, value: unknown): [ManifestIssueCode, string] {
  // A message set on the schema ("write ...") is better than anything generic.
  const custom = issue.message && issue.message !== 'Invalid input' ? issue.message : undefined;
  switch (issue.code) {
    case 'invalid_type':
      if (value === undefined) {
        const key = issue.path.at(-1);
        const what = typeof key === 'string' ? `"${key}" (${article(issue.expected)})` : article(issue.expected);
        return [ManifestIssueCode.REQUIRED, `Required: add ${what} here.`];
      }
      return [ManifestIssueCode.INVALID_TYPE, `Expected ${article(issue.expected)}, got ${typeName(value)}.`];
    case 'invalid_value':
      return [
        ManifestIssueCode.INVALID_VALUE,
        `${quote(value)} is not allowed; write one of: ${issue.values.map((v) => JSON.stringify(v)).join(', ')}.`,
      ];
    case 'invalid_format':
      return [ManifestIssueCode.INVALID_FORMAT, `${quote(value)} is not valid: ${custom ?? `expected the ${issue.format} format`}.`];
    case 'too_small':
    case 'too_big':
      return [ManifestIssueCode.OUT_OF_RANGE, `${quote(value)} is out of range: ${custom ?? issue.code.replace('_', ' ')}.`];
    case 'invalid_union':
      return [
        ManifestIssueCode.INVALID_TYPE,
        `${quote(value)} does not match any accepted form; see the manifest reference for this field.`,
      ];
    default:
      return [ManifestIssueCode.INVALID_VALUE, custom ?? `This value is not valid (${issue.code}).`];
  }
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node = root;
  for (const key of path) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

function article(expected: string): string {
  const word = expected === 'object' ? 'object' : expected === 'array' ? 'list' : expected;
  return /^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return article(typeof value);
}

function quote(value: unknown): string {
  const json = typeof value === 'string' ? JSON.stringify(value) : typeName(value);
  return json.length > 60 ? `${json.slice(0, 57)}..."` : json;
}
