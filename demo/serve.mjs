// `npm start`: serves the demo on http://localhost:8000 (PORT or --port to change).
import { startDevServer } from '@web/dev-server';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { createServer } from 'node:net';
import { esmAliases } from '../test/esm-aliases.mjs';
import { fileURLToPath } from 'node:url';

const flag = process.argv.indexOf('--port');
const port = Number(flag > 0 ? process.argv[flag + 1] : process.env.PORT ?? 8000);
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  console.error(`slotbridge demo: "${flag > 0 ? process.argv[flag + 1] : process.env.PORT}" is not a port; use a number from 1 to 65535.`);
  process.exit(2);
}

// Say plainly when the port is taken, before the dev server prints a stack.
await new Promise((resolve) => {
  const probe = createServer()
    .once('error', (err) => {
      const why = err.code === 'EADDRINUSE' ? 'is already in use' : `cannot be opened (${err.code})`;
      console.error(`slotbridge demo: port ${port} ${why}. Stop what uses it, or run: PORT=8080 npm start`);
      process.exit(1);
    })
    .once('listening', () => probe.close(resolve))
    .listen(port, 'localhost');
});

await startDevServer({
  config: {
    rootDir: fileURLToPath(new URL('..', import.meta.url)),
    port,
    hostname: 'localhost',
    nodeResolve: true,
    appIndex: undefined,
    plugins: [esmAliases(), esbuildPlugin({ ts: true, target: 'es2022' })],
    middleware: [
      // Panels run with opaque origins: their module scripts are cross-origin fetches.
      (ctx, next) => {
        ctx.set('Access-Control-Allow-Origin', '*');
        if (ctx.path === '/') ctx.redirect('/demo/');
        return next();
      },
    ],
  },
  readCliArgs: false,
  readFileConfig: false,
  logStartMessage: false,
});
console.log(`slotbridge demo: http://localhost:${port}/demo/`);
