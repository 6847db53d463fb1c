/**
 * The bridge runtime (the built-ins, and the native adapter's connection with
 * its message schemas, with zod/mini under them) loads when the first frame mounts.
 * This file must mount nothing before its first test: the page would have
 * loaded the chunk already.
 */
import { expect } from 'chai';
import { createHarness } from './harness.js';

const loaded = (module: RegExp) => performance.getEntriesByType('resource').some((entry) => module.test(entry.name));
const runtimeLoaded = () => loaded(/builtins\/builtin-api/) && loaded(/native\/connection/) && loaded(/zod/);
const anyOfItLoaded = () => loaded(/builtins\/builtin-api/) || loaded(/native\/connection/) || loaded(/native\/handshake/);

describe('the bridge runtime', () => {
  it('loads when the first frame mounts, not when a host publishes and installs', async () => {
    const h = await createHarness({ apps: ['app-a', 'app-b'] });
    try {
      await h.host.registry.saveSettings('app-a', { level: 2 });
      expect(anyOfItLoaded()).to.equal(false, 'a page that only manages apps does not load it');
      // The first frame's messages wait for the runtime, then connect as usual.
      await h.mountGuest('first');
      expect(runtimeLoaded()).to.equal(true);
      expect((await h.command('first', 'call', { method: 'settings.get' })).value).to.deep.equal({
        hyperparams: {},
        configuration: { level: 2 },
      });
      expect((await h.command('first', 'supports', { method: 'storage.get' })).value).to.equal(true, 'the built-ins are offered');
    } finally {
      h.destroy();
    }
  });
});
