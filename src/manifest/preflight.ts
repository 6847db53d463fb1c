/**
 * Checks that run before the schema: the input is JSON, an object, not too
 * large, not too deep, and free of keys that could reach an object prototype.
 * Iterative, so no input can overflow the stack.
 */
import { type IssueList, ManifestIssueCode, formatPath } from './issues.js';
import { messageOf } from '../errors/caught.js';

/** Largest manifest accepted, in characters of JSON text. Real manifests are a few KB. */
export const MAX_MANIFEST_CHARS = 1024 * 1024;
/** Deepest nesting accepted. Real manifests (Dataloop trigger filters included) stay under 15. */
export const MAX_MANIFEST_DEPTH = 64;
/** Keys refused anywhere: they can reach an object's prototype in careless consumers. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Turns any input into parsed JSON, or records why it cannot be. */
export function toJsonValue(input: unknown, issues: IssueList): { ok: true; value: unknown } | { ok: false } {
  let text: string;
  if (typeof input === 'string') {
    text = input;
  } else {
    // A round trip through JSON drops prototypes, getters and functions, and rejects cycles and BigInt.
    try {
      const serialized = JSON.stringify(input) as string | undefined;
      if (serialized === undefined) {
        issues.error('', ManifestIssueCode.NOT_JSON, `A manifest is a JSON object; got ${describe(input)}.`);
        return { ok: false };
      }
      text = serialized;
    } catch (err) {
      issues.error('', ManifestIssueCode.NOT_JSON, `The manifest cannot be written as JSON (${messageOf(err)}); pass plain data.`);
      return { ok: false };
    }
  }
  if (text.length > MAX_MANIFEST_CHARS) {
    issues.error(
      '',
      ManifestIssueCode.TOO_LARGE,
      `The manifest is ${formatSize(text.length)}; the limit is ${formatSize(MAX_MANIFEST_CHARS)}. Move large data into assets/ and reference it with \${ASSET:file}.`,
    );
    return { ok: false };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    issues.error('', ManifestIssueCode.NOT_JSON, `The manifest is not valid JSON: ${withLine(messageOf(err), text)}.`);
    return { ok: false };
  }
}

/** A JSON error that names a character offset (Node's do) names its line and column too: what an editor shows. */
function withLine(message: string, text: string): string {
  const position = /at position (\d+)/.exec(message)?.[1];
  if (position === undefined || /\bline\b/.test(message)) return message;
  const before = text.slice(0, Number(position));
  const line = before.split('\n').length;
  return `${message} (line ${line}, column ${Number(position) - before.lastIndexOf('\n')})`;
}

/** Walks parsed JSON breadth-first, recording keys that are forbidden and nesting that is too deep. */
export function checkStructure(value: unknown, issues: IssueList): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    issues.error('', ManifestIssueCode.NOT_OBJECT, `A manifest is a JSON object such as { "name": "my-app" }; got ${describe(value)}.`);
    return;
  }
  const queue: { node: object; path: (string | number)[] }[] = [{ node: value, path: [] }];
  for (let i = 0; i < queue.length; i++) {
    const { node, path } = queue[i];
    if (path.length >= MAX_MANIFEST_DEPTH) {
      issues.error(
        path.slice(0, MAX_MANIFEST_DEPTH),
        ManifestIssueCode.TOO_DEEP,
        `Nesting goes deeper than ${MAX_MANIFEST_DEPTH} levels here; flatten this value.`,
      );
      continue;
    }
    const entries: [string | number, unknown][] = Array.isArray(node) ? node.map((v, idx) => [idx, v]) : Object.entries(node);
    for (const [key, child] of entries) {
      if (typeof key === 'string' && FORBIDDEN_KEYS.has(key)) {
        issues.error(
          formatPath([...path, key]),
          ManifestIssueCode.FORBIDDEN_KEY,
          `The key "${key}" is not allowed in a manifest; rename or remove it.`,
        );
        continue;
      }
      if (typeof child === 'object' && child !== null) queue.push({ node: child, path: [...path, key] });
    }
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function formatSize(chars: number): string {
  return chars >= 1024 * 1024 ? `${(chars / (1024 * 1024)).toFixed(1)} MB` : `${Math.ceil(chars / 1024)} KB`;
}
