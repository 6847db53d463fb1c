/**
 * Python modules in the browser: where the platform serves Pyodide and
 * slotbridge's runner page, which modules run there, and the URL of a
 * module's frame (sandboxed as any module frame: its own opaque origin).
 */
import { ErrorCode } from '../errors/error-code.js';
import { SlotbridgeError } from '../errors/slotbridge-error.js';
import type { Manifest, Module } from '../manifest/normalize.js';
import { isPythonModule } from '../manifest/python-module.js';
import { resolveUrl } from '../manifest/urls.js';
import type { PythonModuleConfig } from '../python/module-config.js';
import { isObject, type Untrusted } from '../errors/untrusted.js';

/** The runner page a platform serves beside Pyodide (slotbridge's dist/python/). The host never loads the config's schema: the page parses what it is given. */
const PYTHON_RUNNER_PAGE = 'slotbridge-python.html';

export interface PythonOptions {
  /**
   * Where the platform serves Pyodide's files and slotbridge's Python runner
   * (docs/python.md lists them), an http(s) folder URL. Pyodide is fetched
   * from it when the first Python function runs, never before; packages a
   * module imports are loaded from it too, never from elsewhere.
   */
  indexURL: string;
  /**
   * Whether a Python module runs in the browser (the default) or, returning
   * false, on the platform's executor (`createHost({ functions })`).
   */
  runsInBrowser?(module: { app: string; module: string }): boolean;
}

/** The folder URL Pyodide is served from, checked: `BAD_INPUT` naming what to pass. */
export function pythonIndexUrl(python: PythonOptions | undefined): string | undefined {
  if (python === undefined) return undefined;
  const bad = () =>
    new SlotbridgeError(
      ErrorCode.BAD_INPUT,
      'python.indexURL is the http(s) folder that serves Pyodide\'s files and slotbridge-python.html: createHost({ python: { indexURL: "/pyodide/" } }).',
    );
  const given = python as Untrusted<PythonOptions> | null;
  if (!isObject(given) || typeof given.indexURL !== 'string') throw bad();
  if (given.runsInBrowser !== undefined && typeof given.runsInBrowser !== 'function') {
    throw new SlotbridgeError(ErrorCode.BAD_INPUT, 'python.runsInBrowser is a function ({ app, module }) => boolean.');
  }
  let url: URL;
  try {
    url = new URL(python.indexURL, document.baseURI);
  } catch {
    throw bad();
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw bad();
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url.href;
}

/** Whether a module without a page of its own runs as Python in the browser. */
export function runsAsPython(python: PythonOptions | undefined, app: string, module: Module): boolean {
  if (!python || module.url !== undefined || !isPythonModule(module)) return false;
  return python.runsInBrowser?.({ app, module: module.name }) ?? true;
}

/** The runner page for one module, with what it needs to know in its query. */
export function pythonFrameUrl(indexUrl: string, manifest: Manifest, module: Module, baseUrl: string): string {
  const functions = module.functions.map((f) => f.name);
  const bad = functions.find((name) => !PYTHON_NAME.test(name));
  if (bad !== undefined)
    throw new SlotbridgeError(
      ErrorCode.BAD_INPUT,
      `${manifest.name}'s Python module "${module.name}" declares the function "${bad}", which is no Python name; name it as its def does.`,
    );
  const initInputs: Record<string, unknown> = {};
  for (const param of list((module as { initInputs?: unknown }).initInputs)) {
    if (param && typeof param === 'object' && typeof (param as { name?: unknown }).name === 'string')
      initInputs[(param as { name: string }).name] = (param as { value?: unknown }).value ?? null;
  }
  const config: PythonModuleConfig = {
    entry: resolveUrl(String(module.entryPoint), baseUrl),
    module: module.name,
    functions,
    ...(typeof module.className === 'string' ? { className: module.className } : {}),
    initInputs,
  };
  const url = new URL(PYTHON_RUNNER_PAGE, indexUrl);
  url.searchParams.set('module', JSON.stringify(config));
  return url.href;
}

const PYTHON_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,99}$/;

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
