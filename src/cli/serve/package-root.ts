/** Where the installed slotbridge package is: the built demo and the browser SDK ship inside it. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CliError } from '../app-files.js';

let root: string | undefined;

export function packageRoot(): string {
  if (root) return root;
  for (let dir = dirname(fileURLToPath(import.meta.url)); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'slotbridge')
      return (root = dir);
  }
  throw new CliError('Cannot find the slotbridge package this command belongs to; reinstall slotbridge.');
}

/** A file of the built package (dist/...); says to build when it is missing. */
export function builtFile(...parts: string[]): string {
  const file = join(packageRoot(), 'dist', ...parts);
  if (!existsSync(file))
    throw new CliError(`${join('dist', ...parts)} is missing from the slotbridge package. In a clone of slotbridge, run: npm run build`);
  return file;
}

/** The installed slotbridge's version (what a new app depends on). */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}
