/**
 * The registry's tables. Orgs and projects are the platform's: they are kept
 * here only as the ids its tokens name. Times are `timestamptz`. A value a
 * caller stores is its JSON text (`jsonb` refuses `\u0000`, which JSON
 * allows), with its byte size beside it (quotas count bytes without reading
 * values back); manifests, checked at publish, are `jsonb`.
 */
import { type Kysely, sql } from 'kysely';

const STATEMENTS = [
  `create table namespaces (
    name text primary key,
    org text not null,
    created_at timestamptz not null default now()
  )`,
  `create table apps (
    name text primary key,
    namespace text not null references namespaces (name),
    created_at timestamptz not null default now()
  )`,
  `create table app_versions (
    app text not null references apps (name),
    version text not null,
    manifest jsonb not null,
    bridge text not null,
    scope text not null check (scope in ('public', 'organization', 'project')),
    project text,
    digest text not null,
    size bigint not null,
    status text not null default 'active' check (status in ('active', 'yanked')),
    status_reason text,
    published_by text not null,
    published_at timestamptz not null default now(),
    primary key (app, version)
  )`,
  `create table dist_tags (
    app text not null references apps (name),
    tag text not null,
    version text not null,
    updated_at timestamptz not null default now(),
    primary key (app, tag),
    foreign key (app, version) references app_versions (app, version)
  )`,
  `create table installations (
    scope text not null check (scope in ('org', 'project')),
    scope_id text not null,
    app text not null references apps (name),
    tracks text not null,
    version text not null,
    status text not null default 'active' check (status in ('active', 'paused')),
    settings jsonb not null default '{}',
    installed_by text not null,
    installed_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    primary key (scope, scope_id, app),
    foreign key (app, version) references app_versions (app, version)
  )`,
  `create table grants (
    scope text not null,
    scope_id text not null,
    app text not null,
    permission text not null,
    granted_by text not null,
    granted_at timestamptz not null default now(),
    primary key (scope, scope_id, app, permission),
    foreign key (scope, scope_id, app) references installations (scope, scope_id, app) on delete cascade
  )`,
  `create table storage (
    org text not null,
    project text not null,
    app text not null,
    key text not null,
    value text not null,
    bytes integer not null,
    primary key (project, app, key)
  )`,
  `create table reports (
    id bigserial primary key,
    org text not null,
    project text not null,
    app text not null,
    kind text not null,
    series text not null,
    body text not null,
    bytes integer not null,
    created_at timestamptz not null default now()
  )`,
  `create index reports_by_app on reports (project, app, series, id)`,
  `create table artifacts (
    id text primary key,
    org text not null,
    project text not null,
    app text not null,
    type text not null,
    execution text not null,
    item text,
    media_type text not null,
    encoding text not null check (encoding in ('bytes', 'json')),
    digest text not null,
    size bigint not null,
    created_at timestamptz not null default now()
  )`,
  `create index artifacts_by_app on artifacts (project, app)`,
  `create table tokens (
    id text primary key,
    kind text not null check (kind in ('publish', 'runner')),
    hash text not null unique,
    namespace text,
    app text,
    description text not null default '',
    created_by text not null,
    created_at timestamptz not null default now(),
    expires_at timestamptz not null,
    revoked_at timestamptz,
    last_used_at timestamptz
  )`,
  `create table audit (
    id bigserial primary key,
    at timestamptz not null default now(),
    actor text not null,
    action text not null,
    subject text not null,
    details jsonb not null default '{}'
  )`,
  `create table changes (
    seq bigserial primary key,
    at timestamptz not null default now(),
    org text,
    project text,
    kind text not null,
    body jsonb not null
  )`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  // One statement at a time: PGlite's extended protocol takes one per query.
  for (const statement of STATEMENTS) await sql.raw(statement).execute(db);
}
