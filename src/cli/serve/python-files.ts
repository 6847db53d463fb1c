/**
 * What a platform serves for Python modules, as `slotbridge demo` and `dev`
 * serve it under `/__slotbridge/python/` on the apps origin: slotbridge's
 * runner (dist/python/) and Pyodide's files from the installed `pyodide`.
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { builtFile, packageRoot } from './package-root.js';
import { fileFor } from './static-files.js';

export const PYTHON_PATH = '/__slotbridge/python/';

/** Pyodide's files a browser loads: the module loader, the interpreter, the standard library, the package index. */
export const PYODIDE_FILES = ['pyodide.mjs', 'pyodide.asm.mjs', 'pyodide.asm.wasm', 'python_stdlib.zip', 'pyodide-lock.json'] as const;

let pyodideDir: string | null | undefined;

/** The installed Pyodide's folder, or `undefined` when it is not installed. */
export function findPyodide(): string | undefined {
  if (pyodideDir === undefined) {
    try {
      pyodideDir = dirname(createRequire(`${packageRoot()}/package.json`).resolve('pyodide/package.json'));
    } catch {
      pyodideDir = null;
    }
  }
  return pyodideDir ?? undefined;
}

/** What the page and the terminal say when Python is to run in the browser and Pyodide (slotbridge's optional peer) is not installed. */
export function pyodideProblem(): string | undefined {
  return findPyodide()
    ? undefined
    : "Python functions run in the browser on Pyodide, which is not installed beside slotbridge: run npm install --save-dev pyodide in the app's folder, then start again.";
}

/** The file a path under `PYTHON_PATH` names: a runner file, or one of Pyodide's. */
export function pythonFile(path: string): string | undefined {
  const name = path.slice(PYTHON_PATH.length);
  const runner = fileFor(builtFile('python'), `/${name}`);
  if (runner) return runner;
  const pyodide = findPyodide();
  return pyodide && (PYODIDE_FILES as readonly string[]).includes(name) ? fileFor(pyodide, `/${name}`) : undefined;
}
