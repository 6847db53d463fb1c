/**
 * The change feed a host keeps its mirror current with: every publish, yank,
 * tag and installation change, in order (`seq`), as far as the caller may
 * see: the registry's own changes, and its org's and projects'. A host asks
 * for what came after the last `seq` it saw, or keeps a stream open.
 */
import type { PlatformUser } from '../auth/user-token.js';
import type { Db } from './context.js';

export interface Change {
  seq: string;
  at: string;
  kind: string;
  project: string | null;
  body: unknown;
}

const PAGE = 500;

export async function changesSince(
  db: Db,
  user: PlatformUser,
  since: string,
  project?: string,
): Promise<{ changes: Change[]; last: string }> {
  const rows = await db
    .selectFrom('changes')
    .selectAll()
    .where('seq', '>', since)
    .where((eb) => eb.or([eb('org', 'is', null), eb('org', '=', user.org)]))
    .where((eb) => {
      const projects = project !== undefined ? [project] : [...user.projects];
      return projects.length > 0 ? eb.or([eb('project', 'is', null), eb('project', 'in', projects)]) : eb('project', 'is', null);
    })
    .orderBy('seq')
    .limit(PAGE)
    .execute();
  const changes = rows.map((r) => ({
    seq: r.seq,
    at: new Date(r.at).toISOString(),
    kind: r.kind,
    project: r.project,
    body: r.body,
  }));
  return { changes, last: changes.at(-1)?.seq ?? since };
}

/** The newest `seq` of the feed (what a host that starts now begins after). */
export async function latestSeq(db: Db): Promise<string> {
  const row = await db
    .selectFrom('changes')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .executeTakeFirst();
  return row?.seq ?? '0';
}
