/**
 * Fuzzing manifests: 10,000 arbitrary and mutated manifests at
 * `validateManifest`, and 10,000 at `registry.publish` on a real IndexedDB.
 * Nothing throws; a refused manifest changes nothing, in memory or on disk.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { createHost, IndexedDbStore, SlotbridgeError, type Host } from '../../src/index.js';
import { validateManifest } from '../../src/manifest/index.js';
import { attacks } from './attack.js';
import { mutateJson } from './mutate-json.js';

const SEED = 20261121;
const RUNS = 10_000;

/** Half arbitrary values, half real manifests with one node replaced by anything (hostile strings included). */
function manifests(real: unknown[], seed: number): unknown[] {
  const arbitrary = fc.oneof(
    fc.anything(),
    fc.jsonValue(),
    fc
      .constantFrom(...real)
      .chain((manifest) =>
        fc
          .tuple(
            fc.nat({ max: 400 }),
            fc.oneof(
              fc.anything(),
              fc.constantFrom('__proto__', '${ASSET:../x}', 'allow-same-origin', 'javascript:alert(1)', '<script>x</script>', -1, 1e308),
            ),
          )
          .map(([pick, value]) => mutateJson(manifest, pick, value)),
      ),
    fc.constantFrom(...real),
  );
  return fc.sample(arbitrary, { numRuns: RUNS, seed });
}

describe('security: fuzzing manifests', () => {
  let real: unknown[];
  let host: Host | undefined;
  const attack = attacks('fuzzing: manifests', async () => {
    // The validator still accepts a real manifest, and the registry still publishes one.
    expect(validateManifest(real[0]).ok).to.equal(true);
    if (host) expect(host.registry.available().length).to.be.greaterThan(0);
  });

  before(async () => {
    real = (await (await fetch('/__conformance.json')).json()) as unknown[];
  });

  afterEach(() => host?.destroy());

  attack('validateManifest takes 10,000 arbitrary and mutated manifests: never throws, always a consistent result', async () => {
    let refused = 0;
    for (const input of manifests(real, SEED)) {
      const result = validateManifest(input);
      expect(result.ok).to.equal(result.errors.length === 0);
      expect(result.manifest !== undefined).to.equal(result.ok);
      for (const issue of result.errors) expect(issue.message.length).to.be.greaterThan(0);
      if (!result.ok) refused++;
    }
    return { tried: RUNS, refused };
  });

  attack(
    'registry.publish takes 10,000 arbitrary and mutated manifests on IndexedDB: each refused one changes nothing, on disk either',
    async () => {
      const name = `fuzz-${Math.random().toString(36).slice(2)}`;
      host = createHost({ project: 'p1', user: { id: 'u1' }, store: new IndexedDbStore(name) });
      await host.ready;
      const fingerprint = (h: Host) => JSON.stringify(h.registry.available().map((r) => [r.name, r.version, r.baseUrl]));
      let refused = 0;
      let accepted = 0;
      try {
        for (const input of manifests(real, SEED + 1)) {
          const before = fingerprint(host);
          try {
            await host.registry.publish(input, { baseUrl: 'https://apps.example.com/' });
            accepted++;
          } catch (err) {
            expect(err, 'refused with a SlotbridgeError').to.be.instanceOf(SlotbridgeError);
            expect(fingerprint(host)).to.equal(before);
            refused++;
          }
        }
        expect(accepted + refused).to.equal(RUNS);
        // A fresh page on the same database sees exactly what this one does.
        const again = createHost({ project: 'p1', user: { id: 'u1' }, store: new IndexedDbStore(name) });
        await again.ready;
        expect(fingerprint(again)).to.equal(fingerprint(host));
        again.destroy();
      } finally {
        host.destroy();
        host = undefined;
        await new Promise((r) => setTimeout(r, 0));
        indexedDB.deleteDatabase(name);
      }
      return { tried: RUNS, refused };
    },
  );
});
