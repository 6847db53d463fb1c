/**
 * The CLI's side of the registry service: options every command takes
 * (`--registry`, `--token`, or `SLOTBRIDGE_REGISTRY` and `SLOTBRIDGE_TOKEN`),
 * one request helper that turns the service's `{ code, message }` into a
 * `CliError` saying both, and the admin credentials of a machine that runs
 * the server (its user key, in the data folder or `SLOTBRIDGE_USER_KEY`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CliError } from './app-files.js';

export interface RegistryArgs {
  registry: string;
  token: string | undefined;
  /** What is left after the options this file knows. */
  rest: string[];
  /** `--name value` options the command itself takes. */
  options: Map<string, string>;
}

/** Parses `--registry`, `--token` and the command's own `--name value` options (`known`). */
export function parseRegistryArgs(command: string, args: readonly string[], known: readonly string[], usage: string): RegistryArgs {
  const options = new Map<string, string>();
  const rest: string[] = [];
  let registry = process.env['SLOTBRIDGE_REGISTRY'];
  let token = process.env['SLOTBRIDGE_TOKEN'];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--registry' || arg === '--token' || known.includes(arg)) {
      const value = args.at(++i);
      if (value === undefined || value.startsWith('--')) throw new CliError(`${command}: ${arg} needs a value. ${usage}`, 2);
      if (arg === '--registry') registry = value;
      else if (arg === '--token') token = value;
      else options.set(arg.slice(2), value);
    } else if (arg.startsWith('--')) throw new CliError(`${command}: unknown option ${arg}. ${usage}`, 2);
    else rest.push(arg);
  }
  if (!registry)
    throw new CliError(`${command}: which registry? Pass --registry http://localhost:8080 (or set SLOTBRIDGE_REGISTRY). ${usage}`, 2);
  if (!/^https?:\/\/[^/]/.test(registry))
    throw new CliError(`${command}: --registry is the server's http(s) URL, such as http://localhost:8080; got ${registry}.`, 2);
  return { registry: registry.replace(/\/+$/, ''), token, rest, options };
}

/** One request; the answer's JSON, or a `CliError` with the service's code and message (exit 1). */
export async function requestRegistry(
  registry: string,
  path: string,
  init: RequestInit & { token?: string | undefined; json?: unknown },
  command: string,
): Promise<unknown> {
  const headers = new Headers(init.headers);
  if (init.token) headers.set('authorization', `Bearer ${init.token}`);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set('content-type', 'application/json');
    body = JSON.stringify(init.json);
  }
  let response: Response;
  try {
    response = await fetch(`${registry}${path}`, { ...init, headers, body });
  } catch (err) {
    throw new CliError(
      `${command}: cannot reach the registry at ${registry} (${(err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : (err as Error).message}); is slotbridge serve running there?`,
    );
  }
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CliError(
      `${command}: the registry answered ${response.status} with something other than JSON; is ${registry} a slotbridge registry?`,
    );
  }
  if (!response.ok) {
    const { code, message } = (json ?? {}) as { code?: string; message?: string };
    throw new CliError(`${command}: ${code ?? response.status}: ${message ?? text.slice(0, 500)}`);
  }
  return json;
}

export function needToken(token: string | undefined, command: string, what: string): string {
  if (!token)
    throw new CliError(
      `${command}: ${what} needs a token: pass --token sbp_… or set SLOTBRIDGE_TOKEN (an admin makes one with slotbridge token create).`,
      2,
    );
  return token;
}

/** The user key of the server whose data folder is `data`, or `SLOTBRIDGE_USER_KEY`. */
export function localUserKey(data: string): string | undefined {
  if (process.env['SLOTBRIDGE_USER_KEY']) return process.env['SLOTBRIDGE_USER_KEY'];
  const file = join(data, 'user-key');
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;
}
