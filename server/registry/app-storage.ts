/**
 * An app's key-value storage in a project, shared by everyone in the
 * project: at most 10,000 keys and the byte quota (16 MB by default), as in
 * the browser registry. Writes of one app in one project take its
 * installation's row lock, so two writers at once cannot both pass the
 * quota; the value's bytes are counted as its JSON text.
 */
import { sql } from 'kysely';
import { ErrorCode } from '../../src/errors/error-code.js';
import { SlotbridgeError } from '../../src/errors/slotbridge-error.js';
import type { PlatformUser } from '../auth/user-token.js';
import type { Caller } from '../http/caller.js';
import { type Db, lockInstallation, type RegistryContext } from './context.js';
import { installationsFor } from './installer.js';

export const MAX_STORAGE_KEYS = 10_000;

export function userOf(caller: Caller): PlatformUser {
  if (caller.kind !== 'user') throw new SlotbridgeError(ErrorCode.FORBIDDEN, 'Storage is read and written for platform users (a token the platform signed).');
  return caller.user;
}

/** Reads need the project only: an app's data in a project its member may read, installed or not (an uninstall removed it). */
export function assertMember(user: PlatformUser, project: string): void {
  if (!user.projects.includes(project)) throw new SlotbridgeError(ErrorCode.FORBIDDEN, `${user.id} is not a member of project ${project}.`);
}

export async function assertInstalled(db: Db, user: PlatformUser, project: string, app: string): Promise<void> {
  const installed = (await installationsFor(db, user, project)).find((i) => i.app === app);
  if (!installed) throw new SlotbridgeError(ErrorCode.NOT_INSTALLED, `${app} is not installed in project ${project}; install it first.`);
  if (installed.status === 'paused') throw new SlotbridgeError(ErrorCode.NOT_INSTALLED, `${app} is paused in project ${project}; resume it first.`);
}

export async function storageGet(ctx: RegistryContext, caller: Caller, project: string, app: string, key: string): Promise<{ value?: unknown }> {
  assertMember(userOf(caller), project);
  const row = await ctx.database.db.selectFrom('storage').select('value').where('project', '=', project).where('app', '=', app).where('key', '=', key).executeTakeFirst();
  // No `value` at all for a key never set: a stored null is a value.
  return row ? { value: JSON.parse(row.value) as unknown } : {};
}

export async function storageKeys(ctx: RegistryContext, caller: Caller, project: string, app: string): Promise<{ keys: string[] }> {
  assertMember(userOf(caller), project);
  const rows = await ctx.database.db.selectFrom('storage').select('key').where('project', '=', project).where('app', '=', app).orderBy('key').execute();
  return { keys: rows.map((r) => r.key) };
}

export async function storageEntries(ctx: RegistryContext, caller: Caller, project: string, app: string): Promise<{ entries: { key: string; value: unknown }[] }> {
  assertMember(userOf(caller), project);
  const rows = await ctx.database.db.selectFrom('storage').select(['key', 'value']).where('project', '=', project).where('app', '=', app).orderBy('key').execute();
  return { entries: rows.map((r) => ({ key: r.key, value: JSON.parse(r.value) as unknown })) };
}

export async function storageSet(ctx: RegistryContext, caller: Caller, project: string, app: string, key: string, value: unknown): Promise<void> {
  const user = userOf(caller);
  const text = JSON.stringify(value ?? null);
  const bytes = Buffer.byteLength(text) + Buffer.byteLength(key);
  await ctx.database.db.transaction().execute(async (trx) => {
    // One writer of this app's storage in this project at a time, and none while it is uninstalled.
    await lockInstallation(trx, 'org', user.org, app);
    await lockInstallation(trx, 'project', project, app);
    await assertInstalled(trx, user, project, app);
    const used = await trx.selectFrom('storage').select([(eb) => eb.fn.coalesce(eb.fn.sum<string>('bytes'), sql<string>`0`).as('bytes'), (eb) => eb.fn.countAll<string>().as('keys')]).where('project', '=', project).where('app', '=', app).executeTakeFirstOrThrow();
    const before = await trx.selectFrom('storage').select('bytes').where('project', '=', project).where('app', '=', app).where('key', '=', key).executeTakeFirst();
    const after = Number(used.bytes) - (before?.bytes ?? 0) + bytes;
    if (after > ctx.storageQuota) {
      throw new SlotbridgeError(ErrorCode.STORAGE_FULL, `${app} keeps ${used.bytes} bytes in project ${project}'s storage, and this value would take it past its ${ctx.storageQuota}; remove some first, or store less.`);
    }
    if (!before && Number(used.keys) >= MAX_STORAGE_KEYS) throw new SlotbridgeError(ErrorCode.STORAGE_FULL, `${app} keeps ${MAX_STORAGE_KEYS} keys in project ${project}'s storage, the most it may; remove some first.`);
    await trx
      .insertInto('storage')
      .values({ org: user.org, project, app, key, value: text, bytes })
      .onConflict((oc) => oc.columns(['project', 'app', 'key']).doUpdateSet({ value: text, bytes }))
      .execute();
  });
}

export async function storageRemove(ctx: RegistryContext, caller: Caller, project: string, app: string, key: string): Promise<void> {
  const user = userOf(caller);
  await assertInstalled(ctx.database.db, user, project, app);
  await ctx.database.db.deleteFrom('storage').where('project', '=', project).where('app', '=', app).where('key', '=', key).execute();
}
