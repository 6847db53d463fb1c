// What the service refuses to publish: the same crafted packages the browser
// registry refuses, a manifest of 50 MB, a wrong content type, malformed
// manifests, unknown bridge values, and names a host name cannot carry. Each
// leaves the registry as it was.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { strToU8, zipSync } from 'fflate';
import { craftedPackages } from '../fixtures/crafted-packages.js';
import { appZip, DATABASES, member, publish, publishToken, startRegistry, type TestRegistry } from './support/registry-server.js';

for (const kind of DATABASES) {
  describe(`publishing to the service on ${kind.name}, packages built to fool it`, { timeout: 120_000 }, () => {
    let r: TestRegistry;
    let token: string;
    before(async () => {
      r = await startRegistry(kind);
      token = await publishToken(r);
    });
    after(() => r?.close());

    const refused = async (zip: Uint8Array, status: number, code: string, says?: RegExp) => {
      const res = await publish(r, zip, token);
      const body = (await res.json()) as { code: string; message: string };
      assert.equal(res.status, status, JSON.stringify(body));
      assert.equal(body.code, code);
      if (says) assert.match(body.message, says);
    };

    it('refuses every package the browser registry refuses, for the same reason', async () => {
      for (const { what, zip, code, says } of craftedPackages())
        await refused(zip, code === 'PAYLOAD_TOO_LARGE' ? 413 : 400, code, says).catch((err: Error) =>
          assert.fail(`${what}: ${err.message}`),
        );
    });

    it('refuses a 50 MB manifest, a wrong content type, malformed JSON, an unknown bridge and names no host name can carry', async () => {
      await refused(zipSync({ 'app.json': new Uint8Array(50 * 1024 * 1024 + 1).fill(32) }), 413, 'PAYLOAD_TOO_LARGE');
      const json = await r.request('/v1/packages', {
        method: 'POST',
        token,
        headers: { 'content-type': 'text/plain' },
        body: appZip('typed', '1.0.0') as unknown as BodyInit,
      });
      assert.equal(json.status, 400);
      await refused(zipSync({ 'app.json': strToU8('{"name": "broken", ') }), 400, 'MANIFEST_INVALID');
      await refused(appZip('bridged', '1.0.0', { manifest: { bridge: 'telepathy' } }), 400, 'MANIFEST_INVALID');
      for (const name of ['..', 'a/../b', 'Shape-Notes', 'shаpe', "x';drop table apps;--", 'two--dashes', 'a'.repeat(64), '-lead']) {
        const res = await publish(r, appZip(name, '1.0.0'), token);
        assert.equal(res.status, 400, `${JSON.stringify(name)}: ${res.status}`);
        assert.ok(['BAD_INPUT', 'MANIFEST_INVALID'].includes(((await res.json()) as { code: string }).code), name);
      }
      const apps = (await (await r.request('/v1/apps', { token: await member() })).json()) as { apps: unknown[] };
      assert.deepEqual(apps.apps, [], 'nothing was published');
    });
  });
}
