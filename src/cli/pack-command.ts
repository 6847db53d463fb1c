import { existsSync, lstatSync, writeFileSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { zipSync, type Zippable } from 'fflate';
import { validateManifest } from '../manifest/validate.js';
import { CliError, findManifestFile, listFiles, readText } from './app-files.js';
import type { Output } from './output.js';
import { formatIssue } from './validate-command.js';

/** Folders of an app that go into its package, next to the manifest (`lib`: code its panels and modules share, such as the guest SDK). */
export const PACKED_FOLDERS = ['assets', 'lib', 'panels', 'modules'] as const;

// A fixed time (in local time, as zip stores it) keeps the bytes the same from run to run.
const FIXED_MTIME = new Date(1980, 0, 1, 0, 0, 0);

export interface PackedApp {
  zip: Uint8Array;
  name: string;
  version: string;
  files: number;
  /** Dotfiles and symbolic links left out. */
  skipped: string[];
}

/**
 * An app folder as a package, in memory: the manifest, then `assets/`, `lib/`,
 * `panels/` and `modules/`, and any module's entry point beside them; same
 * input, same bytes. `CliError` naming each
 * problem of an invalid manifest.
 */
export function packFolder(dir: string, command: string): PackedApp {
  const manifestFile = findManifestFile(dir);
  if (resolve(manifestFile) === resolve(dir)) throw new CliError(`${command}: ${dir} is a file; name the app's folder.`, 2);
  const result = validateManifest(readText(manifestFile));
  if (!result.ok || !result.manifest) {
    const lines = [`${command}: ${manifestFile} is not valid, nothing was done:`, ...result.errors.map((e) => formatIssue('error', e))];
    throw new CliError(lines.join('\n'));
  }
  const skipped: string[] = [];
  const files = [basename(manifestFile), ...PACKED_FOLDERS.flatMap((folder) => listFiles(dir, folder, skipped))];
  // A module's entry point outside those folders (a Python plugin's tasks.py beside its manifest) goes too.
  for (const module of result.manifest.components.modules) {
    const entry = typeof module.entryPoint === 'string' ? module.entryPoint.replace(/^\.\//, '') : undefined;
    if (entry === undefined || files.includes(entry) || entry.split('/').some((part) => part === '..' || part.startsWith('.'))) continue;
    const file = join(dir, entry);
    if (existsSync(file) && lstatSync(file).isFile()) files.push(entry);
  }
  const entries: Zippable = {};
  for (const file of files) entries[file] = [readFileSync(join(dir, file)), { mtime: FIXED_MTIME }];
  return {
    zip: zipSync(entries, { level: 9 }),
    name: result.manifest.name,
    version: result.manifest.version,
    files: files.length,
    skipped,
  };
}

/** `slotbridge pack <app-dir> [-o file.zip]`: refuses an invalid manifest; same input, same bytes. */
export function packCommand(args: readonly string[], out: Output): number {
  const { dir, output } = parseArgs(args);
  let packed: PackedApp;
  try {
    packed = packFolder(dir, 'pack');
  } catch (err) {
    if (!(err instanceof CliError) || err.exitCode !== 1) throw err;
    out.stderr(err.message.replace('nothing was done', 'nothing was written'));
    return 1;
  }
  const { zip, skipped, name, version, files } = packed;
  const target = output ?? `${name.replace(/[^A-Za-z0-9_.-]+/g, '-')}-${version}.zip`;
  try {
    writeFileSync(target, zip);
  } catch (err) {
    throw new CliError(`pack: cannot write ${target} (${(err as NodeJS.ErrnoException).code ?? String(err)}).`);
  }
  for (const s of skipped) out.stderr(`pack: left out ${s} (dotfile or symbolic link)`);
  out.stdout(`packed ${name}@${version}: ${files} files, ${zip.length} bytes -> ${target}`);
  return 0;
}

function parseArgs(args: readonly string[]): { dir: string; output: string | undefined } {
  const usage = 'Usage: slotbridge pack <app-dir> [-o file.zip]';
  let output: string | undefined;
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '-o' || arg === '--output') {
      output = args[++i];
      if (!output) throw new CliError(`pack: ${arg} needs a file name. ${usage}`, 2);
    } else if (arg.startsWith('-')) {
      throw new CliError(`pack: unknown option ${arg}. ${usage}`, 2);
    } else {
      positional.push(arg);
    }
  }
  if (positional.length !== 1) throw new CliError(`pack: name exactly one app folder. ${usage}`, 2);
  return { dir: positional[0], output };
}
