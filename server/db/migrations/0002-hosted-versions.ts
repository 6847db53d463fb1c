/**
 * Hosted versions: an app served from its publisher's own URL (as
 * Contentful's apps are), published as a manifest and a base URL, with no
 * package. `base_url` is null for a packaged version (its files are served
 * at its own origin here).
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw('alter table app_versions add column base_url text').execute(db);
}
