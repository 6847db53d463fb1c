/** The tables as Kysely sees them (server/db/migrations/ makes them). */
import type { ColumnType, Generated } from 'kysely';

type Created = ColumnType<Date, Date | undefined, never>;
type Json<T = unknown> = ColumnType<T, string, string>;

export interface Tables {
  namespaces: { name: string; org: string; created_at: Created };
  apps: { name: string; namespace: string; created_at: Created };
  app_versions: {
    app: string;
    version: string;
    manifest: Json<Record<string, unknown>>;
    bridge: string;
    scope: 'public' | 'organization' | 'project';
    project: string | null;
    digest: string;
    size: ColumnType<string, number, number>;
    status: ColumnType<'active' | 'yanked', 'active' | 'yanked' | undefined, 'active' | 'yanked'>;
    status_reason: string | null;
    published_by: string;
    published_at: Created;
    /** A hosted version's own URL; null for a packaged one. */
    base_url: ColumnType<string | null, string | null | undefined, never>;
  };
  dist_tags: { app: string; tag: string; version: string; updated_at: ColumnType<Date, Date | undefined, Date> };
  installations: {
    scope: 'org' | 'project';
    scope_id: string;
    app: string;
    tracks: string;
    version: string;
    status: ColumnType<'active' | 'paused', 'active' | 'paused' | undefined, 'active' | 'paused'>;
    settings: Json<Record<string, unknown>>;
    installed_by: string;
    installed_at: Created;
    updated_at: ColumnType<Date, Date | undefined, Date>;
  };
  grants: { scope: string; scope_id: string; app: string; permission: string; granted_by: string; granted_at: Created };
  storage: { org: string; project: string; app: string; key: string; value: string; bytes: number };
  reports: {
    id: Generated<string>;
    org: string;
    project: string;
    app: string;
    kind: string;
    series: string;
    body: string;
    bytes: number;
    created_at: Created;
  };
  artifacts: {
    id: string;
    org: string;
    project: string;
    app: string;
    type: string;
    execution: string;
    item: string | null;
    media_type: string;
    encoding: 'bytes' | 'json';
    digest: string;
    size: ColumnType<string, number, number>;
    created_at: Created;
  };
  tokens: {
    id: string;
    kind: 'publish' | 'runner';
    hash: string;
    namespace: string | null;
    app: string | null;
    description: ColumnType<string, string | undefined, string>;
    created_by: string;
    created_at: Created;
    expires_at: Date;
    revoked_at: Date | null;
    last_used_at: Date | null;
  };
  audit: { id: Generated<string>; at: Created; actor: string; action: string; subject: string; details: Json };
  runs: {
    id: string;
    org: string;
    project: string;
    app: string;
    version: string;
    module: string;
    fn: string;
    queue: string;
    inputs: Json;
    status: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
    attempt: ColumnType<number, number | undefined, number>;
    max_attempts: ColumnType<number, number | undefined, number>;
    runner: string | null;
    lease: string | null;
    lease_until: Date | null;
    created_by: string;
    created_at: Created;
    started_at: Date | null;
    ended_at: Date | null;
    exit_code: number | null;
    output: Json | null;
    error: Json | null;
    log: ColumnType<string, string | undefined, string>;
    cancel_requested: ColumnType<boolean, boolean | undefined, boolean>;
    token_hash: ColumnType<string | null, string | null | undefined, string | null>;
  };
  run_calls: { run: string; n: number; method: string; args: Json; answer: Json | null; created_at: Created };
  changes: { seq: Generated<string>; at: Created; org: string | null; project: string | null; kind: string; body: Json };
}
