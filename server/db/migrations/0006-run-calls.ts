/**
 * A run's calls to the platform (its Python's `slotbridge.api`, `storage`...):
 * the platform's API lives in its page, so the page that asked for the run
 * answers them. The child asks (its run's token), the page hears of it on the
 * change feed and answers (the run's creator); the child waits for the answer.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `create table run_calls (
  run text not null references runs (id) on delete cascade,
  n integer not null,
  method text not null,
  args jsonb not null,
  answer jsonb,
  created_at timestamptz not null default now(),
  primary key (run, n)
)`,
    )
    .execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw('drop table run_calls').execute(db);
}
