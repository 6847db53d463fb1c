/**
 * `createServer`: the registry as a service. Two Hono apps: the API under
 * `/v1` and the apps' own origins (`<app>--<version>.apps.<host>`). It keeps
 * nothing of its own beyond the database and the blob store, so any number of
 * servers on one PostgreSQL serve one registry; changes reach every server's
 * streams through `NOTIFY`.
 */
import { setMaxListeners } from 'node:events';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { serve, type ServerType } from '@hono/node-server';
import { DEFAULT_STORAGE_QUOTA } from '../src/registry/app-storage.js';
import { packageVersion } from '../src/cli/serve/package-root.js';
import { userKeyOf } from './auth/user-token.js';
import { FileBlobStore } from './blobs/file-blob-store.js';
import type { BlobStore } from './blobs/blob-store.js';
import { openDatabase, type Database } from './db/database.js';
import { answerError, answerNotFound } from './http/errors.js';
import { callerOf } from './http/caller.js';
import { mount, openApi } from './http/route.js';
import { registryRoutes } from './http/routes.js';
import { appOrigin } from './registry/app-origin.js';
import type { RegistryContext } from './registry/context.js';
import { originLabel } from './registry/names.js';
import { runRoutes } from './http/run-routes.js';
import { RunQueue } from './runs/run-queue.js';
import { DEFAULT_RUN_LIMITS, reapLeases, type RunContext, type RunLimits } from './runs/runs.js';

export interface ServerOptions {
  /** `postgres://…`: a PostgreSQL server. Without it, an embedded PGlite database in `data`. */
  database?: string | undefined;
  /** The data folder: the embedded database and the blobs (default `./.slotbridge`). */
  data?: string | undefined;
  auth: {
    /** The secret the platform signs its user tokens with (HS256), at least 32 characters. */
    userKey: string;
  };
  /** The apps' parent host: apps are served at `<app>--<version>.<appsHost>` (default `apps.localhost`). */
  appsHost?: string | undefined;
  /** Where the API is reached from outside, for the URLs it answers with (default `http://localhost:<port>`). */
  publicUrl?: string | undefined;
  /** Another blob store (S3...); default: files in `<data>/blobs`. */
  blobs?: BlobStore | undefined;
  /** Bytes one app may keep in a project's storage (default 16 MB). */
  storageQuota?: number | undefined;
  /** Platform pages' origins that may call the API from the browser (CORS): `['https://platform.example.com']`. */
  corsOrigins?: readonly string[] | undefined;
  /** The protocols of the apps it takes (default: `slotbridge` and `dataloop`), as the platform's hosts have adapters for. */
  bridges?: readonly string[] | undefined;
  /** Function runs on the queue: a claim's lease (default 30 s), a run's log cap (1 MB), its inputs' and output's (1 MB). */
  runs?: Partial<RunLimits> | undefined;
}

export interface SlotbridgeServer {
  /** The API, as a web-standard handler (`app.request()` in tests, or mounted in a platform's own Node app). */
  readonly api: Hono;
  /** The apps' origins, routed by Host header. */
  readonly apps: Hono;
  readonly database: Database;
  /** Listens on the two ports (0: any free one); resolves with the URLs. */
  listen(options?: { port?: number; appsPort?: number; hostname?: string }): Promise<{ url: string; appsPort: number }>;
  /** Stops listening and closes the database (and its lock). */
  close(): Promise<void>;
}

export async function createServer(options: ServerOptions): Promise<SlotbridgeServer> {
  const key = userKeyOf(options.auth.userKey);
  const data = options.data ?? '.slotbridge';
  const database = await openDatabase({ url: options.database, data });
  const closing = new AbortController();
  // Every open change stream and every waiting claim or read listens for it: no leak, so no limit.
  setMaxListeners(0, closing.signal);
  const ctx: RegistryContext = {
    closing: closing.signal,
    database,
    blobs: options.blobs ?? new FileBlobStore(join(data, 'blobs')),
    storageQuota: options.storageQuota ?? DEFAULT_STORAGE_QUOTA,
    bridges: options.bridges ?? ['slotbridge', 'dataloop'],
  };
  const appsHost = options.appsHost ?? 'apps.localhost';
  let apiPort = 0;
  let appsPort = 0;
  const publicUrl = () => options.publicUrl ?? `http://localhost:${apiPort}`;
  const helpers = {
    versionUrl: (app: string, version: string) =>
      `${publicUrl()}/v1/apps/${encodeURIComponent(app)}/versions/${encodeURIComponent(version)}`,
    filesUrl: (app: string, version: string) => `http://${originLabel(app, version)}.${appsHost}${appsPort === 80 ? '' : `:${appsPort}`}/`,
  };
  const queue = await RunQueue.start(database).catch(async (err: unknown) => {
    await database.close();
    throw err;
  });
  const rc: RunContext = { registry: ctx, queue, limits: { ...DEFAULT_RUN_LIMITS, ...options.runs } };
  // Runs whose runner died go back on their queue (or fail) even while no runner claims.
  const reaper = setInterval(() => void reapLeases(rc).catch(() => undefined), Math.max(rc.limits.leaseMs / 2, 250));
  reaper.unref();
  const routes = [...registryRoutes(ctx, helpers), ...runRoutes(rc)];
  const api = new Hono();
  if (options.corsOrigins?.length) {
    api.use(
      '/v1/*',
      cors({
        origin: [...options.corsOrigins],
        allowHeaders: ['authorization', 'content-type'],
        allowMethods: ['GET', 'PUT', 'POST', 'PATCH', 'DELETE'],
        maxAge: 600,
      }),
    );
  }
  api.onError(answerError);
  api.notFound(answerNotFound);
  const document = openApi(routes, { title: 'slotbridge registry', version: packageVersion() });
  api.get('/v1/openapi.json', (c) => c.json(document));
  mount(api, routes, (header) => callerOf(header, database.db, key));
  const apps = appOrigin(ctx, { appsHost, port: () => appsPort });

  const servers: ServerType[] = [];
  return {
    api,
    apps,
    database,
    async listen(listen = {}) {
      const hostname = listen.hostname ?? '127.0.0.1';
      const start = (app: Hono, port: number) =>
        new Promise<ServerType>((resolve, reject) => {
          const server = serve({ fetch: app.fetch, port, hostname }, () => resolve(server));
          server.once('error', reject);
        });
      const apiServer = await start(api, listen.port ?? 0);
      servers.push(apiServer);
      apiPort = (apiServer.address() as AddressInfo).port;
      const appsServer = await start(apps, listen.appsPort ?? 0);
      servers.push(appsServer);
      appsPort = (appsServer.address() as AddressInfo).port;
      return { url: publicUrl(), appsPort };
    },
    async close() {
      closing.abort();
      clearInterval(reaper);
      await Promise.all(
        servers
          .splice(0)
          .map(
            (s) =>
              new Promise<void>(
                (resolve) => (s.close(() => resolve()), (s as { closeAllConnections?: () => void }).closeAllConnections?.()),
              ),
          ),
      );
      await queue.stop().catch(() => undefined);
      await database.close();
    },
  };
}
