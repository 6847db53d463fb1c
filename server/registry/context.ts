/** What every registry operation works with: the database, the blob store, and how to tell the other servers. */
import { type Kysely, sql, type Transaction } from 'kysely';
import type { BlobStore } from '../blobs/blob-store.js';
import type { Database } from '../db/database.js';
import type { Tables } from '../db/tables.js';

export interface RegistryContext {
  database: Database;
  blobs: BlobStore;
  /** Bytes one app may keep in one project's storage. */
  storageQuota: number;
  /** The protocols of the apps it takes (a manifest's `bridge`): the hosts it serves have adapters for them. */
  bridges: readonly string[];
  /** Aborted when the server closes: what runs on (a change stream) stops with it. */
  closing: AbortSignal;
}

export type Db = Kysely<Tables> | Transaction<Tables>;

/** One row of the change feed and one of the audit log, written in the caller's transaction. */
export async function record(
  trx: Db,
  change: { org: string | null; project: string | null; kind: string; body: Record<string, unknown> } | undefined,
  audit: { actor: string; action: string; subject: string; details?: Record<string, unknown> }[],
): Promise<string | undefined> {
  for (const a of audit)
    await trx
      .insertInto('audit')
      .values({ actor: a.actor, action: a.action, subject: a.subject, details: JSON.stringify(a.details ?? {}) })
      .execute();
  if (!change) return undefined;
  const row = await trx
    .insertInto('changes')
    .values({ org: change.org, project: change.project, kind: change.kind, body: JSON.stringify(change.body) })
    .returning('seq')
    .executeTakeFirstOrThrow();
  return row.seq;
}

/** Runs `fn` in a transaction, then tells every server of the change it recorded (after commit: never a change that did not happen). */
export async function change<T>(
  ctx: RegistryContext,
  fn: (trx: Transaction<Tables>) => Promise<{ result: T; seq: string | undefined }>,
): Promise<T> {
  const { result, seq } = await ctx.database.db.transaction().execute(fn);
  if (seq !== undefined) await ctx.database.announce(seq);
  return result;
}

/**
 * Serializes every change to one app's installation in one scope (its
 * install, upgrade, uninstall, pause, storage writes): a transaction-scoped
 * advisory lock on (scope and id, app). A storage write takes its org's lock
 * first, then its project's: always that order, so two never wait on each other.
 */
export async function lockInstallation(trx: Db, scope: 'org' | 'project', id: string, app: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`${scope}:${id}`}), hashtext(${app}))`.execute(trx);
}
