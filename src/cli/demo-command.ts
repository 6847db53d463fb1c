import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { CliError, findManifestFile } from './app-files.js';
import type { Output } from './output.js';
import { packFolder } from './pack-command.js';
import { jsonRequest, makeToken, type ServiceApi } from './serve/service-calls.js';
import type { Runner } from '../../server/runner/runner.js';
import { startPlatformServer, type PlatformServerOptions } from './serve/platform-server.js';
import { DATALOOP_PERMISSIONS, DEMO_USERS, type DemoUser } from './serve/platform-config.js';
import { dlAppLibNote } from './serve/dataloop-panels.js';
import { builtFile } from './serve/package-root.js';
import { pyodideProblem } from './serve/python-files.js';
import { parsePort } from './serve/listen.js';
import { parseServeArgs, untilStopped } from './serve/serve-args.js';
import { userKey } from './serve-command.js';
import { messageOf } from '../errors/caught.js';

const USAGE = 'Usage: slotbridge demo [--port 8000] [--apps-port 8001] [--host localhost] [--registry-port 8090] [--data <folder>]';

/** The demo's org, namespace and user on its registry service. */
const ORG = 'default';
const NAMESPACE = 'samples';
const PROJECTS = ['vision', 'sandbox', 'example-robots'];
/** The demo's runner, as runs' records and the dashboards name it. */
const RUNNER_NAME = 'demo-runner';

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
  const { createServer, signUserToken, startRunner } = await import('../../server/index.js');
  const key = userKey(own.data);
  const registry = await createServer({
    data: own.data,
    auth: { userKey: key },
    corsOrigins: [platform.url.replace(/\/$/, ''), `http://localhost:${new URL(platform.url).port}`],
  }).catch(async (err: unknown) => {
    await platform.close();
    throw new CliError(`demo: ${messageOf(err)}`);
  });
  let runner: Runner | undefined;
  const stop = async () => {
    await platform.close();
    await runner?.stop();
    await registry.close();
  };
  try {
    const { url } = await registry.listen({ port: own.registryPort, appsPort: 0 });
    const sign = (user: DemoUser) => {
      const { id, name, role } = DEMO_USERS[user];
      return signUserToken({ id, name, org: ORG, projects: PROJECTS, role }, new TextEncoder().encode(key), 3600);
    };
    const admin = await sign('ada');
    const problems = await publishSamples(registry.api, admin, apps, platform.baseUrls);
    // The sample apps' Python runs in the page when Pyodide is installed: said on the page when it is not.
    options.problems = [pyodideProblem()].filter((p) => p !== undefined);
    // A runner beside the service, when this machine has a Python: the page can send Python functions to the queue.
    const python = (await import('../../server/runner/python-child.js')).usablePython();
    runner = python
      ? startRunner({ url, token: await makeToken(registry.api, admin, NAMESPACE, 'runner'), name: RUNNER_NAME, python })
      : undefined;
    options.registry = { url, problems, token: sign, ...(runner ? { runner: runner.name } : {}) };
    for (const problem of [...problems, ...options.problems]) out.stderr(`demo: ${problem}`);
    // Before the addresses: whoever waits for them has read it too.
    if (platform.dlAppLib) out.stdout(dlAppLibNote(platform.dlAppLib));
    out.stdout(`slotbridge demo: ${platform.url}`);
    out.stdout(`  sample apps served from ${platform.appsUrl} (another origin, as in production)`);
    out.stdout(
      `  registry ${url}/ (its data in ${own.data}; slotbridge token create --namespace ${NAMESPACE} --registry ${url} --data ${own.data})`,
    );
    out.stdout(
      runner
        ? `  runner ${runner.name} on the default queue (${python}): an app's page sends its Python there with a switch`
        : '  no Python the runner can run here (set SLOTBRIDGE_PYTHON): Python runs in the page only (Pyodide)',
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
    const arg = args[i];
    if (arg === '--data') {
      const value = args[++i];
      if (!value) throw new CliError(`demo: --data needs a folder. ${USAGE}`, 2);
      data = value;
    } else if (arg === '--registry-port') registryPort = parsePort(args[++i], arg, USAGE);
    else rest.push(arg);
  }
  return { rest, data, registryPort };
}

/**
 * Publishes each sample app: an app with Python modules as a package (a
 * runner runs what the service holds), the others as hosted versions (their
 * files stay where the demo serves them). The same again is a no-op.
 */
async function publishSamples(
  api: ServiceApi,
  admin: string,
  apps: readonly { folder: string; dir: string }[],
  baseUrls: ReadonlyMap<string, string>,
): Promise<string[]> {
  const token = await makeToken(api, admin, NAMESPACE, 'publish');
  const problems: string[] = [];
  for (const app of apps) {
    const file = findManifestFile(app.dir);
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as { components?: { modules?: { entryPoint?: unknown }[] } };
    const dataloop = basename(file) === 'dataloop.json';
    const python =
      !dataloop && (manifest.components?.modules ?? []).some((m) => typeof m.entryPoint === 'string' && m.entryPoint.endsWith('.py'));
    const published = python
      ? await api.request('/v1/packages', {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/zip' },
          body: packFolder(app.dir, 'demo').zip as unknown as BodyInit,
        })
      : await api.request(
          '/v1/apps',
          jsonRequest(token, {
            manifest,
            baseUrl: baseUrls.get(app.folder)!,
            ...(dataloop ? { bridge: 'dataloop', permissions: DATALOOP_PERMISSIONS } : {}),
          }),
        );
    if (!published.ok) {
      const { code, message } = (await published.json()) as { code: string; message: string };
      problems.push(`${app.folder}: ${code}: ${message}`);
    }
  }
  return problems;
}
