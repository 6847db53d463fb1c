/**
 * A registry server for tests, on each database the machine has: the
 * embedded PGlite always, and PostgreSQL when `SLOTBRIDGE_TEST_DATABASE_URL`
 * names one (`.ci/run` starts Debian's and sets it; CI fails without it).
 * Each server gets a fresh data folder and, on PostgreSQL, a fresh database.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import pg from 'pg';
import { createServer, type ServerOptions, type SlotbridgeServer } from '../../../server/server.js';
import { signUserToken, type PlatformUser } from '../../../server/auth/user-token.js';

export const USER_KEY = 'a test key of at least thirty-two characters';
const key = new TextEncoder().encode(USER_KEY);

export interface DatabaseKind {
  name: 'pglite' | 'postgres';
  /** A fresh, empty database's URL (undefined for PGlite). */
  fresh(): Promise<string | undefined>;
}

const postgresUrl = process.env['SLOTBRIDGE_TEST_DATABASE_URL'];
if (process.env['CI'] && !postgresUrl)
  throw new Error('CI runs the server tests on PostgreSQL too: set SLOTBRIDGE_TEST_DATABASE_URL (.ci/run does).');

let databases = 0;
export const DATABASES: DatabaseKind[] = [
  { name: 'pglite', fresh: async () => undefined },
  ...(postgresUrl
    ? [
        {
          name: 'postgres' as const,
          async fresh() {
            const name = `sb_test_${process.pid}_${++databases}`;
            const admin = new pg.Client({ connectionString: postgresUrl });
            await admin.connect();
            await admin.query(`drop database if exists ${name}`);
            await admin.query(`create database ${name}`);
            await admin.end();
            const url = new URL(postgresUrl);
            url.pathname = `/${name}`;
            return url.href;
          },
        },
      ]
    : []),
];

export interface TestRegistry {
  server: SlotbridgeServer;
  data: string;
  url: string | undefined;
  /** `fetch` against the API (no network): path, init, and a bearer token. */
  request(path: string, init?: RequestInit & { token?: string; json?: unknown }): Promise<Response>;
  close(): Promise<void>;
}

export async function startRegistry(
  kind: DatabaseKind,
  options: { storageQuota?: number; url?: string; data?: string; runs?: ServerOptions['runs'] } = {},
): Promise<TestRegistry> {
  const data = options.data ?? mkdtempSync(join(tmpdir(), 'slotbridge-server-'));
  const url = options.url ?? (await kind.fresh());
  const server = await createServer({
    database: url,
    data,
    auth: { userKey: USER_KEY },
    storageQuota: options.storageQuota,
    runs: options.runs,
  });
  return {
    server,
    data,
    url,
    request(path, init = {}) {
      const headers = new Headers(init.headers);
      if (init.token) headers.set('authorization', `Bearer ${init.token}`);
      let body = init.body;
      if (init.json !== undefined) {
        headers.set('content-type', 'application/json');
        body = JSON.stringify(init.json);
      }
      return Promise.resolve(server.api.request(path, { ...init, headers, body }));
    },
    async close() {
      await server.close();
      if (!options.data) rmSync(data, { recursive: true, force: true });
    },
  };
}

export function userToken(user: Partial<PlatformUser> & { id: string }, seconds = 600): Promise<string> {
  return signUserToken({ name: undefined, org: 'acme', projects: ['p1'], role: 'member', ...user }, key, seconds);
}

export const admin = () => userToken({ id: 'ada', role: 'admin', projects: ['p1', 'p2'] });
export const member = () => userToken({ id: 'bob', projects: ['p1'] });

/** A package: app.json (name, version, permissions) and a panel page. */
export function appZip(
  name: string,
  version: string,
  extra: { permissions?: string[]; files?: Record<string, string>; manifest?: Record<string, unknown> } = {},
): Uint8Array {
  const manifest = {
    name,
    version,
    permissions: extra.permissions ?? [],
    components: { panels: [{ name: 'main', supportedSlots: [{ type: 'itemViewer' }] }] },
    ...extra.manifest,
  };
  const files: Record<string, Uint8Array> = {
    'app.json': strToU8(JSON.stringify(manifest)),
    'panels/main/index.html': strToU8(`<!doctype html><title>${name} ${version}</title>`),
  };
  for (const [path, text] of Object.entries(extra.files ?? {})) files[path] = strToU8(text);
  return zipSync(files);
}

/** A publish token for `namespace` (made by the admin); `kind: 'runner'` for a runner token. */
export async function publishToken(
  r: TestRegistry,
  namespace = 'acme-apps',
  app?: string,
  kind: 'publish' | 'runner' = 'publish',
): Promise<string> {
  const res = await r.request('/v1/tokens', { method: 'POST', token: await admin(), json: { namespace, kind, ...(app ? { app } : {}) } });
  if (res.status !== 200 && res.status !== 201) throw new Error(`token: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

export function publish(r: TestRegistry, zip: Uint8Array, token: string): Promise<Response> {
  return r.request('/v1/packages', {
    method: 'POST',
    token,
    headers: { 'content-type': 'application/zip' },
    body: zip as unknown as BodyInit,
  });
}
