/**
 * `slotbridge dev`'s queue, for an app with functions that run on a registry
 * service's queue (a `computeConfig`, a `queue`): an embedded service (PGlite
 * in a folder of its own, removed at the end) and one runner, which runs the
 * app from its folder as it is at each run. The app is published to the
 * service as a hosted dev version (`<version>-dev.<n>`, a new one whenever the
 * manifest changes) and installed in the scratch project; the page sends
 * those functions there, as a platform's page would.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DATALOOP_PERMISSIONS, DEMO_USERS } from './platform-config.js';
import { jsonRequest, makeToken } from './service-calls.js';

const NAMESPACE = 'dev';
/** The scratch project the dev page works in. */
const PROJECT = 'scratch';

export interface DevQueue {
  /** The service's URL. */
  readonly url: string;
  /** The runner's name. */
  readonly runner: string;
  /** The page's user token (the dev user, an admin of the scratch project). */
  token(): Promise<string>;
  /** Publishes the manifest as the next dev version and installs it in the scratch project. */
  publish(manifest: unknown): Promise<void>;
  close(): Promise<void>;
}

export interface DevQueueOptions {
  app: string;
  /** The app's folder (the runner runs it from here). */
  dir: string;
  /** Where the dev server serves its panels. */
  baseUrl: string;
  bridge: 'dataloop' | undefined;
  /** The page's origins (CORS). */
  origins: string[];
  python: string;
}

export async function startDevQueue(options: DevQueueOptions, manifest: unknown): Promise<DevQueue> {
  const { createServer, signUserToken, startRunner } = await import('../../../server/index.js');
  const data = mkdtempSync(join(tmpdir(), 'slotbridge-dev-'));
  const key = randomBytes(32).toString('hex');
  const server = await createServer({ data, auth: { userKey: key }, corsOrigins: options.origins });
  const closeAll: (() => Promise<unknown>)[] = [() => server.close(), async () => rmSync(data, { recursive: true, force: true })];
  const close = async () => {
    for (const step of closeAll.splice(0)) await step().catch(() => undefined);
  };
  try {
    const { url } = await server.listen({ port: 0, appsPort: 0 });
    const { id, name, role } = DEMO_USERS.ada;
    const token = () => signUserToken({ id, name, org: 'default', projects: [PROJECT], role }, new TextEncoder().encode(key), 3600);
    const admin = await token();
    const publishing = await makeToken(server.api, admin, NAMESPACE, 'publish');
    let n = 0;
    const publish = async (next: unknown) => {
      const declared = (next as { version?: unknown }).version;
      const base = (typeof declared === 'string' ? declared : '0.0.0').split('+')[0];
      const version = `${base}${base.includes('-') ? '.' : '-'}dev.${++n}`;
      const body = {
        manifest: { ...(next as object), version },
        baseUrl: options.baseUrl,
        ...(options.bridge === 'dataloop' ? { bridge: 'dataloop', permissions: DATALOOP_PERMISSIONS } : {}),
      };
      await expectOk(await server.api.request('/v1/apps', jsonRequest(publishing, body)), 'publish');
      const path = `/v1/projects/${PROJECT}/installations/${encodeURIComponent(options.app)}`;
      await expectOk(await server.api.request(path, jsonRequest(admin, { tracks: version }, 'PUT')), 'install');
    };
    await publish(manifest);
    const runner = startRunner({
      url,
      token: await makeToken(server.api, admin, NAMESPACE, 'runner'),
      name: 'dev-runner',
      python: options.python,
      localApps: { [options.app]: options.dir },
    });
    closeAll.unshift(() => runner.stop());
    return { url, runner: runner.name, token, publish, close };
  } catch (err) {
    await close();
    throw err;
  }
}

async function expectOk(response: Response, what: string): Promise<void> {
  if (response.ok) return;
  const { message } = (await response.json().catch(() => ({}))) as { message?: string };
  throw new Error(`the dev queue could not ${what} the app: ${message ?? response.status}`);
}
