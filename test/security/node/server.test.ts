/**
 * The registry service under attack, through its HTTP API: forged and stolen
 * credentials, another org's and another namespace's resources, packages
 * built to fool it, Host-header tricks on the apps' origins, and requests that
 * try to read or write more than their quota. Each case counts its hostile
 * inputs and what it saw refused, for the suite's table (class "registry
 * service"), and checks that nothing changed.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync } from 'node:fs';
import { SignJWT } from 'jose';
import { craftedPackages } from '../../fixtures/crafted-packages.js';
import {
  admin,
  appZip,
  DATABASES,
  member,
  publish,
  publishToken,
  startRegistry,
  userToken,
  type TestRegistry,
} from '../../node/support/registry-server.js';

function tally(name: string, tried: number, refused: number, healthy: boolean): void {
  const file = process.env['SB_SECURITY_FILE'];
  if (file) appendFileSync(file, `${JSON.stringify({ class: 'registry service', case: name, tried, refused, healthy, leaks: 0 })}\n`);
}

const kind = DATABASES.at(-1)!;

describe(`security: the registry service (${kind.name})`, { timeout: 120_000 }, () => {
  let r: TestRegistry;
  let token: string;

  /** Still answering honestly: an honest member lists the apps, an honest publish works. */
  async function healthy(): Promise<boolean> {
    const apps = await r.request('/v1/apps', { token: await member() });
    return apps.status === 200;
  }

  async function attack(name: string, run: () => Promise<{ tried: number; refused: number }>): Promise<void> {
    let outcome = { tried: 1, refused: 0 };
    try {
      outcome = await run();
    } finally {
      tally(name, outcome.tried, outcome.refused, await healthy());
    }
  }

  before(async () => {
    r = await startRegistry(kind);
    token = await publishToken(r);
    assert.equal((await publish(r, appZip('owned', '1.0.0', { permissions: ['items:read'] }), token)).status, 201);
    assert.equal((await r.request('/v1/projects/p1/installations/owned', { method: 'PUT', token: await admin(), json: {} })).status, 200);
  });
  after(() => r?.close());

  it('refuses forged, tampered, expired, over-long and foreign-org credentials, and credentials of the wrong kind', () =>
    attack('credentials: forged, tampered, expired, foreign', async () => {
      const key = (s: string) => new TextEncoder().encode(s);
      const honest = await admin();
      const [head, body, sig] = honest.split('.') as [string, string, string];
      const elevated = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body, 'base64url').toString()), org: 'globex' })).toString(
        'base64url',
      );
      const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${body}.`;
      const attempts = [
        await new SignJWT({ org: 'acme', projects: ['p1'], role: 'admin' })
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject('m')
          .setIssuedAt()
          .setExpirationTime('5m')
          .sign(key('x'.repeat(40))),
        `${head}.${elevated}.${sig}`,
        none,
        await userToken({ id: 'bob' }, -5),
        await new SignJWT({ org: 'acme', projects: ['p1'], role: 'admin' })
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject('m')
          .setIssuedAt()
          .setExpirationTime('30d')
          .sign(key('a test key of at least thirty-two characters')),
        await new SignJWT({ org: 'acme', projects: ['p1'], role: 'owner' })
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject('m')
          .setIssuedAt()
          .setExpirationTime('5m')
          .sign(key('a test key of at least thirty-two characters')),
        'sbp_' + 'A'.repeat(43),
        token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A'),
        'x'.repeat(5000),
      ];
      let refused = 0;
      for (const credential of attempts) {
        const res = await r.request('/v1/tokens', { method: 'POST', token: credential, json: { namespace: 'stolen' } });
        if (res.status === 401 || res.status === 403) refused++;
        else assert.fail(`${credential.slice(0, 30)}… got ${res.status}`);
      }
      // A publish token cannot install; a member cannot publish.
      if ((await r.request('/v1/projects/p1/installations/owned', { method: 'DELETE', token })).status === 403) refused++;
      if ((await publish(r, appZip('owned', '9.0.0'), await member())).status === 403) refused++;
      const namespaces = await r.server.database.db.selectFrom('namespaces').select('name').execute();
      assert.ok(!namespaces.some((n) => n.name === 'stolen'));
      return { tried: attempts.length + 2, refused };
    }));

  it("reaches for another org's and another project's installations, storage and changes", () =>
    attack("another org's and project's data", async () => {
      const eve = await userToken({ id: 'eve', org: 'globex', projects: ['q1'] });
      const mallory = await userToken({ id: 'mallory', org: 'acme', projects: ['p2'] });
      const tries: [string, RequestInit & { token?: string; json?: unknown }][] = [
        ['/v1/projects/p1/installations', { token: eve }],
        ['/v1/projects/p1/apps/owned/storage', { token: eve }],
        ['/v1/projects/p1/apps/owned/reports', { token: eve }],
        ['/v1/projects/p1/apps/owned/storage/k', { method: 'PUT', token: eve, json: { value: 1 } }],
        ['/v1/projects/p1/installations/owned', { method: 'DELETE', token: mallory }],
        ['/v1/orgs/acme/installations/owned', { method: 'PUT', token: eve, json: {} }],
        ['/v1/changes?project=p1', { token: mallory }],
        ['/v1/apps/owned/versions/1.0.0/yank', { method: 'POST', token: eve, json: {} }],
        ['/v1/apps/owned/tags/latest', { method: 'PUT', token: await publishToken(r, 'rivals'), json: { version: '1.0.0' } }],
      ];
      let refused = 0;
      for (const [path, init] of tries) {
        const res = await r.request(path, init);
        if (res.status === 403 || res.status === 401) refused++;
        else assert.fail(`${path} got ${res.status}`);
      }
      return { tried: tries.length, refused };
    }));

  it('publishes packages built to fool it: each refused, nothing published', () =>
    attack('crafted packages', async () => {
      const packages = craftedPackages();
      let refused = 0;
      for (const { zip } of packages) if ([400, 413].includes((await publish(r, zip, token)).status)) refused++;
      const apps = await r.server.database.db.selectFrom('apps').select('name').execute();
      assert.deepEqual(
        apps.map((a) => a.name),
        ['owned'],
      );
      assert.equal(refused, packages.length);
      return { tried: packages.length, refused };
    }));

  it('asks the apps origin for other apps, the manifest, paths outside the package, and foreign or rebound hosts', () =>
    attack('Host header and path tricks', async () => {
      const tries: [string, string][] = [
        ['owned--1-0-0.apps.localhost:0', '/app.json'],
        ['owned--1-0-0.apps.localhost:0', '/panels/../app.json'],
        ['owned--1-0-0.apps.localhost:0', '/panels/%2e%2e/app.json'],
        ['owned--1-0-0.apps.localhost:0', '/panels/main/..%5c..%5capp.json'],
        ['owned--1-0-0.apps.localhost:0', '/%00'],
        ['owned--1-0-0.apps.localhost.evil.example:0', '/panels/main/index.html'],
        ['evil.example', '/panels/main/index.html'],
        ['OWNED--1-0-0.APPS.LOCALHOST:1', '/panels/main/index.html'],
        ['owned--1-0-0.apps.localhost:0@evil.example', '/panels/main/index.html'],
        ['owned.apps.localhost:0', '/panels/main/index.html'],
        ['owned--1-0-0--x.apps.localhost:0', '/panels/main/index.html'],
        ['', '/panels/main/index.html'],
      ];
      let refused = 0;
      for (const [host, path] of tries) {
        const res = await r.server.apps.request(path, { headers: host ? { host } : {} });
        if (res.status === 404) refused++;
        else assert.fail(`${host}${path} got ${res.status}`);
      }
      // The honest request is served.
      assert.equal(
        (await r.server.apps.request('/panels/main/index.html', { headers: { host: 'owned--1-0-0.apps.localhost:0' } })).status,
        200,
      );
      return { tried: tries.length, refused };
    }));

  it('sends bodies past their bounds and values past the storage quota', () =>
    attack('sizes and quotas', async () => {
      const bob = await member();
      const tries = [
        () =>
          r.request('/v1/projects/p1/installations/owned', { method: 'PUT', token: bob, json: { tracks: 'x'.repeat(2 * 1024 * 1024) } }),
        () =>
          r.request('/v1/projects/p1/installations/owned', {
            method: 'PUT',
            token: bob,
            headers: { 'content-type': 'application/json', 'content-length': String(10 ** 9) },
            body: '{}',
          }),
        () =>
          r.request('/v1/projects/p1/apps/owned/storage/k', { method: 'PUT', token: bob, json: { value: 'x'.repeat(17 * 1024 * 1024) } }),
        () => r.request(`/v1/projects/p1/apps/owned/storage/${'k'.repeat(2000)}`, { method: 'PUT', token: bob, json: { value: 1 } }),
        () =>
          r.request('/v1/projects/p1/installations/owned', {
            method: 'PUT',
            token: bob,
            json: { grant: Array.from({ length: 1000 }, (_, i) => `p${i}`) },
          }),
      ];
      let refused = 0;
      for (const attempt of tries) {
        const res = await attempt();
        if (res.status >= 400 && res.status < 500 && ((await res.json()) as { code?: string }).code) refused++;
        else assert.fail(`got ${res.status}`);
      }
      const keys = ((await (await r.request('/v1/projects/p1/apps/owned/storage', { token: bob })).json()) as { keys: string[] }).keys;
      assert.deepEqual(keys, []);
      return { tried: tries.length, refused };
    }));
});
