/** Where the installed slotbridge package is: the built demo and the browser SDK ship inside it. */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
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

/** The installed slotbridge's version. */
export function packageVersion(root = packageRoot()): string {
  return (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
}

/**
 * How a new app depends on slotbridge: from wherever this copy came from. A
 * checkout (a git work tree): `file:` its folder. A copy installed in a
 * project (`node_modules/slotbridge`, npx's own folder included): that
 * project's spec for it, a `file:` path made absolute. Otherwise the
 * registry's `^<version>`.
 */
export function dependencySpec(root = packageRoot()): string {
  if (existsSync(join(root, '.git'))) return `file:${root}`;
  if (basename(dirname(root)) === 'node_modules') {
    const project = dirname(dirname(root));
    const manifest = join(project, 'package.json');
    if (existsSync(manifest)) {
      const { dependencies, devDependencies } = JSON.parse(readFileSync(manifest, 'utf8')) as Record<
        string,
        Record<string, unknown> | undefined
      >;
      const spec = dependencies?.['slotbridge'] ?? devDependencies?.['slotbridge'];
      if (typeof spec === 'string') return spec.startsWith('file:') ? `file:${resolve(project, spec.slice('file:'.length))}` : spec;
    }
  }
  return `^${packageVersion(root)}`;
}

/** The Pyodide an app with Python functions installs beside slotbridge (its optional peer): this copy's range for it. */
export function pyodideSpec(root = packageRoot()): string {
  const { peerDependencies } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    peerDependencies?: Record<string, string>;
  };
  return peerDependencies?.['pyodide'] ?? '*';
}
