/**
 * App packages built to fool a reader: zips that lie about their sizes, bombs
 * that share their data, entries named twice (or twice on a case-insensitive
 * disk), names that climb out, symbolic links, a damaged CRC, zip64 and
 * counts past the limit. Each is refused before anything is published, and
 * the platform page is never held while it is read.
 */
import { expect } from 'chai';
import { strToU8 } from 'fflate';
import { craftedManifest, craftedPackages, zipOf } from '../fixtures/crafted-packages.js';
import { createHarness, crossOriginFixtures, type Harness } from '../browser/bridge/harness.js';
import type { SlotbridgeError } from '../../src/index.js';
import { attacks, honestStillWorks, longestStall } from './attack.js';

describe('security: crafted app packages', () => {
  let h: Harness;
  const attack = attacks('resource abuse', () => honestStillWorks(h));

  beforeEach(async () => {
    h = await createHarness({ timeouts: { handshake: 5000, call: 5000 } });
    await h.mountGuest('honest');
  });

  afterEach(() => h.destroy());

  attack(
    'publishes zips that lie, repeat, climb out, link or share their data: each refused with why, nothing published, the page never held',
    async () => {
      const packages = craftedPackages();
      let refused = 0;
      for (const { what, zip, code, says } of packages) {
        let error: SlotbridgeError | undefined;
        const stall = await longestStall(async () => {
          error = await h.host.registry.publishPackage(zip, { baseUrl: crossOriginFixtures }).then(
            () => undefined,
            (err: SlotbridgeError) => err,
          );
        });
        expect(error?.code, what).to.equal(code);
        expect(error?.message, what).to.match(says);
        expect(stall, `${what}: the page was held`).to.be.below(1000);
        expect(h.host.registry.app('crafted'), what).to.equal(undefined);
        expect(h.host.registry.app('other'), what).to.equal(undefined);
        refused++;
      }
      // The same files, honestly zipped, publish.
      await h.host.registry.publishPackage(zipOf({ 'app.json': craftedManifest, 'assets/a.txt': strToU8('honest text') }).zip, {
        baseUrl: crossOriginFixtures,
      });
      expect(h.host.registry.app('crafted')?.assets?.['a.txt']).to.deep.equal(strToU8('honest text'));
      return { tried: packages.length, refused };
    },
  );
});
