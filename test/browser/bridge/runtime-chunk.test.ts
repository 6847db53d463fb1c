/**
 * The bridge runtime (the built-ins and the message schemas, with zod/mini
 * under them) is a chunk of its own, loaded when the first frame mounts.
 * This file must mount nothing before its first test: the page would have
 * loaded the chunk already.
 */
import { expect } from 'chai';
import { createHarness } from './harness.js';

const runtimeLoaded = () => performance.getEntriesByType('resource').some((entry) => /bridge-runtime/.test(entry.name));

describe('the bridge runtime', () => {
  it('loads when the first frame mounts, not when a host publishes and installs', async () => {
    const h = await createHarness({ apps: ['app-a', 'app-b'] });
    try {
      await h.host.registry.saveSettings('app-a', { level: 2 });
      expect(runtimeLoaded()).to.equal(false, 'a page that only manages apps does not load it');
      // The first frame's messages wait for the runtime, then connect as usual.
      await h.mountGuest('first');
      expect(runtimeLoaded()).to.equal(true);
      expect((await h.command('first', 'call', { method: 'settings.get' })).value).to.deep.equal({ hyperparams: {}, configuration: { level: 2 } });
      expect((await h.command('first', 'supports', { method: 'storage.get' })).value).to.equal(true, 'the built-ins are offered');
    } finally {
      h.destroy();
    }
  });
});
