/** The `slotbridge` command line. */
import { manifestJsonSchema } from '../manifest/json-schema.js';
import { CliError } from './app-files.js';
import { type Output, processOutput } from './output.js';
import { packCommand } from './pack-command.js';
import { validateCommand } from './validate-command.js';
import { importCommand } from './import-command.js';
import { importPluginCommand } from './import-plugin-command.js';
import { initCommand } from './init-command.js';
import { devCommand } from './dev-command.js';
import { demoCommand } from './demo-command.js';
import { publishCommand, tagCommand, tokenCommand, yankCommand } from './registry-commands.js';
import { migrateCommand, serveCommand } from './serve-command.js';
import { runnerCommand } from './runner-command.js';

const HELP = `slotbridge: tools for slotbridge apps

Usage:
  slotbridge validate <file|dir>... [--json]   check manifests; exit 1 on any error
  slotbridge schema                            print the manifest's JSON Schema
  slotbridge pack <app-dir> [-o file.zip]      zip the manifest, assets/, lib/, panels/ and modules/
  slotbridge import <file.app.conf> [-o app.json]
                                               convert a ClearML app config to a manifest
  slotbridge import-plugin <file.py|dir> [-o app.json]
                                               a manifest from a Dioptra plugin's registered functions
  slotbridge init <dir> [--name <app-name>] [--python]
                                               start a new app: one panel, one toolbar (and a Python function)
  slotbridge dev <app-dir> [--port 8000] [--apps-port 8001]
                                               run an app inside a local platform; reloads on change
  slotbridge demo [--port 8000] [--apps-port 8001]
                                               the demo platform with the sample apps
  slotbridge serve [--port 8080] [--apps-port 8081] [--data ./.slotbridge]
                                               the registry service (DATABASE_URL: PostgreSQL; else embedded)
  slotbridge migrate [--data ./.slotbridge]    bring the registry's database to the current schema
  slotbridge publish <app-dir|zip> --registry <url> --token <sbp_…>
                                               publish an app version to a registry
  slotbridge yank|unyank <app>@<version> --registry <url> --token <sbp_…>
  slotbridge tag <app>@<version> <tag> --registry <url> --token <sbp_…>
  slotbridge token create --namespace <ns> [--app <app>] [--days 90] [--kind publish|runner] --registry <url>
  slotbridge token revoke <id> --registry <url>
                                               publish and runner tokens, as an org admin (where the server runs: its user key)
  slotbridge runner --registry <url> --token <sbr_…> [--queues default] [--python python3] [--timeout s] [--memory MB]
                                               run functions from the service's queues, each in a fresh Python process
  slotbridge --help                            show this text`;

const commands: Record<string, (args: readonly string[], out: Output) => number | Promise<number>> = {
  validate: validateCommand,
  import: importCommand,
  'import-plugin': importPluginCommand,
  pack: packCommand,
  init: initCommand,
  dev: devCommand,
  demo: demoCommand,
  serve: serveCommand,
  migrate: migrateCommand,
  publish: publishCommand,
  yank: (args, out) => yankCommand(args, out, true),
  unyank: (args, out) => yankCommand(args, out, false),
  tag: tagCommand,
  token: tokenCommand,
  runner: runnerCommand,
  schema: (args, out) => {
    if (args.length > 0) throw new CliError('schema takes no arguments. Usage: slotbridge schema', 2);
    out.stdout(JSON.stringify(manifestJsonSchema, null, 2));
    return 0;
  },
};

/** Runs one command line; returns the exit code. */
export async function run(argv: readonly string[], out: Output = processOutput): Promise<number> {
  const command = argv.at(0);
  const args = argv.slice(1);
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    out.stdout(HELP);
    return command === undefined ? 2 : 0;
  }
  const handler = Object.hasOwn(commands, command) ? commands[command] : undefined;
  try {
    if (!handler) throw new CliError(`Unknown command "${command}".\n\n${HELP}`, 2);
    return await handler(args, out);
  } catch (err) {
    if (err instanceof CliError) {
      out.stderr(err.message);
      return err.exitCode;
    }
    throw err;
  }
}

process.exitCode = await run(process.argv.slice(2));
