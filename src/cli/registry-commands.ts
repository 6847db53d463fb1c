/**
 * Commands for a registry service: `publish`, `yank`, `unyank`, `tag` (with a
 * publish token) and `token create|revoke` (as an org admin: a token given
 * with `--token`, or one this machine signs with the server's user key).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { CliError } from './app-files.js';
import type { Output } from './output.js';
import { packFolder } from './pack-command.js';
import { localUserKey, needToken, parseRegistryArgs, requestRegistry } from './registry-client.js';

const PUBLISH = 'Usage: slotbridge publish <app-dir|package.zip> --registry <url> --token <sbp_…>';
const YANK = 'Usage: slotbridge yank <app>@<version> [--reason <text>] --registry <url> --token <sbp_…>';
const UNYANK = 'Usage: slotbridge unyank <app>@<version> --registry <url> --token <sbp_…>';
const TAG = 'Usage: slotbridge tag <app>@<version> <tag> --registry <url> --token <sbp_…>';
const TOKEN =
  "Usage: slotbridge token create --namespace <ns> [--app <app>] [--days 90] [--kind publish|runner] | token revoke <id>; --registry <url>, as an admin: --token <user token>, or --data <the server's data folder>";

export async function publishCommand(args: readonly string[], out: Output): Promise<number> {
  const { registry, token, rest } = parseRegistryArgs('publish', args, [], PUBLISH);
  if (rest.length !== 1) throw new CliError(`publish: name one app folder or package. ${PUBLISH}`, 2);
  const path = rest[0];
  if (!existsSync(path)) throw new CliError(`publish: ${path}: no such file or folder.`, 2);
  let zip: Uint8Array;
  if (statSync(path).isDirectory()) {
    const packed = packFolder(path, 'publish');
    for (const s of packed.skipped) out.stderr(`publish: left out ${s} (dotfile or symbolic link)`);
    zip = packed.zip;
  } else zip = new Uint8Array(readFileSync(path));
  const version = (await requestRegistry(
    registry,
    '/v1/packages',
    {
      method: 'POST',
      token: needToken(token, 'publish', 'publishing'),
      headers: { 'content-type': 'application/zip' },
      body: zip as unknown as BodyInit,
    },
    'publish',
  )) as {
    app: string;
    version: string;
    status: string;
    url: string;
    files: string;
  };
  out.stdout(`published ${version.app}@${version.version} (${version.status})`);
  out.stdout(`  status  ${version.url}`);
  out.stdout(`  files   ${version.files}`);
  return 0;
}

function appAt(spec: string | undefined, command: string, usage: string): { app: string; version: string } {
  const match = spec ? /^([^@\s]+)@([^@\s]+)$/.exec(spec) : null;
  if (!match) throw new CliError(`${command}: name the version as <app>@<version>. ${usage}`, 2);
  return { app: match[1], version: match[2] };
}

export async function yankCommand(args: readonly string[], out: Output, yank = true): Promise<number> {
  const command = yank ? 'yank' : 'unyank';
  const usage = yank ? YANK : UNYANK;
  const { registry, token, rest, options } = parseRegistryArgs(command, args, yank ? ['--reason'] : [], usage);
  if (rest.length !== 1) throw new CliError(`${command}: name one <app>@<version>. ${usage}`, 2);
  const { app, version } = appAt(rest[0], command, usage);
  const reason = options.get('reason');
  const view = (await requestRegistry(
    registry,
    `/v1/apps/${encodeURIComponent(app)}/versions/${encodeURIComponent(version)}/${command}`,
    { method: 'POST', token: needToken(token, command, `${command}ing`), json: reason ? { reason } : {} },
    command,
  )) as { status: string };
  out.stdout(`${app}@${version} is ${view.status}${reason && yank ? ` (${reason})` : ''}`);
  return 0;
}

export async function tagCommand(args: readonly string[], out: Output): Promise<number> {
  const { registry, token, rest } = parseRegistryArgs('tag', args, [], TAG);
  if (rest.length !== 2) throw new CliError(`tag: name <app>@<version> and the tag. ${TAG}`, 2);
  const { app, version } = appAt(rest[0], 'tag', TAG);
  const tag = rest[1];
  const moved = (await requestRegistry(
    registry,
    `/v1/apps/${encodeURIComponent(app)}/tags/${encodeURIComponent(tag)}`,
    { method: 'PUT', token: needToken(token, 'tag', 'tagging'), json: { version } },
    'tag',
  )) as { held: string[] };
  out.stdout(`${app}@${tag} is ${version}`);
  if (moved.held.length > 0) out.stdout(`  held back (their grant does not cover ${version}): ${moved.held.join(', ')}`);
  return 0;
}

export async function tokenCommand(args: readonly string[], out: Output): Promise<number> {
  const [action, ...rest] = args;
  if (action !== 'create' && action !== 'revoke') throw new CliError(`token: create or revoke. ${TOKEN}`, 2);
  const parsed = parseRegistryArgs(`token ${action}`, rest, ['--namespace', '--app', '--days', '--kind', '--data', '--description'], TOKEN);
  const token = parsed.token ?? (await adminToken(parsed.options.get('data') ?? '.slotbridge'));
  if (action === 'revoke') {
    if (parsed.rest.length !== 1) throw new CliError(`token revoke: name the token's id (tok_…). ${TOKEN}`, 2);
    await requestRegistry(parsed.registry, `/v1/tokens/${encodeURIComponent(parsed.rest[0])}`, { method: 'DELETE', token }, 'token revoke');
    out.stdout(`revoked ${parsed.rest[0]}`);
    return 0;
  }
  const namespace = parsed.options.get('namespace');
  if (!namespace || parsed.rest.length > 0) throw new CliError(`token create: name the namespace it publishes to. ${TOKEN}`, 2);
  const days = parsed.options.has('days') ? Number(parsed.options.get('days')) : undefined;
  const body = {
    namespace,
    app: parsed.options.get('app'),
    days,
    kind: parsed.options.get('kind'),
    description: parsed.options.get('description'),
  };
  const made = (await requestRegistry(parsed.registry, '/v1/tokens', { method: 'POST', token, json: body }, 'token create')) as {
    id: string;
    token: string;
    expiresAt: string;
    app: string | null;
  };
  out.stderr(`token ${made.id} for ${namespace}${made.app ? `/${made.app}` : ''}, expires ${made.expiresAt}; shown once, keep it secret:`);
  out.stdout(made.token);
  return 0;
}

/** An admin's user token, signed here with the server's own key (this machine runs the server). */
async function adminToken(data: string): Promise<string> {
  const key = localUserKey(data);
  if (!key)
    throw new CliError(
      `token: no admin credentials: pass --token <an admin's user token>, or run this where the server runs (--data ${data} holds no user-key; or set SLOTBRIDGE_USER_KEY).`,
      2,
    );
  const { signUserToken } = await import('../../server/auth/user-token.js');
  return signUserToken(
    { id: 'cli', name: 'slotbridge CLI', org: process.env['SLOTBRIDGE_ORG'] ?? 'default', projects: [], role: 'admin' },
    new TextEncoder().encode(key),
    300,
  );
}
