// Dev-server plugin for the browser tests: eventemitter3's ESM
// entry wraps its CommonJS build, which a browser cannot load, so bare imports
// of it go to the package's own ES module build instead (bundlers do the same).
export function esmAliases() {
  return {
    name: 'slotbridge-esm-aliases',
    resolveImport({ source }) {
      if (source === 'eventemitter3') return '/node_modules/eventemitter3/dist/eventemitter3.esm.js';
      return undefined;
    },
  };
}
