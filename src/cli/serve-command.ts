/**
 * `slotbridge serve`: the registry service, on PostgreSQL (`DATABASE_URL`) or
 * an embedded database in `--data`. The key platform user tokens are signed
 * with comes from `SLOTBRIDGE_USER_KEY`, else from `<data>/user-key` (made
 * on first start, readable by this user only). `slotbridge migrate` brings a
 * database to the current schema and exits.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CliError } from './app-files.js';
import type { Output } from './output.js';
import { parsePort } from './serve/listen.js';
import { untilStopped } from './serve/serve-args.js';
import { messageOf } from '../errors/caught.js';

const SERVE =
  'Usage: slotbridge serve [--port 8080] [--apps-port 8081] [--data ./.slotbridge] [--apps-host apps.localhost]; DATABASE_URL=postgres://… for PostgreSQL';
const MIGRATE = 'Usage: slotbridge migrate [--data ./.slotbridge]; DATABASE_URL=postgres://… for PostgreSQL';

interface ServeOptions {
  port: number;
  appsPort: number;
  data: string;
  appsHost: string;
}

function parse(command: string, args: readonly string[], usage: string): ServeOptions {
  const out: ServeOptions = { port: 8080, appsPort: 8081, data: '.slotbridge', appsHost: 'apps.localhost' };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--port') out.port = parsePort(args[++i], arg, usage);
    else if (arg === '--apps-port') out.appsPort = parsePort(args[++i], arg, usage);
    else if (arg === '--data' || arg === '--apps-host') {
      const value = args[++i];
      if (!value) throw new CliError(`${command}: ${arg} needs a value. ${usage}`, 2);
      if (arg === '--data') out.data = value;
      else out.appsHost = value;
    } else throw new CliError(`${command}: unknown ${arg.startsWith('-') ? 'option' : 'argument'} ${arg}. ${usage}`, 2);
  }
  return out;
}

/** The user key: `SLOTBRIDGE_USER_KEY`, else the data folder's (made now if there is none). */
export function userKey(data: string): string {
  const given = process.env['SLOTBRIDGE_USER_KEY'];
  if (given) return given;
  const file = join(data, 'user-key');
  if (!existsSync(file)) {
    mkdirSync(data, { recursive: true });
    writeFileSync(file, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
  }
  return readFileSync(file, 'utf8').trim();
}

export async function serveCommand(args: readonly string[], out: Output): Promise<number> {
  const options = parse('serve', args, SERVE);
  const database = process.env['DATABASE_URL'] || undefined;
  const { createServer } = await import('../../server/server.js');
  const { redact } = await import('../../server/db/database.js');
  const server = await createServer({
    database,
    data: options.data,
    appsHost: options.appsHost,
    auth: { userKey: userKey(options.data) },
  }).catch((err: unknown) => {
    throw new CliError(`serve: ${messageOf(err)}`);
  });
  let listening: { url: string; appsPort: number };
  try {
    listening = await server.listen({ port: options.port, appsPort: options.appsPort });
  } catch (err) {
    await server.close();
    const code = (err as NodeJS.ErrnoException).code;
    throw new CliError(
      code === 'EADDRINUSE'
        ? `serve: port ${options.port} or ${options.appsPort} is taken; pick others with --port and --apps-port.`
        : `serve: ${(err as Error).message}`,
    );
  }
  out.stdout(`slotbridge serve: ${listening.url}/ (the API: ${listening.url}/v1/openapi.json)`);
  out.stdout(`  apps at  http://<app>--<version>.${options.appsHost}:${listening.appsPort}/`);
  out.stdout(`  database ${database ? redact(database) : `embedded, in ${options.data}`}`);
  out.stdout('Ctrl+C stops.');
  return untilStopped(() => server.close());
}

export async function migrateCommand(args: readonly string[], out: Output): Promise<number> {
  const options = parse('migrate', args, MIGRATE);
  const { openDatabase, migrate, redact } = await import('../../server/db/database.js');
  const url = process.env['DATABASE_URL'] || undefined;
  const database = await openDatabase({ url, data: options.data }).catch((err: unknown) => {
    throw new CliError(`migrate: ${messageOf(err)}`);
  });
  try {
    const applied = await migrate(database.db);
    out.stdout(`${url ? redact(url) : options.data}: the schema is current${applied.length ? ` (applied ${applied.join(', ')})` : ''}`);
  } finally {
    await database.close();
  }
  return 0;
}
