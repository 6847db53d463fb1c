import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import { validateManifest } from '../manifest/validate.js';
import { CliError, readText } from './app-files.js';
import type { Output } from './output.js';
import { builtFile } from './serve/package-root.js';
import { messageOf } from '../errors/caught.js';

const USAGE = 'Usage: slotbridge import-plugin <file.py|dir> [-o app.json]';

interface PyodideApi {
  runPython(code: string): unknown;
  globals: { get(name: string): (...args: unknown[]) => unknown };
}

/**
 * `slotbridge import-plugin <file.py|dir> [-o app.json]`: the functions a
 * Dioptra plugin registers (`@pyplugs.register`), read without importing it
 * (Python's `ast`, on Pyodide: no Python needs to be installed), as a
 * manifest with one Python module per file. Prints it (or writes it with -o);
 * exit 1 when no plugin is found or the result is invalid.
 */
export async function importPluginCommand(args: readonly string[], out: Output): Promise<number> {
  const outIndex = args.findIndex((a) => a === '-o' || a === '--out');
  const target = outIndex >= 0 ? args[outIndex + 1] : undefined;
  if (outIndex >= 0 && !target) throw new CliError(`import-plugin: -o needs a file name. ${USAGE}`, 2);
  const paths = outIndex >= 0 ? args.filter((_, i) => i !== outIndex && i !== outIndex + 1) : [...args];
  const unknown = paths.find((a) => a.startsWith('-'));
  if (unknown) throw new CliError(`import-plugin: unknown option ${unknown}. ${USAGE}`, 2);
  if (paths.length !== 1) throw new CliError(`import-plugin: name one plugin file or folder. ${USAGE}`, 2);
  const root = paths[0];
  const folder = statSync(root, { throwIfNoEntry: false })?.isDirectory() ?? false;
  const files = folder ? pythonFiles(root) : [root];
  if (files.length === 0) throw new CliError(`import-plugin: ${root} holds no .py file.`);

  const analyze = await loadAnalyzer();
  const modules = [];
  for (const file of files) {
    let functions: unknown[];
    try {
      functions = JSON.parse(String(analyze(readText(file), basename(file)))) as unknown[];
    } catch (err) {
      throw new CliError(`${file}: not a Python file this Python reads (${firstLine(err)}).`);
    }
    if (functions.length === 0) continue;
    const entryPoint = folder ? relative(root, file).split(sep).join('/') : basename(file);
    modules.push({ name: moduleName(entryPoint), entryPoint, functions });
  }
  if (modules.length === 0) throw new CliError(`import-plugin: no function in ${root} is registered with @pyplugs.register.`);

  const name = slug(basename(folder ? root : root.replace(/\.py$/i, ''))) || 'plugin';
  const manifest = {
    name,
    displayName: basename(root),
    version: '0.1.0',
    description: `Dioptra plugin functions from ${basename(root)}.`,
    components: { modules },
  };
  const result = validateManifest(manifest);
  const json = `${JSON.stringify(manifest, null, 2)}\n`;
  if (target) writeFileSync(target, json);
  else out.stdout(json.trimEnd());
  for (const issue of result.warnings) out.stderr(`warning  ${issue.path || '(root)'}: ${issue.message} [${issue.code}]`);
  for (const issue of result.errors) out.stderr(`error    ${issue.path || '(root)'}: ${issue.message} [${issue.code}]`);
  const count = modules.reduce((n, m) => n + m.functions.length, 0);
  out.stderr(
    `${result.ok ? 'ok  ' : 'FAIL'} ${root}: ${count} function${count === 1 ? '' : 's'} in ${modules.length} module${modules.length === 1 ? '' : 's'}${target ? ` -> ${target}` : ''}`,
  );
  return result.ok ? 0 : 1;
}

/** Pyodide, from the installed package, with the signature reader loaded: `analyze(source, filename)` answers JSON. */
async function loadAnalyzer(): Promise<(...args: unknown[]) => unknown> {
  let loadPyodide: (options?: object) => Promise<PyodideApi>;
  try {
    ({ loadPyodide } = (await import('pyodide')) as unknown as { loadPyodide: typeof loadPyodide });
  } catch {
    throw new CliError('import-plugin reads Python with Pyodide, which is not installed: npm install pyodide');
  }
  const py = await loadPyodide({ stdout: () => undefined, stderr: () => undefined });
  py.runPython(readText(builtFile('cli', 'plugin_signatures.py')));
  return py.globals.get('analyze');
}

function pythonFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || entry.name === '__pycache__') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...pythonFiles(path));
    else if (entry.isFile() && entry.name.endsWith('.py')) found.push(path);
  }
  return found.sort();
}

function moduleName(entryPoint: string): string {
  return slug(entryPoint.replace(/\.py$/i, '').replace(/\//g, '-')) || 'plugin';
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^[-_]+|[-_]+$/g, '');
}

function firstLine(err: unknown): string {
  return messageOf(err).trim().split('\n').at(-1) ?? '';
}
