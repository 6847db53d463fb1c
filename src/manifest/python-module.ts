/** Which modules are Python: an entry point ending in `.py`, or `"runtime": "python"`. */
export function isPythonModule(module: { entryPoint?: unknown; runtime?: unknown; url?: unknown }): boolean {
  return module.runtime === 'python' || (typeof module.entryPoint === 'string' && /\.py$/i.test(module.entryPoint));
}
