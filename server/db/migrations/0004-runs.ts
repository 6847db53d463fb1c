/**
 * Function runs on a queue: a run's record (what to run, its status, the
 * runner holding its lease, its log and result). pg-boss carries only the
 * run's id (its own schema, made by pg-boss at start); this table is the
 * truth a host reads.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `create table runs (
  id text primary key,
  org text not null,
  project text not null,
  app text not null,
  version text not null,
  module text not null,
  fn text not null,
  queue text not null,
  inputs jsonb not null,
  status text not null check (status in ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  attempt integer not null default 0,
  max_attempts integer not null default 2,
  runner text,
  lease text,
  lease_until timestamptz,
  created_by text not null,
  created_at timestamptz not null default now(),
  started_at timestamptz,
  ended_at timestamptz,
  exit_code integer,
  output jsonb,
  error jsonb,
  log text not null default '',
  cancel_requested boolean not null default false
)`,
    )
    .execute(db);
  await sql.raw('create index runs_by_app on runs (project, app, created_at)').execute(db);
  await sql.raw('create index runs_by_lease on runs (status, lease_until)').execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw('drop table runs').execute(db);
}
