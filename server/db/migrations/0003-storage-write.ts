/**
 * One storage write in one round trip: a function that takes the locks an
 * installation's changes take (its org's, then its project's: the order
 * every writer keeps), checks that the app is installed and active, counts
 * the app's bytes and keys against the quota, and writes, all inside the
 * statement's own transaction. Done by the application, the same took five
 * round trips with the locks held (bench/README.md).
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `create function slotbridge_storage_set(p_org text, p_project text, p_app text, p_key text, p_value text, p_bytes integer, p_quota bigint, p_max_keys integer)
  returns text language plpgsql as $$
declare
  installed text;
  used bigint;
  kept bigint;
  before integer;
begin
  perform pg_advisory_xact_lock(hashtext('org:' || p_org), hashtext(p_app));
  perform pg_advisory_xact_lock(hashtext('project:' || p_project), hashtext(p_app));
  select status into installed from installations
    where app = p_app and ((scope = 'project' and scope_id = p_project) or (scope = 'org' and scope_id = p_org))
    order by scope desc limit 1;
  if installed is null then return 'not installed'; end if;
  if installed = 'paused' then return 'paused'; end if;
  select coalesce(sum(bytes), 0), count(*), coalesce(max(case when key = p_key then bytes end), 0)
    into used, kept, before from storage where project = p_project and app = p_app;
  if used - before + p_bytes > p_quota then return 'full ' || used; end if;
  if before = 0 and kept >= p_max_keys and not exists (select 1 from storage where project = p_project and app = p_app and key = p_key) then return 'keys'; end if;
  insert into storage (org, project, app, key, value, bytes) values (p_org, p_project, p_app, p_key, p_value, p_bytes)
    on conflict (project, app, key) do update set value = excluded.value, bytes = excluded.bytes;
  return 'ok';
end
$$`,
    )
    .execute(db);
}
