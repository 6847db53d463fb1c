// Minified and gzipped size of an entry point with all its dependencies bundled in.
import { rollup } from 'rollup';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import commonjs from '@rollup/plugin-commonjs';
import { gzipSync } from 'node:zlib';

export async function bundleSize(input) {
  const bundle = await rollup({ input, plugins: [nodeResolve({ browser: true }), commonjs()], logLevel: 'silent' });
  const { output } = await bundle.generate({ format: 'es', plugins: [terser({ format: { comments: false } })] });
  await bundle.close();
  // What loading the entry costs: the entry and what it imports statically; chunks loaded on demand are not counted.
  const chunks = new Map(output.filter((chunk) => chunk.type === 'chunk').map((chunk) => [chunk.fileName, chunk]));
  const needed = new Set();
  const visit = (name) => {
    if (needed.has(name) || !chunks.has(name)) return;
    needed.add(name);
    for (const dep of chunks.get(name).imports) visit(dep);
  };
  for (const chunk of chunks.values()) if (chunk.isEntry) visit(chunk.fileName);
  const code = [...needed].map((name) => chunks.get(name).code).join('\n');
  // And with every chunk it may load later (the validator, the function runner, the wizard's rules, zip reading...).
  const everything = [...chunks.values()].map((chunk) => chunk.code).join('\n');
  return {
    minified: Buffer.byteLength(code),
    gzipped: gzipSync(code, { level: 9 }).length,
    withOnDemand: gzipSync(everything, { level: 9 }).length,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const input of process.argv.slice(2)) console.log(input, await bundleSize(input));
}
