/**
 * An app's key-value storage in a project, shared by everyone in the
 * project: at most 10,000 keys and the byte quota (16 MB by default), as in
 * the browser registry. Writes of one app in one project take its
 * installation's locks (migration 0003 does a write in one round trip), so
 * two writers at once cannot both pass the quota and none outlives an
 * uninstall; the value's bytes are counted as its JSON text.
 */
import { sql } from 'kysely';
import { ErrorCode } from '../../src/errors/error-code.js';
import { SlotbridgeError } from '../../src/errors/slotbridge-error.js';
import type { PlatformUser } from '../auth/user-token.js';
import type { Caller } from '../http/caller.js';
import type { Db, RegistryContext } from './context.js';
import { activeInstallation } from './installer.js';

export const MAX_STORAGE_KEYS = 10_000;

export function userOf(caller: Caller): PlatformUser {
  if (caller.kind !== 'user')
    throw new SlotbridgeError(ErrorCode.FORBIDDEN, 'Storage is read and written for platform users (a token the platform signed).');
  return caller.user;
}

/** Who writes an app's data: a platform user, or a run's own token (its app in its project only, as the run's creator). */
export function writerOf(caller: Caller, project: string, app: string): PlatformUser {
  if (caller.kind !== 'run') return userOf(caller);
  if (caller.project !== project || caller.app !== app)
    throw new SlotbridgeError(ErrorCode.FORBIDDEN, `Run ${caller.run}'s token writes for ${caller.app} in project ${caller.project} only.`);
  return caller.user;
}

/** Reads need the project only: an app's data in a project its member may read, installed or not (an uninstall removed it). */
export function assertMember(user: PlatformUser, project: string): void {
  if (!user.projects.includes(project)) throw new SlotbridgeError(ErrorCode.FORBIDDEN, `${user.id} is not a member of project ${project}.`);
}

/** Writes need the project and the app installed (and not paused) where the user sees it. */
export async function assertInstalled(db: Db, user: PlatformUser, project: string, app: string): Promise<void> {
  assertMember(user, project);
  await activeInstallation(db, user.org, project, app);
}

export async function storageGet(
  ctx: RegistryContext,
  caller: Caller,
  project: string,
  app: string,
  key: string,
): Promise<{ value?: unknown }> {
  assertMember(userOf(caller), project);
  const row = await ctx.database.db
    .selectFrom('storage')
    .select('value')
    .where('project', '=', project)
    .where('app', '=', app)
    .where('key', '=', key)
    .executeTakeFirst();
  // No `value` at all for a key never set: a stored null is a value.
  return row ? { value: JSON.parse(row.value) as unknown } : {};
}

export async function storageKeys(ctx: RegistryContext, caller: Caller, project: string, app: string): Promise<{ keys: string[] }> {
  assertMember(userOf(caller), project);
  const rows = await ctx.database.db
    .selectFrom('storage')
    .select('key')
    .where('project', '=', project)
    .where('app', '=', app)
    .orderBy('key')
    .execute();
  return { keys: rows.map((r) => r.key) };
}

export async function storageEntries(
  ctx: RegistryContext,
  caller: Caller,
  project: string,
  app: string,
): Promise<{ entries: { key: string; value: unknown }[] }> {
  assertMember(userOf(caller), project);
  const rows = await ctx.database.db
    .selectFrom('storage')
    .select(['key', 'value'])
    .where('project', '=', project)
    .where('app', '=', app)
    .orderBy('key')
    .execute();
  return { entries: rows.map((r) => ({ key: r.key, value: JSON.parse(r.value) as unknown })) };
}

export async function storageSet(
  ctx: RegistryContext,
  caller: Caller,
  project: string,
  app: string,
  key: string,
  value: unknown,
): Promise<void> {
  const user = userOf(caller);
  assertMember(user, project);
  const text = JSON.stringify(value ?? null);
  const bytes = Buffer.byteLength(text) + Buffer.byteLength(key);
  // One round trip: the locks, the installation, the quota and the write, in the statement's own transaction (migration 0003).
  const { rows } = await sql<{
    outcome: string;
  }>`select slotbridge_storage_set(${user.org}, ${project}, ${app}, ${key}, ${text}, ${bytes}, ${ctx.storageQuota}, ${MAX_STORAGE_KEYS}) as outcome`.execute(
    ctx.database.db,
  );
  const outcome = rows[0].outcome;
  if (outcome === 'ok') return;
  if (outcome === 'not installed')
    throw new SlotbridgeError(ErrorCode.NOT_INSTALLED, `${app} is not installed in project ${project}; install it first.`);
  if (outcome === 'paused') throw new SlotbridgeError(ErrorCode.NOT_INSTALLED, `${app} is paused in project ${project}; resume it first.`);
  if (outcome === 'keys')
    throw new SlotbridgeError(
      ErrorCode.STORAGE_FULL,
      `${app} keeps ${MAX_STORAGE_KEYS} keys in project ${project}'s storage, the most it may; remove some first.`,
    );
  throw new SlotbridgeError(
    ErrorCode.STORAGE_FULL,
    `${app} keeps ${outcome.slice('full '.length)} bytes in project ${project}'s storage, and this value would take it past its ${ctx.storageQuota}; remove some first, or store less.`,
  );
}

export async function storageRemove(ctx: RegistryContext, caller: Caller, project: string, app: string, key: string): Promise<void> {
  const user = userOf(caller);
  await assertInstalled(ctx.database.db, user, project, app);
  await ctx.database.db.deleteFrom('storage').where('project', '=', project).where('app', '=', app).where('key', '=', key).execute();
}
