// The built package as an author's native-ESM tooling loads it: web-test-runner
// resolving bare imports, and nothing else (no plugins, no aliases, no
// CommonJS interop; CORS for sandboxed panels). `npm run build` first: the tests import dist/.
import base from '../web-test-runner.config.mjs';

export default {
  rootDir: base.rootDir,
  files: ['test/package/**/*.test.js'],
  nodeResolve: true,
  // Server configuration, not module resolution: a sandboxed panel's scripts are cross-origin fetches, as on any platform.
  middleware: [
    (ctx, next) => {
      ctx.set('Access-Control-Allow-Origin', '*');
      return next();
    },
  ],
  browsers: base.browsers,
  reporters: base.reporters,
  testFramework: base.testFramework,
  testsFinishTimeout: base.testsFinishTimeout,
};
