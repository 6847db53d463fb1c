// `slotbridge serve` as real processes: the CLI's token, publish, yank and tag
// against it, a second server on one data folder, servers killed with SIGKILL
// mid-publish and mid-uninstall, and two servers on one PostgreSQL.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appZip, DATABASES, USER_KEY, userToken } from './support/registry-server.js';

const cli = new URL('../../dist/cli.js', import.meta.url).pathname;
const imageViewer = new URL('../../demo/apps/image-viewer/', import.meta.url).pathname;

interface Served {
  child: ChildProcess;
  url: string;
  output(): string;
  kill(signal?: NodeJS.Signals): Promise<number | null>;
}

function serve(data: string, env: Record<string, string> = {}): Promise<Served> {
  const child = spawn(process.execPath, [cli, 'serve', '--port', '0', '--apps-port', '0', '--data', data], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c) => (output += c));
  child.stderr.on('data', (c) => (output += c));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${output}`)), 30_000);
    child.stdout.on('data', () => {
      const url = /slotbridge serve: (http:\/\/localhost:\d+)\//.exec(output)?.[1];
      if (!url) return;
      clearTimeout(timer);
      resolve({ child, url, output: () => output, kill: (signal = 'SIGTERM') => (child.kill(signal), exited) });
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited (${code}):\n${output}`));
    });
  });
}

/** GET on this machine with a Host header of our choosing (fetch will not send one): an app's own origin. */
function getFrom(origin: string, path: string): Promise<number> {
  const url = new URL(origin);
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port: url.port, path, headers: { host: url.host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    })
      .on('error', reject)
      .end();
  });
}

const slotbridge = (args: string[], env: Record<string, string> = {}) =>
  new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('exit', (status) => resolve({ status, stdout, stderr }));
  });

describe('slotbridge serve, publish and token from the command line', { timeout: 120_000 }, () => {
  let data: string;
  let server: Served;
  let token: string;

  before(async () => {
    data = mkdtempSync(join(tmpdir(), 'slotbridge-serve-'));
    server = await serve(data);
  });
  after(async () => {
    await server?.kill();
    rmSync(data, { recursive: true, force: true });
  });

  it('makes a publish token where the server runs, and publishes an app folder with it', async () => {
    const made = await slotbridge(['token', 'create', '--namespace', 'demo', '--registry', server.url, '--data', data]);
    assert.equal(made.status, 0, made.stderr);
    token = made.stdout.trim();
    assert.match(token, /^sbp_[A-Za-z0-9_-]{43}$/);
    assert.match(made.stderr, /shown once/);
    const published = await slotbridge(['publish', imageViewer, '--registry', server.url], { SLOTBRIDGE_TOKEN: token });
    assert.equal(published.status, 0, published.stderr);
    const status = /status {2}(\S+)/.exec(published.stdout)![1];
    const version = (await (await fetch(status)).json()) as { app: string; status: string };
    assert.deepEqual([version.app, version.status], ['image-viewer', 'active']);
    // Its files, at its own origin.
    const files = /files {3}(\S+)/.exec(published.stdout)![1];
    assert.match(files, /^http:\/\/image-viewer--\d+-\d+-\d+\.apps\.localhost:\d+\/$/);
    assert.equal(await getFrom(files, '/panels/viewer/index.html'), 200);
    assert.equal(await getFrom(files, '/app.json'), 404);
  });

  it('yanks, unyanks and tags from the command line, and says why when it cannot', async () => {
    const { version } = JSON.parse(await (await fetch(`${server.url}/v1/openapi.json`)).text()).info;
    assert.ok(version);
    const yank = await slotbridge(['yank', 'image-viewer@1.0.0', '--reason', 'a test', '--registry', server.url, '--token', token]);
    assert.equal(yank.status, 0, yank.stderr);
    assert.match(yank.stdout, /is yanked \(a test\)/);
    assert.equal((await slotbridge(['unyank', 'image-viewer@1.0.0', '--registry', server.url, '--token', token])).status, 0);
    const tag = await slotbridge(['tag', 'image-viewer@1.0.0', 'stable', '--registry', server.url, '--token', token]);
    assert.equal(tag.status, 0, tag.stderr);
    const bad = await slotbridge(['yank', 'image-viewer@9.9.9', '--registry', server.url, '--token', token]);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /APP_NOT_FOUND: image-viewer has no version 9\.9\.9/);
    const noToken = await slotbridge(['publish', imageViewer, '--registry', server.url], { SLOTBRIDGE_TOKEN: '' });
    assert.equal(noToken.status, 2);
    assert.match(noToken.stderr, /needs a token/);
    const down = await slotbridge(['publish', imageViewer, '--registry', 'http://127.0.0.1:9', '--token', token]);
    assert.equal(down.status, 1);
    assert.match(down.stderr, /cannot reach the registry/);
  });

  it('refuses a second server on the same data folder, saying which process holds it', async () => {
    const second = await serve(data).then(
      async (s) => (await s.kill(), 'started'),
      (err: Error) => err.message,
    );
    assert.match(second, /Another slotbridge server \(pid \d+\) is using the data folder/);
  });
});

for (const kind of DATABASES) {
  describe(`a server killed with SIGKILL on ${kind.name}`, { timeout: 180_000 }, () => {
    it('mid-publish and mid-uninstall: after a restart nothing half-written is visible', async () => {
      const data = mkdtempSync(join(tmpdir(), 'slotbridge-kill-'));
      const url = await kind.fresh();
      const env = { SLOTBRIDGE_USER_KEY: USER_KEY, ...(url ? { DATABASE_URL: url } : {}) };
      try {
        let server = await serve(data, env);
        const adminToken = await userToken({ id: 'ada', role: 'admin', org: 'default', projects: ['p1'] });
        const bob = await userToken({ id: 'bob', org: 'default', projects: ['p1'] });
        const made = (await (
          await fetch(`${server.url}/v1/tokens`, {
            method: 'POST',
            headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
            body: JSON.stringify({ namespace: 'kill' }),
          })
        ).json()) as { token: string };
        // A package big enough that publishing it takes a while: 8 MB of random-ish bytes.
        const noise = Array.from({ length: 8 * 1024 }, (_, i) => `${i.toString(36)}${Math.random().toString(36)}`.repeat(40)).join('');
        for (const [i, delay] of [5, 30, 80, 150].entries()) {
          const zip = appZip('big', `1.0.${i}`, { files: { 'assets/noise.txt': noise } });
          const sent = fetch(`${server.url}/v1/packages`, {
            method: 'POST',
            headers: { authorization: `Bearer ${made.token}`, 'content-type': 'application/zip' },
            body: zip as unknown as BodyInit,
          }).catch(() => undefined);
          await new Promise((r) => setTimeout(r, delay));
          await server.kill('SIGKILL');
          await sent;
          server = await serve(data, env);
          const versions = await fetch(`${server.url}/v1/apps/big`, { headers: { authorization: `Bearer ${bob}` } });
          if (versions.status === 200) {
            const app = (await versions.json()) as { versions: { version: string; digest: string; files: string }[] };
            for (const v of app.versions) {
              // Whatever is listed is whole: its files are served from its bytes.
              assert.equal(await getFrom(v.files, '/panels/main/index.html'), 200, `${v.version} is listed but its files are not there`);
            }
          } else assert.equal(versions.status, 404);
        }
        // Uninstall mid-way: the installation and its 2,000 storage keys go together or stay together.
        const headers = { authorization: `Bearer ${bob}`, 'content-type': 'application/json' };
        assert.equal(
          (
            await fetch(`${server.url}/v1/packages`, {
              method: 'POST',
              headers: { authorization: `Bearer ${made.token}`, 'content-type': 'application/zip' },
              body: appZip('keeper', '1.0.0') as unknown as BodyInit,
            })
          ).status,
          201,
        );
        assert.equal(
          (await fetch(`${server.url}/v1/projects/p1/installations/keeper`, { method: 'PUT', headers, body: '{}' })).status,
          200,
        );
        for (let k = 0; k < 2000; k += 100) {
          await Promise.all(
            Array.from({ length: 100 }, (_, j) =>
              fetch(`${server.url}/v1/projects/p1/apps/keeper/storage/k${k + j}`, {
                method: 'PUT',
                headers,
                body: JSON.stringify({ value: 'x'.repeat(100) }),
              }),
            ),
          );
        }
        const removing = fetch(`${server.url}/v1/projects/p1/installations/keeper`, { method: 'DELETE', headers }).catch(() => undefined);
        await new Promise((r) => setTimeout(r, 15));
        await server.kill('SIGKILL');
        await removing;
        server = await serve(data, env);
        const installed = (
          (await (await fetch(`${server.url}/v1/projects/p1/installations`, { headers })).json()) as { installations: { app: string }[] }
        ).installations.some((i) => i.app === 'keeper');
        if (installed) {
          const keys = ((await (await fetch(`${server.url}/v1/projects/p1/apps/keeper/storage`, { headers })).json()) as { keys: string[] })
            .keys;
          assert.equal(keys.length, 2000, 'still installed, so all its storage is there');
        } else {
          // Reinstalled, it starts with nothing: no orphan storage came back.
          assert.equal(
            (await fetch(`${server.url}/v1/projects/p1/installations/keeper`, { method: 'PUT', headers, body: '{}' })).status,
            200,
          );
          const keys = ((await (await fetch(`${server.url}/v1/projects/p1/apps/keeper/storage`, { headers })).json()) as { keys: string[] })
            .keys;
          assert.deepEqual(keys, []);
        }
        await server.kill();
      } finally {
        rmSync(data, { recursive: true, force: true });
      }
    });
  });
}

const postgres = DATABASES.find((d) => d.name === 'postgres');
describe(
  'two servers on one PostgreSQL',
  { timeout: 120_000, skip: postgres ? false : 'no PostgreSQL on this machine (CI has one)' },
  () => {
    it('serve one registry: a change through one reaches a stream on the other within a second', async () => {
      const url = (await postgres!.fresh())!;
      const env = { SLOTBRIDGE_USER_KEY: USER_KEY, DATABASE_URL: url };
      const dataA = mkdtempSync(join(tmpdir(), 'slotbridge-a-'));
      const dataB = mkdtempSync(join(tmpdir(), 'slotbridge-b-'));
      // One blob store for both, as a shared volume or S3 would be.
      const a = await serve(dataA, env);
      const b = await serve(dataA, env).catch(async () => serve(dataB, { ...env }));
      const bob = await userToken({ id: 'bob', org: 'default', projects: ['p1'] });
      const adminToken = await userToken({ id: 'ada', role: 'admin', org: 'default', projects: ['p1'] });
      try {
        const made = (await (
          await fetch(`${a.url}/v1/tokens`, {
            method: 'POST',
            headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
            body: JSON.stringify({ namespace: 'two' }),
          })
        ).json()) as { token: string };
        const stream = await fetch(`${b.url}/v1/changes/stream`, { headers: { authorization: `Bearer ${bob}` } });
        assert.equal(stream.status, 200);
        const reader = stream.body!.getReader();
        let text = '';
        const heard = (async () => {
          for (;;) {
            const { value, done } = await reader.read();
            if (done) return false;
            text += new TextDecoder().decode(value);
            if (/event: change[\s\S]*"app:published"[\s\S]*"twice"/.test(text)) return true;
          }
        })();
        await new Promise((r) => setTimeout(r, 200));
        const started = performance.now();
        assert.equal(
          (
            await fetch(`${a.url}/v1/packages`, {
              method: 'POST',
              headers: { authorization: `Bearer ${made.token}`, 'content-type': 'application/zip' },
              body: appZip('twice', '1.0.0') as unknown as BodyInit,
            })
          ).status,
          201,
        );
        const ok = await Promise.race([heard, new Promise<boolean>((r) => setTimeout(() => r(false), 5000))]);
        const took = performance.now() - started;
        await reader.cancel();
        assert.equal(ok, true, `the other server's stream heard: ${text}`);
        assert.ok(took < 1000, `it took ${Math.round(took)} ms`);
      } finally {
        await a.kill();
        await b.kill();
        rmSync(dataA, { recursive: true, force: true });
        rmSync(dataB, { recursive: true, force: true });
      }
    });
  },
);
