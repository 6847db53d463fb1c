// The registry service through its HTTP API (app.request(): no network), on
// the embedded PGlite and, where the machine has one, a real PostgreSQL.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
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
} from './support/registry-server.js';

for (const kind of DATABASES) {
  describe(`the registry service on ${kind.name}`, { timeout: 120_000 }, () => {
    let r: TestRegistry;
    let token: string;

    before(async () => {
      r = await startRegistry(kind);
      token = await publishToken(r);
    });
    after(() => r?.close());

    it('publishes a package once: the same bytes again are a no-op, other bytes for the version are 409', async () => {
      const zip = appZip('viewer', '1.0.0');
      const first = await publish(r, zip, token);
      assert.equal(first.status, 201, await first.clone().text());
      const body = (await first.json()) as { app: string; version: string; status: string; digest: string; url: string; files: string };
      assert.equal(body.status, 'active');
      assert.match(body.digest, /^sha256:[0-9a-f]{64}$/);
      assert.match(body.url, /\/v1\/apps\/viewer\/versions\/1\.0\.0$/);
      assert.match(body.files, /^http:\/\/viewer--1-0-0\.apps\.localhost/);
      const again = await publish(r, zip, token);
      assert.equal(again.status, 200);
      assert.equal(((await again.json()) as { digest: string }).digest, body.digest);
      const other = await publish(r, appZip('viewer', '1.0.0', { files: { 'panels/main/extra.js': '1' } }), token);
      assert.equal(other.status, 409);
      assert.equal(((await other.json()) as { code: string }).code, 'CONFLICT');
    });

    it("publishes a hosted version (a manifest and its publisher's URL) once, and hands its URL to hosts", async () => {
      const manifest = {
        name: 'hosted',
        version: '1.0.0',
        components: { panels: [{ name: 'main', supportedSlots: [{ type: 'itemViewer' }] }] },
      };
      const post = (body: unknown) => r.request('/v1/apps', { method: 'POST', token, json: body });
      const first = await post({ manifest, baseUrl: 'https://apps.example.com/hosted' });
      assert.equal(first.status, 201, await first.clone().text());
      assert.equal(((await first.json()) as { files: string }).files, 'https://apps.example.com/hosted/');
      assert.equal((await post({ manifest, baseUrl: 'https://apps.example.com/hosted/' })).status, 200);
      assert.equal((await post({ manifest, baseUrl: 'https://elsewhere.example.com/' })).status, 409);
      assert.equal((await post({ manifest: { ...manifest, version: '1.0.1' }, baseUrl: 'javascript:alert(1)' })).status, 400);
      const registry = (await (await r.request('/v1/registry', { token: await member() })).json()) as {
        apps: { name: string; baseUrl: string }[];
      };
      assert.equal(registry.apps.find((a) => a.name === 'hosted')?.baseUrl, 'https://apps.example.com/hosted/');
      // No package: nothing of it at an origin here.
      assert.equal(
        (await r.server.apps.request('/panels/main/index.html', { headers: { host: 'hosted--1-0-0.apps.localhost:0' } })).status,
        404,
      );
    });

    it('moves latest to the highest version, yanks (installs refuse it, existing ones keep it) and rolls a tag back', async () => {
      assert.equal((await publish(r, appZip('viewer', '1.1.0'), token)).status, 201);
      const app = (await (await r.request('/v1/apps/viewer', { token: await member() })).json()) as { tags: Record<string, string> };
      assert.equal(app.tags['latest'], '1.1.0');
      const installed = await r.request('/v1/projects/p1/installations/viewer', {
        method: 'PUT',
        token: await member(),
        json: { tracks: '1.1.0' },
      });
      assert.equal(installed.status, 200, await installed.clone().text());
      const yank = await r.request('/v1/apps/viewer/versions/1.1.0/yank', { method: 'POST', token, json: { reason: 'broken panel' } });
      assert.equal(yank.status, 200, await yank.clone().text());
      assert.deepEqual(
        await (
          await r.request('/v1/apps/viewer/versions/1.1.0')
        )
          .json()
          .then((v) => [(v as { status: string }).status, (v as { statusReason: string }).statusReason]),
        ['yanked', 'broken panel'],
      );
      // latest fell back to the highest active version.
      const after = (await (await r.request('/v1/apps/viewer', { token: await member() })).json()) as { tags: Record<string, string> };
      assert.equal(after.tags['latest'], '1.0.0');
      const fresh = await r.request('/v1/projects/p2/installations/viewer', {
        method: 'PUT',
        token: await admin(),
        json: { tracks: '1.1.0' },
      });
      assert.equal(fresh.status, 410);
      // The project that had it keeps it.
      const list = (await (await r.request('/v1/projects/p1/installations', { token: await member() })).json()) as {
        installations: { app: string; version: string }[];
      };
      assert.deepEqual(
        list.installations.map((i) => [i.app, i.version]),
        [['viewer', '1.1.0']],
      );
      const unyank = await r.request('/v1/apps/viewer/versions/1.1.0/unyank', { method: 'POST', token, json: {} });
      assert.equal(unyank.status, 200);
      const rollback = await r.request('/v1/apps/viewer/tags/latest', { method: 'PUT', token, json: { version: '1.0.0' } });
      assert.equal(rollback.status, 200, await rollback.clone().text());
      assert.equal(((await rollback.json()) as { version: string }).version, '1.0.0');
    });

    it('lets only an admin grant a permission, refuses an upgrade that asks for a new one with its list, and lets an admin grant it', async () => {
      assert.equal((await publish(r, appZip('notes', '1.0.0'), token)).status, 201);
      assert.equal((await publish(r, appZip('notes', '2.0.0', { permissions: ['items:read'] }), token)).status, 201);
      const bob = await member();
      assert.equal(
        (await r.request('/v1/projects/p1/installations/notes', { method: 'PUT', token: bob, json: { tracks: '1.0.0' } })).status,
        200,
      );
      const upgrade = await r.request('/v1/projects/p1/installations/notes', { method: 'PUT', token: bob, json: { tracks: '2.0.0' } });
      assert.equal(upgrade.status, 403);
      const refusal = (await upgrade.json()) as { code: string; details: { permissions: string[] } };
      assert.equal(refusal.code, 'PERMISSION_DENIED');
      assert.deepEqual(refusal.details.permissions, ['items:read']);
      const granted = await r.request('/v1/projects/p1/installations/notes', {
        method: 'PUT',
        token: await admin(),
        json: { tracks: '2.0.0', grant: ['items:read'] },
      });
      assert.equal(granted.status, 200, await granted.clone().text());
      assert.deepEqual(((await granted.json()) as { grant: string[] }).grant, ['items:read']);
      // Org scope is the admin's only.
      assert.equal((await r.request('/v1/orgs/acme/installations/notes', { method: 'PUT', token: bob, json: {} })).status, 403);
      assert.equal(
        (await r.request('/v1/orgs/acme/installations/notes', { method: 'PUT', token: await admin(), json: { tracks: '1.0.0' } })).status,
        200,
      );
      // A project sees the org's installation of an app it did not install itself.
      assert.equal((await publish(r, appZip('shared', '1.0.0'), token)).status, 201);
      assert.equal((await r.request('/v1/orgs/acme/installations/shared', { method: 'PUT', token: await admin(), json: {} })).status, 200);
      const seen = (await (await r.request('/v1/projects/p1/installations', { token: bob })).json()) as {
        installations: { app: string; scope: string }[];
      };
      assert.deepEqual(
        seen.installations.filter((i) => i.app !== 'viewer').map((i) => [i.app, i.scope]),
        [
          ['notes', 'project'],
          ['shared', 'org'],
        ],
      );
    });

    it('keeps storage per app and project within its quota, and uninstall takes it along', async () => {
      const bob = await member();
      const put = (key: string, value: unknown) =>
        r.request(`/v1/projects/p1/apps/viewer/storage/${key}`, { method: 'PUT', token: bob, json: { value } });
      assert.equal((await put('a', { n: 1 })).status, 200);
      assert.deepEqual(await (await r.request('/v1/projects/p1/apps/viewer/storage/a', { token: bob })).json(), { value: { n: 1 } });
      // A key, a name or an id with a NUL is refused by name (PostgreSQL's text holds none), not a 500.
      const nul = await r.request('/v1/projects/p1/apps/viewer/storage/a%00b', { method: 'PUT', token: bob, json: { value: 1 } });
      assert.equal(nul.status, 400);
      assert.equal(((await nul.json()) as { code: string }).code, 'BAD_INPUT');
      assert.equal(
        (await r.request('/v1/projects/p1/installations/viewer', { method: 'PUT', token: bob, json: { tracks: 'lat\u0000est' } })).status,
        400,
      );
      // Whatever JSON holds comes back as it went, a NUL and a lone surrogate included.
      const odd = { text: 'a\u0000b', emoji: '\ud83d', deep: [[[1]]] };
      assert.equal((await put('odd', odd)).status, 200);
      assert.deepEqual(await (await r.request('/v1/projects/p1/apps/viewer/storage/odd', { token: bob })).json(), { value: odd });
      assert.equal((await r.request('/v1/projects/p1/apps/viewer/storage/odd', { method: 'DELETE', token: bob })).status, 200);
      assert.deepEqual(
        await (await r.request('/v1/projects/p1/apps/viewer/storage/odd', { token: bob })).json(),
        {},
        'a removed key has no value, not null',
      );
      const full = await put('big', 'x'.repeat(16 * 1024 * 1024));
      assert.equal(full.status, 507);
      assert.deepEqual(
        ((await (await r.request('/v1/projects/p1/apps/viewer/storage', { token: bob })).json()) as { keys: string[] }).keys,
        ['a'],
      );
      // Not installed: a write is refused by name; a read finds nothing (an uninstall removed it all).
      assert.equal(
        (await r.request('/v1/projects/p1/apps/nothing/storage/a', { method: 'PUT', token: bob, json: { value: 1 } })).status,
        404,
      );
      assert.deepEqual(await (await r.request('/v1/projects/p1/apps/nothing/storage/a', { token: bob })).json(), {});
      assert.equal((await r.request('/v1/projects/p1/installations/viewer', { method: 'DELETE', token: bob })).status, 200);
      assert.equal((await r.request('/v1/projects/p1/installations/viewer', { method: 'PUT', token: bob, json: {} })).status, 200);
      assert.deepEqual(
        ((await (await r.request('/v1/projects/p1/apps/viewer/storage', { token: bob })).json()) as { keys: string[] }).keys,
        [],
        'the storage went with the uninstall',
      );
    });

    it('keeps reports (newest points per series, within the quota) and artifacts (bytes in the blob store), and shows them to the project only', async () => {
      const bob = await member();
      assert.equal((await r.request('/v1/projects/p1/installations/viewer', { method: 'PUT', token: bob, json: {} })).status, 200);
      const plot = (n: number) => ({
        app: 'viewer',
        project: 'p1',
        panel: 'main',
        kind: 'plot',
        series: 'plot\u0000loss\u0000',
        n,
        time: n,
        metric: 'loss',
        figure: { n },
      });
      const sent = await r.request('/v1/projects/p1/apps/viewer/reports', {
        method: 'POST',
        token: bob,
        json: { reports: Array.from({ length: 150 }, (_, i) => plot(i + 1)) },
      });
      assert.equal(sent.status, 200, await sent.clone().text());
      const kept = ((await (await r.request('/v1/projects/p1/apps/viewer/reports', { token: bob })).json()) as { reports: { n: number }[] })
        .reports;
      assert.equal(kept.length, 100, 'a plot series keeps its newest 100');
      assert.deepEqual([kept[0].n, kept.at(-1)!.n], [51, 150]);
      const id = 'art-0f8fad5b-d9cb-469f-a165-70867728950e';
      const put = await r.request(
        `/v1/projects/p1/apps/viewer/artifacts/${id}?type=mask&execution=exec-1&mediaType=image/png&encoding=bytes`,
        {
          method: 'PUT',
          token: bob,
          headers: { 'content-type': 'application/octet-stream' },
          body: new Uint8Array([1, 2, 3]) as unknown as BodyInit,
        },
      );
      assert.equal(put.status, 200, await put.clone().text());
      const data = await r.request(`/v1/artifacts/${id}/data`, { token: bob });
      assert.deepEqual([...new Uint8Array(await data.arrayBuffer())], [1, 2, 3]);
      assert.equal(data.headers.get('content-disposition'), 'attachment');
      const listed = (
        (await (await r.request('/v1/projects/p1/artifacts?app=viewer', { token: bob })).json()) as {
          artifacts: { id: string; size: number }[];
        }
      ).artifacts;
      assert.deepEqual(
        listed.map((a) => [a.id, a.size]),
        [[id, 3]],
      );
      const stranger = await userToken({ id: 'mallory', projects: ['p2'] });
      assert.equal((await r.request(`/v1/artifacts/${id}/data`, { token: stranger })).status, 404);
      assert.equal((await r.request('/v1/projects/p1/apps/viewer/reports', { token: stranger })).status, 403);
      // Uninstalling takes them along.
      assert.equal((await r.request('/v1/projects/p1/installations/viewer', { method: 'DELETE', token: bob })).status, 200);
      assert.equal((await r.request(`/v1/artifacts/${id}`, { token: bob })).status, 404);
      assert.equal((await r.request('/v1/projects/p1/installations/viewer', { method: 'PUT', token: bob, json: {} })).status, 200);
      assert.deepEqual(
        ((await (await r.request('/v1/projects/p1/apps/viewer/reports', { token: bob })).json()) as { reports: unknown[] }).reports,
        [],
      );
    });

    it('ends its open change streams when it closes, and leaves no timer behind', async () => {
      const own = await startRegistry(kind);
      const { url } = await own.server.listen({ port: 0, appsPort: 0 });
      const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
      const before = timers();
      const response = await fetch(`${url}/v1/changes/stream?since=0`, { headers: { authorization: `Bearer ${await member()}` } });
      assert.equal(response.status, 200);
      const reader = response.body!.getReader();
      assert.match(new TextDecoder().decode((await reader.read()).value), /event: ready/);
      const closed = own.close();
      const ended = await Promise.race([
        (async () => {
          while (!(await reader.read().catch(() => ({ done: true }))).done);
          return true;
        })(),
        new Promise<false>((resolve) => setTimeout(() => resolve(false), 5000)),
      ]);
      await closed;
      assert.ok(ended, 'the stream ended with the server');
      assert.ok(timers() <= before, 'no heartbeat left running');
    });

    it('tells what changed since a seq, as far as the caller may see', async () => {
      const bob = await member();
      const all = (await (await r.request('/v1/changes?since=0', { token: bob })).json()) as {
        changes: { kind: string; project: string | null }[];
        last: string;
      };
      assert.ok(all.changes.some((c) => c.kind === 'app:published'));
      assert.ok(all.changes.some((c) => c.kind === 'installation:changed' && c.project === 'p1'));
      assert.ok(!all.changes.some((c) => c.project === 'p2'), "another project's changes are not shown");
      const none = (await (await r.request(`/v1/changes?since=${all.last}`, { token: bob })).json()) as { changes: unknown[] };
      assert.deepEqual(none.changes, []);
      const other = await userToken({ id: 'eve', org: 'globex', projects: ['q1'] });
      const theirs = (await (await r.request('/v1/changes?since=0', { token: other })).json()) as { changes: { kind: string }[] };
      assert.ok(
        theirs.changes.every((c) => c.kind.startsWith('app:')),
        "another org sees the registry's own changes only",
      );
    });

    it("serves a version's files at its own origin by Host header: nosniff, a CSP, cached for good, never another app's file", async () => {
      const get = (host: string, path = '/panels/main/index.html') => r.server.apps.request(path, { headers: { host } });
      const port = 0;
      const ok = await get(`viewer--1-0-0.apps.localhost:${port}`);
      assert.equal(ok.status, 200);
      assert.match(await ok.text(), /viewer 1\.0\.0/);
      assert.equal(ok.headers.get('x-content-type-options'), 'nosniff');
      assert.match(ok.headers.get('content-security-policy') ?? '', /object-src 'none'/);
      assert.match(ok.headers.get('cache-control') ?? '', /immutable/);
      assert.equal(ok.headers.get('set-cookie'), null);
      for (const [host, path] of [
        [`viewer--9-9-9.apps.localhost:${port}`, '/panels/main/index.html'],
        [`nothing--1-0-0.apps.localhost:${port}`, '/panels/main/index.html'],
        [`viewer--1-0-0.apps.localhost:${port}`, '/app.json'],
        [`viewer--1-0-0.apps.localhost:${port}`, '/panels/../app.json'],
        [`viewer--1-0-0.apps.localhost:${port}`, '/panels/%2e%2e/app.json'],
        [`viewer--1-0-0.apps.localhost.evil.example:${port}`, '/panels/main/index.html'],
        [`evil.example`, '/panels/main/index.html'],
        [`notes--1-0-0.apps.localhost:${port + 1}`, '/panels/main/index.html'],
      ]) {
        const res = await get(host, path);
        assert.equal(res.status, 404, `${host}${path}`);
        assert.equal(((await res.json()) as { code: string }).code, 'APP_NOT_FOUND');
      }
    });

    it('describes every route in its OpenAPI document', async () => {
      const doc = (await (await r.request('/v1/openapi.json')).json()) as {
        openapi: string;
        paths: Record<string, Record<string, { summary: string }>>;
      };
      assert.equal(doc.openapi, '3.1.0');
      for (const path of [
        '/v1/packages',
        '/v1/apps/{app}/versions/{version}/yank',
        '/v1/projects/{project}/installations/{app}',
        '/v1/changes/stream',
        '/v1/tokens',
      ])
        assert.ok(doc.paths[path], path);
      assert.ok(Object.values(doc.paths).every((methods) => Object.values(methods).every((m) => m.summary.length > 10)));
    });

    it('answers every bad request with { code, message } and changes nothing', async () => {
      const bob = await member();
      const cases: [string, RequestInit & { token?: string; json?: unknown }, number, string][] = [
        ['/v1/packages', { method: 'POST' }, 401, 'UNAUTHORIZED'],
        [
          '/v1/packages',
          { method: 'POST', token: 'sbp_' + 'x'.repeat(43), headers: { 'content-type': 'application/zip' }, body: 'PK' },
          401,
          'UNAUTHORIZED',
        ],
        ['/v1/packages', { method: 'POST', token: 'not-a-jwt' }, 401, 'UNAUTHORIZED'],
        ['/v1/packages', { method: 'POST', token, headers: { 'content-type': 'application/json' }, body: '{}' }, 400, 'BAD_INPUT'],
        ['/v1/packages', { method: 'POST', token, headers: { 'content-type': 'application/zip' }, body: 'not a zip' }, 400, 'BAD_INPUT'],
        ['/v1/packages', { method: 'POST', token: bob, headers: { 'content-type': 'application/zip' }, body: 'x' }, 403, 'FORBIDDEN'],
        [
          '/v1/projects/p1/installations/viewer',
          { method: 'PUT', token: bob, headers: { 'content-type': 'application/json' }, body: '{"tracks":' },
          400,
          'BAD_INPUT',
        ],
        ['/v1/projects/p1/installations/viewer', { method: 'PUT', token: bob, json: { tracks: 7 } }, 400, 'BAD_INPUT'],
        ['/v1/projects/p2/installations/viewer', { method: 'PUT', token: bob, json: {} }, 403, 'FORBIDDEN'],
        ['/v1/projects/p1/installations/nothing', { method: 'PUT', token: bob, json: {} }, 404, 'APP_NOT_FOUND'],
        ["/v1/projects/p1/installations/x';drop table apps;--", { method: 'PUT', token: bob, json: {} }, 404, 'APP_NOT_FOUND'],
        ['/v1/tokens', { method: 'POST', token: bob, json: { namespace: 'x' } }, 403, 'FORBIDDEN'],
        ['/v1/tokens', { method: 'POST', token: await admin(), json: { namespace: 'Ünïcode' } }, 400, 'BAD_INPUT'],
        ['/v1/tokens', { method: 'POST', token: await admin(), json: { namespace: 'ok', days: 9999 } }, 400, 'BAD_INPUT'],
        ['/v1/nowhere', {}, 404, 'METHOD_NOT_FOUND'],
      ];
      for (const [path, init, status, code] of cases) {
        const res = await r.request(path, init);
        const body = (await res.json()) as { code: string; message: string };
        assert.equal(res.status, status, `${init.method ?? 'GET'} ${path}: ${JSON.stringify(body)}`);
        assert.equal(body.code, code, path);
        assert.ok(body.message.length > 10, path);
      }
      const apps = (await (await r.request('/v1/apps', { token: bob })).json()) as { apps: { name: string }[] };
      assert.deepEqual(
        apps.apps.map((a) => a.name),
        ['hosted', 'notes', 'shared', 'viewer'],
      );
    });

    it('lets exactly one of two publishers of one version win, and takes the same package twice at once as one', async () => {
      const [a, b] = await Promise.all([
        publish(r, appZip('race', '1.0.0', { files: { 'panels/main/a.js': 'a' } }), token),
        publish(r, appZip('race', '1.0.0', { files: { 'panels/main/b.js': 'b' } }), token),
      ]);
      assert.deepEqual([a.status, b.status].sort(), [201, 409]);
      const same = appZip('race', '2.0.0');
      const [c, d] = await Promise.all([publish(r, same, token), publish(r, same, token)]);
      assert.deepEqual([c.status, d.status].sort(), [200, 201]);
      const versions = (await (await r.request('/v1/apps/race', { token: await member() })).json()) as { versions: unknown[] };
      assert.equal(versions.versions.length, 2);
    });

    it('loses no grant and leaves no orphan storage with 20 clients installing, upgrading, writing and uninstalling at once', async () => {
      assert.equal((await publish(r, appZip('busy', '1.0.0', { permissions: ['a:read'] }), token)).status, 201);
      assert.equal((await publish(r, appZip('busy', '2.0.0', { permissions: ['a:read', 'b:write'] }), token)).status, 201);
      const ada = await admin();
      const ops = [
        () => r.request('/v1/projects/p1/installations/busy', { method: 'PUT', token: ada, json: { tracks: '1.0.0', grant: ['a:read'] } }),
        () =>
          r.request('/v1/projects/p1/installations/busy', {
            method: 'PUT',
            token: ada,
            json: { tracks: '2.0.0', grant: ['a:read', 'b:write'] },
          }),
        () => r.request('/v1/projects/p1/apps/busy/storage/k', { method: 'PUT', token: ada, json: { value: Math.random() } }),
        () => r.request('/v1/projects/p1/installations/busy', { method: 'DELETE', token: ada }),
      ];
      for (let round = 0; round < 3; round++) {
        const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => ops[(i * 7 + round) % ops.length]()));
        for (const answer of answers) assert.ok([200, 404].includes(answer.status), `${answer.status} ${await answer.clone().text()}`);
        const db = r.server.database.db;
        const install = await db
          .selectFrom('installations')
          .select(['version'])
          .where('scope', '=', 'project')
          .where('scope_id', '=', 'p1')
          .where('app', '=', 'busy')
          .executeTakeFirst();
        const grants = (await db.selectFrom('grants').select('permission').where('scope_id', '=', 'p1').where('app', '=', 'busy').execute())
          .map((g) => g.permission)
          .sort();
        const storage = await db.selectFrom('storage').select('key').where('project', '=', 'p1').where('app', '=', 'busy').execute();
        if (install)
          assert.deepEqual(
            grants,
            install.version === '1.0.0' ? ['a:read'] : ['a:read', 'b:write'],
            `round ${round}: the grant matches the version installed`,
          );
        else {
          assert.deepEqual(grants, [], `round ${round}: no grant outlives its installation`);
          assert.deepEqual(storage, [], `round ${round}: no storage outlives its installation`);
        }
      }
    });

    it('refuses expired, revoked, foreign-namespace and other-app tokens, and user tokens that expired or were signed otherwise', async () => {
      const revokeMe = await r.request('/v1/tokens', { method: 'POST', token: await admin(), json: { namespace: 'acme-apps' } });
      const { id, token: doomed } = (await revokeMe.json()) as { id: string; token: string };
      assert.equal((await r.request(`/v1/tokens/${id}`, { method: 'DELETE', token: await admin() })).status, 200);
      const revoked = await publish(r, appZip('viewer', '3.0.0'), doomed);
      assert.equal(revoked.status, 401);
      assert.match(((await revoked.json()) as { message: string }).message, /revoked/);
      const foreign = await publishToken(r, 'other-ns');
      const taken = await publish(r, appZip('viewer', '3.0.0'), foreign);
      assert.equal(taken.status, 403);
      const onlyNotes = await publishToken(r, 'acme-apps', 'notes');
      assert.equal((await publish(r, appZip('viewer', '3.0.0'), onlyNotes)).status, 403);
      await r.server.database.db
        .updateTable('tokens')
        .set({ expires_at: new Date(Date.now() - 1000) })
        .where('namespace', '=', 'other-ns')
        .execute();
      const expired = await publish(r, appZip('fresh-app', '1.0.0'), foreign);
      assert.equal(expired.status, 401);
      assert.match(((await expired.json()) as { message: string }).message, /expired/);
      const stale = await userToken({ id: 'bob' }, -10);
      assert.equal((await r.request('/v1/projects/p1/installations', { token: stale })).status, 401);
      const { SignJWT } = await import('jose');
      const forged = await new SignJWT({ org: 'acme', projects: ['p1'], role: 'admin' })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('mallory')
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(new TextEncoder().encode('another key, also long enough to sign with'));
      assert.equal((await r.request('/v1/tokens', { method: 'POST', token: forged, json: { namespace: 'x' } })).status, 401);
      const audit = await r.server.database.db.selectFrom('audit').select(['action']).execute();
      for (const action of [
        'publish',
        'yank',
        'unyank',
        'tag',
        'install',
        'upgrade',
        'grant',
        'uninstall',
        'token create',
        'token revoke',
        'token use',
      ])
        assert.ok(
          audit.some((a) => a.action === action),
          action,
        );
    });
  });
}
