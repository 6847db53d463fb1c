import { validateManifest } from '../manifest/validate.js';
import type { ManifestIssue } from '../manifest/issues.js';
import { findManifestFile, readText, CliError } from './app-files.js';
import type { Output } from './output.js';

interface FileResult {
  file: string;
  ok: boolean;
  errors: ManifestIssue[];
  warnings: ManifestIssue[];
}

/** `slotbridge validate <file|dir>... [--json]`: exit 1 when any manifest has an error. */
export function validateCommand(args: readonly string[], out: Output): number {
  const json = args.includes('--json');
  const paths = args.filter((a) => a !== '--json');
  const unknown = paths.find((p) => p.startsWith('-'));
  if (unknown) throw new CliError(`validate: unknown option ${unknown}. Usage: slotbridge validate <file|dir>... [--json]`, 2);
  if (paths.length === 0)
    throw new CliError('validate: name at least one manifest file or app folder. Usage: slotbridge validate <file|dir>... [--json]', 2);

  const results: FileResult[] = paths.map((path) => {
    try {
      const file = findManifestFile(path);
      const { ok, errors, warnings } = validateManifest(readText(file));
      return { file, ok, errors, warnings };
    } catch (err) {
      if (!(err instanceof CliError)) throw err;
      return { file: path, ok: false, errors: [{ path: '', code: 'not_json', message: err.message }], warnings: [] };
    }
  });

  if (json) {
    out.stdout(JSON.stringify(results, null, 2));
  } else {
    for (const r of results) {
      const counts = `${plural(r.errors.length, 'error')}, ${plural(r.warnings.length, 'warning')}`;
      out.stdout(`${r.ok ? 'ok  ' : 'FAIL'} ${r.file}: ${r.ok ? 'valid' : 'invalid'} (${counts})`);
      for (const issue of r.errors) out.stdout(formatIssue('error', issue));
      for (const issue of r.warnings) out.stdout(formatIssue('warning', issue));
    }
  }
  return results.every((r) => r.ok) ? 0 : 1;
}

/** One issue as a line of the command's output. */
export function formatIssue(level: 'error' | 'warning', issue: ManifestIssue): string {
  return `  ${level.padEnd(7)} ${issue.path || '(root)'}: ${issue.message} [${issue.code}]`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
