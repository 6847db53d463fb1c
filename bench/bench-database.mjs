// The database a server bench runs on: a data folder of its own and, with
// DATABASE_URL, a PostgreSQL database of this run's own; `drop()` removes both.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export async function benchDatabase(name) {
  const data = mkdtempSync(join(tmpdir(), `slotbridge-bench-${name}-`));
  const benchDb = `sb_bench_${name}_${process.pid}`;
  const admin = process.env.DATABASE_URL ? new pg.Client({ connectionString: process.env.DATABASE_URL }) : undefined;
  let database;
  if (admin) {
    await admin.connect();
    await admin.query(`create database ${benchDb}`);
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = `/${benchDb}`;
    database = url.href;
  }
  return {
    data,
    database,
    async drop() {
      rmSync(data, { recursive: true, force: true });
      if (!admin) return;
      await admin.query(`drop database if exists ${benchDb}`);
      await admin.end();
    },
  };
}
