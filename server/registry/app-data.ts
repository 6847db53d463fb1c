/**
 * What apps record in a project: reports (scalars, logs, plots, images) and
 * artifacts (function outputs, their bytes in the blob store). Both count
 * against the app's quotas in the project, as in the browser registry (64 MB
 * of reports, 256 MB of artifacts), and each report series keeps its newest
 * points only (100,000 scalars or log lines, 100 plots or images).
 */
import { sql } from 'kysely';
import { ErrorCode } from '../../src/errors/error-code.js';
import { SlotbridgeError } from '../../src/errors/slotbridge-error.js';
import { DEFAULT_ARTIFACT_QUOTA } from '../../src/registry/artifact-shelf.js';
import { DEFAULT_REPORT_LIMITS, DEFAULT_REPORT_QUOTA } from '../../src/registry/report-book.js';
import type { ArtifactRecord, Report } from '../../src/registry/types.js';
import type { Caller } from '../http/caller.js';
import { assertInstalled, assertMember, userOf, writerOf } from './app-storage.js';
import { type Db, lockInstallation, type RegistryContext } from './context.js';

export async function addReports(
  ctx: RegistryContext,
  caller: Caller,
  project: string,
  app: string,
  reports: readonly Report[],
): Promise<void> {
  const user = writerOf(caller, project, app);
  const rows = reports.map((report) => {
    const body = JSON.stringify({ ...report, app, project });
    // The page's series keys join their parts with NUL, which text cannot hold: kept as their JSON text.
    return { org: user.org, project, app, kind: report.kind, series: JSON.stringify(report.series), body, bytes: Buffer.byteLength(body) };
  });
  const adding = rows.reduce((n, r) => n + r.bytes, 0);
  await ctx.database.db.transaction().execute(async (trx) => {
    await lockInstallation(trx, 'org', user.org, app);
    await lockInstallation(trx, 'project', project, app);
    await assertInstalled(trx, user, project, app);
    const used = Number(
      (
        await trx
          .selectFrom('reports')
          .select((eb) => eb.fn.coalesce(eb.fn.sum<string>('bytes'), sql<string>`0`).as('bytes'))
          .where('project', '=', project)
          .where('app', '=', app)
          .executeTakeFirstOrThrow()
      ).bytes,
    );
    if (used + adding > DEFAULT_REPORT_QUOTA) {
      throw new SlotbridgeError(
        ErrorCode.STORAGE_FULL,
        `${app} keeps ${used} bytes of reports in project ${project}, and these would take it past its ${DEFAULT_REPORT_QUOTA}; report less.`,
      );
    }
    for (const row of rows) await trx.insertInto('reports').values(row).execute();
    // Each touched series keeps its newest points only.
    for (const series of new Set(rows.map((r) => r.series))) {
      const kind = rows.find((r) => r.series === series)!.kind;
      const keep = (DEFAULT_REPORT_LIMITS as Record<string, number>)[kind] ?? 100;
      await sql`delete from reports where project = ${project} and app = ${app} and series = ${series} and id not in (select id from reports where project = ${project} and app = ${app} and series = ${series} order by id desc limit ${keep})`.execute(
        trx,
      );
    }
  });
}

/**
 * An app's reports in a project, oldest first; with `execution`, one run's
 * only, and with `after` (the `last` of an earlier answer) only those kept
 * since: how a page follows a run's reports as they arrive.
 */
export async function listReports(
  ctx: RegistryContext,
  caller: Caller,
  project: string,
  app: string,
  since: { execution?: string | undefined; after?: string | undefined } = {},
): Promise<{ reports: Report[]; last: string }> {
  assertMember(userOf(caller), project);
  const rows = await ctx.database.db
    .selectFrom('reports')
    .select(['id', 'body'])
    .where('project', '=', project)
    .where('app', '=', app)
    .$if(since.execution !== undefined, (q) => q.where(sql<string>`(body::jsonb)->>'execution'`, '=', since.execution!))
    .$if(since.after !== undefined, (q) => q.where('id', '>', since.after as never))
    .orderBy('id')
    .execute();
  return { reports: rows.map((r) => JSON.parse(r.body) as Report), last: rows.at(-1)?.id ?? since.after ?? '0' };
}

const ARTIFACT_ID = /^art-[0-9a-f-]{36}$/;

export async function putArtifact(
  ctx: RegistryContext,
  caller: Caller,
  project: string,
  app: string,
  meta: Omit<ArtifactRecord, 'app' | 'project' | 'size' | 'createdAt'>,
  bytes: Uint8Array,
): Promise<ArtifactRecord> {
  const user = writerOf(caller, project, app);
  if (!ARTIFACT_ID.test(meta.id)) throw new SlotbridgeError(ErrorCode.BAD_INPUT, 'An artifact id is art-<uuid>.');
  const digest = await ctx.blobs.put(bytes);
  return ctx.database.db.transaction().execute(async (trx) => {
    await lockInstallation(trx, 'org', user.org, app);
    await lockInstallation(trx, 'project', project, app);
    await assertInstalled(trx, user, project, app);
    const used = Number(
      (
        await trx
          .selectFrom('artifacts')
          .select((eb) => eb.fn.coalesce(eb.fn.sum<string>('size'), sql<string>`0`).as('bytes'))
          .where('project', '=', project)
          .where('app', '=', app)
          .executeTakeFirstOrThrow()
      ).bytes,
    );
    if (used + bytes.byteLength > DEFAULT_ARTIFACT_QUOTA) {
      throw new SlotbridgeError(
        ErrorCode.STORAGE_FULL,
        `${app} keeps ${used} bytes of artifacts in project ${project}, and this one would take it past its ${DEFAULT_ARTIFACT_QUOTA}; delete some first.`,
      );
    }
    const inserted = await trx
      .insertInto('artifacts')
      .values({
        id: meta.id,
        org: user.org,
        project,
        app,
        type: meta.type,
        execution: meta.execution,
        item: meta.item ?? null,
        media_type: meta.mediaType,
        encoding: meta.encoding,
        digest,
        size: bytes.byteLength,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    if (inserted.numInsertedOrUpdatedRows === 0n)
      throw new SlotbridgeError(ErrorCode.CONFLICT, `An artifact ${meta.id} is stored already.`);
    return (await recordOf(trx, meta.id))!;
  });
}

export async function listArtifacts(
  ctx: RegistryContext,
  caller: Caller,
  project: string,
  app: string | undefined,
): Promise<{ artifacts: ArtifactRecord[] }> {
  assertMember(userOf(caller), project);
  let query = ctx.database.db.selectFrom('artifacts').select('id').where('project', '=', project);
  if (app !== undefined) query = query.where('app', '=', app);
  const ids = await query.orderBy('created_at').orderBy('id').execute();
  return {
    artifacts: (await Promise.all(ids.map((r) => recordOf(ctx.database.db, r.id)))).filter((r): r is ArtifactRecord => r !== undefined),
  };
}

/** An artifact the caller may see (one of its projects'), or `ARTIFACT_NOT_FOUND`, which says nothing of others'. */
export async function artifactOf(ctx: RegistryContext, caller: Caller, id: string): Promise<ArtifactRecord & { digest: string }> {
  const user = userOf(caller);
  const row = await ctx.database.db.selectFrom('artifacts').select(['project', 'digest']).where('id', '=', id).executeTakeFirst();
  if (!row || !user.projects.includes(row.project))
    throw new SlotbridgeError(ErrorCode.ARTIFACT_NOT_FOUND, `No artifact ${id} in your projects.`);
  return { ...(await recordOf(ctx.database.db, id))!, digest: row.digest };
}

export async function deleteArtifact(ctx: RegistryContext, caller: Caller, id: string): Promise<void> {
  await artifactOf(ctx, caller, id);
  await ctx.database.db.deleteFrom('artifacts').where('id', '=', id).execute();
}

async function recordOf(db: Db, id: string): Promise<ArtifactRecord | undefined> {
  const row = await db.selectFrom('artifacts').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    type: row.type,
    app: row.app,
    project: row.project,
    execution: row.execution,
    ...(row.item !== null ? { item: row.item } : {}),
    mediaType: row.media_type,
    size: Number(row.size),
    createdAt: new Date(row.created_at).getTime(),
    encoding: row.encoding,
  };
}
