/** What every registry operation works with: the database, the blob store, and how to tell the other servers. */
import type { Kysely, Transaction } from 'kysely';
import type { BlobStore } from '../blobs/blob-store.js';
import type { Database } from '../db/database.js';
import type { Tables } from '../db/tables.js';

export interface RegistryContext {
  database: Database;
  blobs: BlobStore;
  /** Bytes one app may keep in one project's storage. */
  storageQuota: number;
}

export type Db = Kysely<Tables> | Transaction<Tables>;

/** One row of the change feed and one of the audit log, written in the caller's transaction. */
export async function record(
  trx: Db,
  change: { org: string | null; project: string | null; kind: string; body: Record<string, unknown> } | undefined,
  audit: { actor: string; action: string; subject: string; details?: Record<string, unknown> }[],
): Promise<string | undefined> {
  for (const a of audit) await trx.insertInto('audit').values({ actor: a.actor, action: a.action, subject: a.subject, details: JSON.stringify(a.details ?? {}) }).execute();
  if (!change) return undefined;
  const row = await trx.insertInto('changes').values({ org: change.org, project: change.project, kind: change.kind, body: JSON.stringify(change.body) }).returning('seq').executeTakeFirstOrThrow();
  return row.seq;
}

/** Runs `fn` in a transaction, then tells every server of the change it recorded (after commit: never a change that did not happen). */
export async function change<T>(ctx: RegistryContext, fn: (trx: Transaction<Tables>) => Promise<{ result: T; seq: string | undefined }>): Promise<T> {
  const { result, seq } = await ctx.database.db.transaction().execute(fn);
  if (seq !== undefined) await ctx.database.announce(seq);
  return result;
}
