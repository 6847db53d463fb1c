// One ESM bundle per entry point plus its .d.ts; dependencies stay external.
// Three browser builds carry their dependencies: the guest SDK for apps served
// without a bundler (dist/browser/), the Python module runner the platform
// serves beside Pyodide (dist/python/), and the demo platform (dist/demo/).
import { writeFile } from 'node:fs/promises';
import { cpSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import commonjs from '@rollup/plugin-commonjs';
import { builtinModules } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { readFileSync, rmSync } from 'node:fs';
import esbuild from 'rollup-plugin-esbuild';
import { dts } from 'rollup-plugin-dts';

// Chunk names carry hashes: start from an empty dist/ so no stale chunk survives.
rmSync('dist', { recursive: true, force: true });

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
/**
 * Dependencies whose package entry is CommonJS behind an ESM wrapper, which a
 * browser (or any native-ESM tool without a CommonJS plugin) cannot load: their
 * own ES module build is bundled into dist/ instead of imported.
 */
const bundledEsm = { eventemitter3: fileURLToPath(new URL('./node_modules/eventemitter3/dist/eventemitter3.esm.js', import.meta.url)) };
const dependencies = Object.keys(pkg.dependencies ?? {}).filter((dep) => !Object.hasOwn(bundledEsm, dep));
const external = (id) =>
  id.startsWith('node:') || builtinModules.includes(id) || dependencies.some((dep) => id === dep || id.startsWith(`${dep}/`));
const resolveBundledEsm = { name: 'resolve-bundled-esm', resolveId: (id) => (Object.hasOwn(bundledEsm, id) ? bundledEsm[id] : null) };

/** Entry points of the package: name in dist/ -> source. */
const entries = {
  index: 'src/index.ts',
  manifest: 'src/manifest/index.ts',
  guest: 'src/guest/index.ts',
  'guest-testing': 'src/testing/index.ts',
  slots: 'slots/index.ts',
  dataloop: 'src/dataloop/index.ts',
};
const cli = { cli: 'src/cli/main.ts' };
/** The registry service, for Node: slotbridge/server. */
const server = { server: 'server/index.ts' };

/** Writes dist/manifest.schema.json from the built manifest module: the schema stays the one source. */
const writeManifestJsonSchema = {
  name: 'write-manifest-json-schema',
  async writeBundle() {
    // The CLI's Python (run on Pyodide) beside it.
    cpSync('src/cli/python/plugin_signatures.py', 'dist/cli/plugin_signatures.py');
    const url = pathToFileURL(`${process.cwd()}/dist/manifest.js`);
    url.search = `?t=${Date.now()}`;
    const { manifestJsonSchema } = await import(url.href);
    await writeFile('dist/manifest.schema.json', `${JSON.stringify(manifestJsonSchema, null, 2)}\n`);
  },
};

/** dist/custom-elements.json, from the slot elements' classes and JSDoc (slots/custom-elements-manifest.config.mjs). */
const writeCustomElementsManifest = {
  name: 'write-custom-elements-manifest',
  writeBundle() {
    const cem = fileURLToPath(new URL('./node_modules/@custom-elements-manifest/analyzer/cem.js', import.meta.url));
    execFileSync(process.execPath, [cem, 'analyze', '--quiet', '--config', 'slots/custom-elements-manifest.config.mjs'], {
      stdio: 'inherit',
    });
  },
};

/** The demo's static files next to its bundle: the page, the sample images and the sample apps. */
const copyDemoFiles = {
  name: 'copy-demo-files',
  writeBundle() {
    for (const file of ['index.html', 'platform.css']) cpSync(`demo/${file}`, `dist/demo/${file}`);
    for (const dir of ['images', 'apps']) cpSync(`demo/${dir}`, `dist/demo/${dir}`, { recursive: true });
  },
};

/** What the platform serves beside Pyodide for Python modules: the runner page and slotbridge's Python files. */
const copyPythonFiles = {
  name: 'copy-python-files',
  writeBundle() {
    cpSync('src/python/slotbridge-python.html', 'dist/python/slotbridge-python.html');
    cpSync('src/python/py', 'dist/python/py', { recursive: true });
  },
};

/** Dependencies' own build notes (circular imports inside zod, its annotations) say nothing about slotbridge. */
const quietDependencies = (level, log, handler) => {
  if ((log.code === 'CIRCULAR_DEPENDENCY' || log.code === 'INVALID_ANNOTATION') && /node_modules/.test(log.message)) return;
  handler(level, log);
};

const browserPlugins = () => [nodeResolve({ browser: true }), commonjs(), esbuild({ target: 'es2022', minify: true })];

export default [
  {
    input: { ...entries, ...cli, ...server },
    external,
    plugins: [resolveBundledEsm, esbuild({ target: 'es2022' }), writeManifestJsonSchema, writeCustomElementsManifest],
    output: {
      dir: 'dist',
      format: 'es',
      entryFileNames: '[name].js',
      chunkFileNames: 'chunks/shared-[hash].js',
      banner: (chunk) => (chunk.name === 'cli' ? '#!/usr/bin/env node' : ''),
      sourcemap: true,
    },
  },
  {
    input: { ...entries, ...server },
    // Types stay imported from every dependency, the bundled ones included (their typings are plain ESM).
    external: (id) => external(id) || Object.hasOwn(bundledEsm, id),
    plugins: [dts()],
    output: { dir: 'dist', format: 'es', entryFileNames: '[name].d.ts', chunkFileNames: 'chunks/shared-[hash].d.ts' },
  },
  {
    input: { 'slotbridge-guest': 'src/guest/index.ts' },
    plugins: browserPlugins(),
    onLog: quietDependencies,
    output: { dir: 'dist/browser', format: 'es', sourcemap: true },
  },
  {
    input: { 'slotbridge-python': 'src/python/runner.ts' },
    plugins: [...browserPlugins(), copyPythonFiles],
    onLog: quietDependencies,
    output: { dir: 'dist/python', format: 'es', sourcemap: true },
  },
  {
    // Started from a blob by the runner: one file, no imports of its own.
    input: { 'slotbridge-python-worker': 'src/python/worker.ts' },
    plugins: browserPlugins(),
    output: { dir: 'dist/python', format: 'es', inlineDynamicImports: true },
  },
  {
    input: { main: 'demo/main.ts' },
    plugins: [...browserPlugins(), copyDemoFiles],
    onLog: quietDependencies,
    output: { dir: 'dist/demo', format: 'es', chunkFileNames: 'chunks/[name]-[hash].js', sourcemap: true },
  },
];
