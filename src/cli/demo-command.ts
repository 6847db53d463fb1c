import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CliError } from './app-files.js';
import type { Output } from './output.js';
import { startPlatformServer } from './serve/platform-server.js';
import { dlAppLibNote } from './serve/dataloop-panels.js';
import { builtFile } from './serve/package-root.js';
import { parseServeArgs, untilStopped } from './serve/serve-args.js';

const USAGE = 'Usage: slotbridge demo [--port 8000] [--apps-port 8001] [--host localhost]';

/** `slotbridge demo`: the demo platform with the sample apps, until Ctrl+C. */
export async function demoCommand(args: readonly string[], out: Output): Promise<number> {
  const { positional, port, appsPort, host } = parseServeArgs('demo', args, USAGE);
  if (positional.length > 0) throw new CliError(`demo takes no folder. ${USAGE}`, 2);
  const appsRoot = builtFile('demo', 'apps');
  const apps = readdirSync(appsRoot, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
    .map((entry) => ({ folder: entry.name, dir: join(appsRoot, entry.name) }));
  const server = await startPlatformServer({ port, appsPort, host, apps, mode: 'demo' });
  // Before the addresses: whoever waits for them has read it too.
  if (server.dlAppLib !== undefined) out.stdout(dlAppLibNote(server.dlAppLib ?? undefined));
  out.stdout(`slotbridge demo: ${server.url}`);
  out.stdout(`  sample apps served from ${server.appsUrl} (another origin, as in production)`);
  out.stdout('Ctrl+C stops.');
  return untilStopped(() => server.close());
}
