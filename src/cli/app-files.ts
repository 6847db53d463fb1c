/** Finding an app's manifest and files on disk. */
import { existsSync, readFileSync, readdirSync, statSync, lstatSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** Manifest file names, in the order they are looked for. */
export const MANIFEST_FILES = ['app.json', 'dataloop.json'] as const;

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** The manifest file of a path: the file itself, or `app.json` / `dataloop.json` inside a folder. */
export function findManifestFile(path: string): string {
  if (!existsSync(path)) throw new CliError(`${path}: no such file or folder.`);
  if (!statSync(path).isDirectory()) return path;
  for (const name of MANIFEST_FILES) {
    const candidate = join(path, name);
    if (existsSync(candidate)) return candidate;
  }
  throw new CliError(`${path}: no ${MANIFEST_FILES.join(' or ')} in this folder.`);
}

export function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError(`${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? String(err)}).`);
  }
}

/**
 * Every regular file under `dir/folder`, as sorted paths relative to `dir` with
 * "/" separators. Dotfiles and symbolic links are left out (and reported), so
 * that a package holds only the app's own files.
 */
export function listFiles(dir: string, folder: string, skipped: string[]): string[] {
  const root = join(dir, folder);
  if (!existsSync(root)) return [];
  const out: string[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const current = stack.pop()!;
    for (const name of readdirSync(current)) {
      const full = join(current, name);
      const rel = relative(dir, full).split(sep).join('/');
      const stat = lstatSync(full);
      if (name.startsWith('.') || stat.isSymbolicLink()) skipped.push(rel);
      else if (stat.isDirectory()) stack.push(full);
      else if (stat.isFile()) out.push(rel);
    }
  }
  return out.sort();
}
