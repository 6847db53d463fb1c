/**
 * A run's own token: made at each claim and given to that attempt's Python
 * child (never the runner's token), it reads that run's inputs and writes its
 * app's reports and artifacts in its project, while that attempt runs. Kept
 * as its SHA-256 only, dropped when the attempt ends.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw('alter table runs add column token_hash text').execute(db);
  await sql.raw('create unique index runs_by_token on runs (token_hash) where token_hash is not null').execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw('drop index runs_by_token').execute(db);
  await sql.raw('alter table runs drop column token_hash').execute(db);
}
