/**
 * The registry's database: PostgreSQL when given a `postgres://` URL (a `pg`
 * pool), else an embedded PGlite in a data folder, locked to this process.
 * One SQL dialect for both; the schema is the migrations in `migrations/`,
 * applied at open. Changes are announced with `NOTIFY` on PostgreSQL, so
 * that every server on one database hears every other's; PGlite has one
 * server, which hears itself.
 */
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { Kysely, Migrator, PostgresDialect, sql, type Migration, type MigrationProvider } from 'kysely';
import { ErrorCode } from '../../src/errors/error-code.js';
import { SlotbridgeError } from '../../src/errors/slotbridge-error.js';
import { lockDataFolder, type DataLock } from './data-lock.js';
import { PGliteDialect } from './pglite-dialect.js';
import type { Tables } from './tables.js';
import * as registry0001 from './migrations/0001-registry.js';
import * as hosted0002 from './migrations/0002-hosted-versions.js';
import * as runs0004 from './migrations/0004-runs.js';
import * as storage0003 from './migrations/0003-storage-write.js';
import * as runTokens0005 from './migrations/0005-run-tokens.js';
import * as runCalls0006 from './migrations/0006-run-calls.js';
import { messageOf } from '../../src/errors/caught.js';

/** Every migration, by name, in order: a new one is a new file added here, never an edit of an old one. */
const MIGRATIONS: Record<string, Migration> = {
  '0001-registry': registry0001,
  '0002-hosted-versions': hosted0002,
  '0003-storage-write': storage0003,
  '0004-runs': runs0004,
  '0005-run-tokens': runTokens0005,
  '0006-run-calls': runCalls0006,
};

const CHANNEL = 'slotbridge_changes';

export interface DatabaseOptions {
  /** `postgres://user:pass@host:5432/db`: a PostgreSQL server. Without it, PGlite in `data`. */
  url?: string | undefined;
  /** The folder of the embedded database and the blobs (default `./.slotbridge`). */
  data: string;
}

export interface Database {
  readonly db: Kysely<Tables>;
  readonly kind: 'postgres' | 'pglite';
  /** Tells every server on this database that the change feed has rows past `seq`. */
  announce(seq: string): Promise<void>;
  /** Calls `listener` with the newest `seq` whenever any server announces a change. Returns the unsubscribe. */
  onAnnounce(listener: (seq: string) => void): () => void;
  /** Raw SQL for a library that brings its own (pg-boss): `values` bound as $1..; without values, several statements may run. */
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
  close(): Promise<void>;
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const database = options.url ? await openPostgres(options.url) : await openPGlite(join(options.data, 'db'), options.data);
  try {
    await migrate(database.db);
  } catch (err) {
    await database.close();
    throw err;
  }
  return database;
}

/** Applies the migrations not applied yet; resolves with their names. */
export async function migrate(db: Kysely<Tables>): Promise<string[]> {
  const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };
  const { error, results } = await new Migrator({
    db,
    provider,
    migrationTableName: 'slotbridge_migrations',
    migrationLockTableName: 'slotbridge_migrations_lock',
  }).migrateToLatest();
  if (error)
    throw new SlotbridgeError(
      ErrorCode.STORAGE_FAILED,
      `The database could not be brought to the current schema (${messageOf(error)}); nothing of the failed migration was kept.`,
    );
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

async function openPostgres(url: string): Promise<Database> {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // A bad URL or a server that is down says so now, not at the first request.
  const probe = await pool.connect().catch(async (err: unknown) => {
    await pool.end().catch(() => undefined);
    throw new SlotbridgeError(
      ErrorCode.STORAGE_FAILED,
      `Cannot reach PostgreSQL at ${redact(url)} (${messageOf(err)}); check DATABASE_URL and that the server runs.`,
    );
  });
  probe.release();
  const db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
  const events = new EventEmitter();
  // One connection of its own listens for every server's announcements.
  const listener = new pg.Client({ connectionString: url });
  await listener.connect();
  listener.on('notification', (message) => message.payload && events.emit('seq', message.payload));
  listener.on('error', () => undefined);
  await listener.query(`listen ${CHANNEL}`);
  return {
    db,
    kind: 'postgres',
    announce: async (seq) => {
      await sql`select pg_notify(${CHANNEL}, ${seq})`.execute(db);
    },
    onAnnounce: (fn) => (events.on('seq', fn), () => events.off('seq', fn)),
    executeSql: async (text, values) => pool.query(text, values),
    close: async () => {
      await listener.end().catch(() => undefined);
      await db.destroy();
    },
  };
}

async function openPGlite(dir: string, data: string): Promise<Database> {
  const lock: DataLock = lockDataFolder(data);
  try {
    const { PGlite } = await import('@electric-sql/pglite');
    const pglite = await PGlite.create(dir);
    const db = new Kysely<Tables>({ dialect: new PGliteDialect(pglite) });
    const events = new EventEmitter();
    return {
      db,
      kind: 'pglite',
      announce: async (seq) => void events.emit('seq', seq),
      onAnnounce: (fn) => (events.on('seq', fn), () => events.off('seq', fn)),
      // Through Kysely's one connection, so that it never runs inside another caller's transaction.
      executeSql: (text, values = []) =>
        db
          .connection()
          .execute(async () => (values.length === 0 ? { rows: (await pglite.exec(text)).at(-1)?.rows ?? [] } : pglite.query(text, values))),
      close: async () => {
        await db.destroy();
        lock.release();
      },
    };
  } catch (err) {
    lock.release();
    throw err;
  }
}

/** A URL without its password, for messages. */
export function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.href;
  } catch {
    return '(an unreadable URL)';
  }
}
