import { watch } from 'node:fs';
import { basename, relative, resolve, sep } from 'node:path';
import { validateManifest } from '../manifest/validate.js';
import { formatIssue } from './validate-command.js';
import { CliError, findManifestFile, readText } from './app-files.js';
import type { Output } from './output.js';
import { startPlatformServer, type PlatformServerOptions } from './serve/platform-server.js';
import { startDevQueue, type DevQueue } from './serve/dev-queue.js';
import { runsOn } from '../manifest/runs-on.js';
import type { Manifest } from '../manifest/normalize.js';
import { DL_APP_LIB_MISSING, dlAppLibNote, loadsRemoteDlAppLib } from './serve/dataloop-panels.js';
import { pyodideProblem } from './serve/python-files.js';
import { isPythonModule } from '../manifest/python-module.js';
import { parseServeArgs, untilStopped } from './serve/serve-args.js';
import { messageOf } from '../errors/caught.js';

const USAGE = 'Usage: slotbridge dev <app-dir> [--port 8000] [--apps-port 8001] [--host localhost]';
/** Editors write a file in several steps: changes this close together are one change. */
const SETTLE_MS = 120;

/**
 * `slotbridge dev <app-dir>`: validates the app, then runs it inside the demo
 * platform (a scratch project with mock data, kept in memory), served from
 * another origin (a Dataloop app folder: its `panels/` at the root of its own). A change to a panel's files reloads the app's panels; any
 * other change reloads the page, after the manifest validates again. An app
 * with functions on a queue gets an embedded registry service and a runner
 * (`dev-queue.ts`).
 */
export async function devCommand(args: readonly string[], out: Output): Promise<number> {
  const { positional, port, appsPort, host } = parseServeArgs('dev', args, USAGE);
  if (positional.length !== 1) throw new CliError(`dev: name exactly one app folder. ${USAGE}`, 2);
  const dir = resolve(positional[0]);
  const manifestFile = findManifestFile(dir);
  if (manifestFile === dir) throw new CliError(`dev: ${positional[0]} is a file; name the app's folder. ${USAGE}`, 2);

  const first = validateManifest(readText(manifestFile));
  if (!first.ok || !first.manifest) {
    out.stderr(`dev: ${manifestFile} is not valid; fix it and run again:`);
    for (const e of first.errors) out.stderr(formatIssue('error', e));
    return 1;
  }
  for (const w of first.warnings) out.stdout(formatIssue('warning', w));
  const folder = first.manifest.name.replace(/[^A-Za-z0-9_.-]+/g, '-');

  const options: PlatformServerOptions = {
    port,
    appsPort,
    host,
    apps: [{ folder, dir }],
    mode: 'dev',
    devApp: folder,
    // What the app prints or logs, in the page or on the runner, shows here as it comes.
    printed: (app, text) => {
      for (const line of text.replace(/\n$/, '').split('\n')) out.stdout(`  [${app}] ${line}`);
    },
  };
  const server = await startPlatformServer(options);
  out.stdout(`slotbridge dev: ${first.manifest.name}@${first.manifest.version} is valid`);
  // An app with functions on a queue gets a service and a runner of its own, for as long as dev runs.
  let queue: DevQueue | undefined;
  if (runsOnQueue(first.manifest)) {
    const { usablePython } = await import('../../server/runner/python-child.js');
    const python = usablePython();
    if (python === undefined)
      out.stderr('dev: its queued functions need a Python a runner can run (set SLOTBRIDGE_PYTHON); they cannot run.');
    else {
      queue = await startDevQueue(
        {
          app: first.manifest.name,
          dir,
          baseUrl: server.baseUrls.get(folder)!,
          bridge: basename(manifestFile) === 'dataloop.json' ? 'dataloop' : undefined,
          origins: [server.url.replace(/\/$/, ''), `http://localhost:${new URL(server.url).port}`],
          python,
        },
        JSON.parse(readText(manifestFile)),
      ).catch(async (err: unknown) => {
        await server.close();
        throw new CliError(`dev: ${messageOf(err)}`);
      });
      options.queue = queue;
    }
  }
  // What keeps the app from working on this machine: said in the terminal and on the page.
  const problems = [
    server.dlAppLib === null && loadsRemoteDlAppLib(dir) ? DL_APP_LIB_MISSING : undefined,
    runsPythonInBrowser(first.manifest) ? pyodideProblem() : undefined,
  ].filter((p) => p !== undefined);
  for (const problem of problems) out.stderr(`dev: ${problem}`);
  options.problems = problems;
  // Before the addresses: whoever waits for them has read it too.
  if (server.dlAppLib) out.stdout(dlAppLibNote(server.dlAppLib));
  out.stdout(`  platform  ${server.url}`);
  out.stdout(
    `  app       ${server.baseUrls.get(folder)}${server.dlAppLib !== undefined ? ' (a Dataloop app: its panels/ folder at the root of its own origin)' : ''}`,
  );
  if (queue) out.stdout(`  queue     ${queue.url}/ (an embedded registry service; runner ${queue.runner}, ${dir} as it is at each run)`);
  out.stdout(`Watching ${dir} for changes. Ctrl+C stops.`);

  const changed = new Set<string>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    timer = undefined;
    const files = [...changed];
    changed.clear();
    if (files.includes(basename(manifestFile))) {
      const result = validateManifest(readText(manifestFile));
      if (!result.ok) {
        out.stderr(`dev: ${basename(manifestFile)} is not valid; the page keeps the last valid version:`);
        for (const e of result.errors) out.stderr(formatIssue('error', e));
        server.send({
          type: 'invalid',
          file: basename(manifestFile),
          errors: result.errors.map((e) => `${e.path || '(root)'}: ${e.message}`),
        });
        return;
      }
      out.stdout(`dev: ${basename(manifestFile)} is valid; reloading the page`);
      if (queue)
        return void queue.publish(JSON.parse(readText(manifestFile))).then(
          () => server.send({ type: 'reload', scope: 'page', file: files[0] }),
          (err: unknown) => out.stderr(`dev: ${messageOf(err)}`),
        );
    }
    const panelsOnly = files.every((f) => f.startsWith('panels/'));
    out.stdout(`dev: ${files.join(', ')} changed; reloading the ${panelsOnly ? 'panels' : 'page'}`);
    server.send({ type: 'reload', scope: panelsOnly ? 'panels' : 'page', file: files[0] });
  };
  const watcher = watch(dir, { recursive: true }, (_event, name) => {
    if (!name) return;
    const file = relative(dir, resolve(dir, name)).split(sep).join('/');
    if (file.split('/').some((part) => part.startsWith('.') || part === 'node_modules')) return;
    changed.add(file);
    clearTimeout(timer);
    timer = setTimeout(flush, SETTLE_MS);
  });

  return untilStopped(async () => {
    watcher.close();
    clearTimeout(timer);
    await server.close();
    await queue?.close();
  });
}

/** Whether any of the app's Python functions runs in the page (on Pyodide). */
function runsPythonInBrowser(manifest: Manifest): boolean {
  return manifest.components.modules.some(
    (m) => isPythonModule(m) && m.functions.some((f) => runsOn(m, f, { python: true }).on === 'browser'),
  );
}

/** Whether any of the app's functions runs on a service's queue (docs/runs.md), whatever the page's Python. */
function runsOnQueue(manifest: Manifest): boolean {
  return manifest.components.modules.some((m) => m.functions.some((f) => runsOn(m, f, { python: true }).on === 'queue'));
}
