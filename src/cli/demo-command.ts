import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { CliError, findManifestFile } from './app-files.js';
import type { Output } from './output.js';
import { startPlatformServer, type PlatformServerOptions } from './serve/platform-server.js';
import { DEMO_USERS, type DemoUser } from './serve/platform-config.js';
import { dlAppLibNote } from './serve/dataloop-panels.js';
import { builtFile } from './serve/package-root.js';
import { parsePort } from './serve/listen.js';
import { parseServeArgs, untilStopped } from './serve/serve-args.js';
import { userKey } from './serve-command.js';

const USAGE = 'Usage: slotbridge demo [--port 8000] [--apps-port 8001] [--host localhost] [--registry-port 8090] [--data <folder>]';

/** The demo's org, namespace and user on its registry service. */
const ORG = 'default';
const NAMESPACE = 'samples';
const PROJECTS = ['vision', 'sandbox', 'example-robots'];
/** What a Dataloop app may ask for here: the demo's Dataloop api reads projects, datasets and items, and updates items. */
const DATALOOP_PERMISSIONS = ['datasets:read', 'items:read', 'items:write'];

/**
 * `slotbridge demo`: the demo platform with the sample apps, until Ctrl+C. Its
 * registry is a registry service (embedded, its data in `--data`), on which
 * the sample apps are published as hosted versions; the page's host uses it
 * through `remoteRegistry`, as a platform's page would.
 */
export async function demoCommand(args: readonly string[], out: Output): Promise<number> {
  const own = takeOwnArgs(args);
  const { positional, port, appsPort, host } = parseServeArgs('demo', own.rest, USAGE);
  if (positional.length > 0) throw new CliError(`demo takes no folder. ${USAGE}`, 2);
  const appsRoot = builtFile('demo', 'apps');
  const apps = readdirSync(appsRoot, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
    .map((entry) => ({ folder: entry.name, dir: join(appsRoot, entry.name) }));
  const options: PlatformServerOptions = { port, appsPort, host, apps, mode: 'demo' };
  const platform = await startPlatformServer(options);
  const { createServer, signUserToken } = await import('../../server/index.js');
  const key = userKey(own.data);
  const registry = await createServer({
    data: own.data,
    auth: { userKey: key },
    corsOrigins: [platform.url.replace(/\/$/, ''), `http://localhost:${new URL(platform.url).port}`],
  }).catch(async (err: Error) => {
    await platform.close();
    throw new CliError(`demo: ${err.message}`);
  });
  const stop = async () => {
    await platform.close();
    await registry.close();
  };
  try {
    const { url } = await registry.listen({ port: own.registryPort, appsPort: 0 });
    const sign = (user: DemoUser) => {
      const { id, name, role } = DEMO_USERS[user];
      return signUserToken({ id, name, org: ORG, projects: PROJECTS, role }, new TextEncoder().encode(key), 3600);
    };
    const problems = await publishSamples(registry.api, await sign('ada'), apps, platform.baseUrls);
    options.registry = { url, problems, token: sign };
    for (const problem of problems) out.stderr(`demo: ${problem}`);
    // Before the addresses: whoever waits for them has read it too.
    if (platform.dlAppLib !== undefined) out.stdout(dlAppLibNote(platform.dlAppLib ?? undefined));
    out.stdout(`slotbridge demo: ${platform.url}`);
    out.stdout(`  sample apps served from ${platform.appsUrl} (another origin, as in production)`);
    out.stdout(
      `  registry ${url}/ (its data in ${own.data}; slotbridge token create --namespace ${NAMESPACE} --registry ${url} --data ${own.data})`,
    );
    out.stdout('Ctrl+C stops.');
  } catch (err) {
    await stop();
    throw err instanceof CliError ? err : new CliError(`demo: ${(err as Error).message}`);
  }
  return untilStopped(stop);
}

function takeOwnArgs(args: readonly string[]): { rest: string[]; data: string; registryPort: number } {
  const rest: string[] = [];
  // Beside where it runs (a clone's root under npm start), never inside an installed package.
  let data = join(process.cwd(), '.slotbridge', 'demo');
  let registryPort = 8090;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--data') {
      const value = args[++i];
      if (!value) throw new CliError(`demo: --data needs a folder. ${USAGE}`, 2);
      data = value;
    } else if (arg === '--registry-port') registryPort = parsePort(args[++i], arg, USAGE);
    else rest.push(arg);
  }
  return { rest, data, registryPort };
}

/** Publishes each sample app as a hosted version (its files stay where the demo serves them); the same again is a no-op. */
async function publishSamples(
  api: { request(path: string, init: RequestInit): Response | Promise<Response> },
  admin: string,
  apps: readonly { folder: string; dir: string }[],
  baseUrls: ReadonlyMap<string, string>,
): Promise<string[]> {
  const json = (token: string, body: unknown): RequestInit => ({
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const made = await api.request(
    '/v1/tokens',
    json(admin, { namespace: NAMESPACE, days: 1, description: 'the demo publishes its sample apps' }),
  );
  if (!made.ok) throw new Error(`the demo's registry made no publish token (${(await made.text()).slice(0, 200)})`);
  const { token } = (await made.json()) as { token: string };
  const problems: string[] = [];
  for (const app of apps) {
    const file = findManifestFile(app.dir);
    const dataloop = basename(file) === 'dataloop.json';
    const body = {
      manifest: JSON.parse(readFileSync(file, 'utf8')) as unknown,
      baseUrl: baseUrls.get(app.folder)!,
      ...(dataloop ? { bridge: 'dataloop', permissions: DATALOOP_PERMISSIONS } : {}),
    };
    const published = await api.request('/v1/apps', json(token, body));
    if (!published.ok) {
      const { code, message } = (await published.json()) as { code: string; message: string };
      problems.push(`${app.folder}: ${code}: ${message}`);
    }
  }
  return problems;
}
