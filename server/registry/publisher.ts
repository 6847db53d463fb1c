/**
 * Publishing, yanking and tagging. A version is immutable: the same package
 * again is a no-op, another package for it is `CONFLICT`. The package's bytes
 * are stored (content-addressed) before the version's row is written, in
 * one transaction with its tag, audit and change rows: a server killed
 * midway leaves at most an unreferenced blob, never a version without bytes.
 */
import { ErrorCode } from '../../src/errors/error-code.js';
import { SlotbridgeError } from '../../src/errors/slotbridge-error.js';
import { parseManifest } from '../../src/manifest/validate.js';
import { newVersion } from '../../src/registry/new-version.js';
import { compareVersions } from '../../src/registry/semver.js';
import type { AppRecord } from '../../src/registry/types.js';
import { digestOf } from '../blobs/file-blob-store.js';
import { actorOf, type Caller } from '../http/caller.js';
import { checkPackageFiles, readAppPackage } from './app-package.js';
import { change, type Db, record, type RegistryContext } from './context.js';
import { checkSlug, originLabel } from './names.js';

export interface VersionView {
  app: string;
  version: string;
  namespace: string;
  status: 'active' | 'yanked';
  statusReason: string | null;
  digest: string;
  size: number;
  bridge: string;
  publishedAt: string;
  permissions: string[];
  /** A hosted version's own URL; null for a packaged one (served at its origin here). */
  baseUrl: string | null;
}

/** Where a version's files are, for the manifest's rules only: each version is served at an origin of its own. */
const PLACEHOLDER_BASE = 'https://apps.invalid/';

export async function publish(ctx: RegistryContext, caller: Caller, zip: Uint8Array): Promise<{ version: VersionView; created: boolean }> {
  assertPublisher(caller);
  const pkg = readAppPackage(zip);
  const given = pkg.dataloop ? { bridge: 'dataloop' } : {};
  // The bytes go to disk while they are hashed, checked and the version's rules run: kept only when all pass.
  const staged = ctx.blobs.stage(zip);
  const checked = checkPackageFiles(zip, pkg.entries);
  checked.catch(() => undefined);
  try {
    return await publishVersion(ctx, caller, {
      manifestInput: pkg.manifest,
      given,
      digest: digestOf(zip),
      size: zip.byteLength,
      baseUrl: null,
      store: async (digest) => {
        await checked;
        await staged.keep(digest);
      },
    });
  } finally {
    await staged.drop();
  }
}

/**
 * Publishes a hosted version: a manifest and the URL its publisher serves it
 * from (the protocol and permissions given as the browser registry takes
 * them, for a `dataloop.json` that says neither). No package, no origin here.
 */
export async function publishHosted(
  ctx: RegistryContext,
  caller: Caller,
  body: { manifest: unknown; baseUrl: string; bridge?: string | undefined; permissions?: string[] | undefined },
): Promise<{ version: VersionView; created: boolean }> {
  assertPublisher(caller);
  if (!/^https?:\/\/[^/]/.test(body.baseUrl))
    throw new SlotbridgeError(ErrorCode.BAD_INPUT, 'A hosted version needs the absolute http(s) URL its files are served from.');
  const baseUrl = body.baseUrl.endsWith('/') ? body.baseUrl : `${body.baseUrl}/`;
  const given = {
    ...(body.bridge !== undefined ? { bridge: body.bridge } : {}),
    ...(body.permissions !== undefined ? { permissions: body.permissions } : {}),
  };
  const canonical = JSON.stringify({ manifest: body.manifest, baseUrl, given });
  return publishVersion(ctx, caller, {
    manifestInput: body.manifest,
    given,
    digest: digestOf(new TextEncoder().encode(canonical)),
    size: Buffer.byteLength(canonical),
    baseUrl,
    store: async () => undefined,
  });
}

function assertPublisher(caller: Caller): asserts caller is Extract<Caller, { kind: 'token' }> {
  if (caller.kind !== 'token' || caller.token !== 'publish')
    throw new SlotbridgeError(
      ErrorCode.FORBIDDEN,
      'Publishing takes a publish token (sbp_…); an admin makes one with slotbridge token create.',
    );
}

async function publishVersion(
  ctx: RegistryContext,
  caller: Extract<Caller, { kind: 'token' }>,
  input: {
    manifestInput: unknown;
    given: Record<string, unknown>;
    digest: string;
    size: number;
    baseUrl: string | null;
    store: (digest: string) => Promise<unknown>;
  },
): Promise<{ version: VersionView; created: boolean }> {
  const { given, digest } = input;
  const manifest = parseManifest(input.manifestInput, given);
  checkSlug('app', manifest.name);
  if (!ctx.bridges.includes(manifest.bridge)) {
    throw new SlotbridgeError(
      ErrorCode.MANIFEST_INVALID,
      `${manifest.name} speaks the "${manifest.bridge}" protocol; this registry takes apps for ${ctx.bridges.map((b) => `"${b}"`).join(' and ')}.`,
      { errors: [{ path: 'bridge', code: 'unknown', message: `Unknown bridge "${manifest.bridge}".` }] },
    );
  }
  // JSON allows \u0000; PostgreSQL's jsonb does not.
  if (JSON.stringify(manifest).includes('\\u0000'))
    throw new SlotbridgeError(ErrorCode.MANIFEST_INVALID, 'The manifest holds a NUL character (\\u0000); remove it.');
  originLabel(manifest.name, manifest.version);
  if (caller.app !== null && caller.app !== manifest.name)
    throw new SlotbridgeError(ErrorCode.FORBIDDEN, `This token publishes ${caller.app} only, not ${manifest.name}.`);
  const db = ctx.database.db;
  const same = await sameVersion(db, manifest.name, manifest.version, digest);
  if (same) return { version: same, created: false };
  const owner = await db.selectFrom('apps').select('namespace').where('name', '=', manifest.name).executeTakeFirst();
  if (owner && owner.namespace !== caller.namespace)
    throw new SlotbridgeError(
      ErrorCode.FORBIDDEN,
      `${manifest.name} belongs to the namespace ${owner.namespace}; this token publishes to ${caller.namespace}.`,
    );
  // The browser registry's rules for a new version (the manifest, its provider), on the versions published here.
  const published = await db.selectFrom('app_versions').select(['version', 'manifest']).where('app', '=', manifest.name).execute();
  const records = published.map((v) => ({ version: v.version, provider: (v.manifest as { provider?: string }).provider }) as AppRecord);
  await newVersion(input.manifestInput, { baseUrl: input.baseUrl ?? PLACEHOLDER_BASE, ...given }, () => records, '', undefined);
  await input.store(digest);
  const actor = actorOf(caller);
  return change<{ version: VersionView; created: boolean }>(ctx, async (trx) => {
    await trx
      .insertInto('apps')
      .values({ name: manifest.name, namespace: caller.namespace })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    const inserted = await trx
      .insertInto('app_versions')
      .values({
        app: manifest.name,
        version: manifest.version,
        manifest: JSON.stringify(manifest),
        bridge: manifest.bridge,
        scope: manifest.scope,
        project: null,
        digest,
        size: input.size,
        published_by: actor,
        base_url: input.baseUrl,
      })
      .onConflict((oc) => oc.columns(['app', 'version']).doNothing())
      .executeTakeFirst();
    if (inserted.numInsertedOrUpdatedRows === 0n) {
      // Another publisher wrote this version first: the same contents are theirs and ours; others are a conflict.
      const theirs = await sameVersion(trx, manifest.name, manifest.version, digest);
      return { result: { version: theirs!, created: false }, seq: undefined };
    }
    await moveLatest(trx, manifest.name, manifest.version);
    const seq = await record(
      trx,
      { org: null, project: null, kind: 'app:published', body: { app: manifest.name, version: manifest.version } },
      [
        {
          actor,
          action: 'publish',
          subject: `${manifest.name}@${manifest.version}`,
          details: { digest, size: input.size, hosted: input.baseUrl },
        },
        { actor, action: 'token use', subject: caller.id, details: { for: 'publish' } },
      ],
    );
    return { result: { version: (await versionView(trx, manifest.name, manifest.version))!, created: true }, seq };
  });
}

/** The version when it exists with this digest; `CONFLICT` when it exists with another; undefined when it does not. */
async function sameVersion(db: Db, app: string, version: string, digest: string): Promise<VersionView | undefined> {
  const view = await versionView(db, app, version);
  if (view && view.digest !== digest) {
    throw new SlotbridgeError(
      ErrorCode.CONFLICT,
      `${app}@${version} is published with other contents (${view.digest}); a version never changes: raise the version.`,
    );
  }
  return view;
}

/** `latest` follows the highest active version. */
async function moveLatest(trx: Db, app: string, candidate: string): Promise<void> {
  await trx
    .insertInto('dist_tags')
    .values({ app, tag: 'latest', version: candidate })
    .onConflict((oc) => oc.columns(['app', 'tag']).doNothing())
    .execute();
  const current = await trx
    .selectFrom('dist_tags')
    .select('version')
    .where('app', '=', app)
    .where('tag', '=', 'latest')
    .forUpdate()
    .executeTakeFirstOrThrow();
  if (compareVersions(candidate, current.version) > 0)
    await trx
      .updateTable('dist_tags')
      .set({ version: candidate, updated_at: new Date() })
      .where('app', '=', app)
      .where('tag', '=', 'latest')
      .execute();
}

export async function versionView(db: Db, app: string, version: string): Promise<VersionView | undefined> {
  const row = await db
    .selectFrom('app_versions')
    .innerJoin('apps', 'apps.name', 'app_versions.app')
    .select([
      'app',
      'version',
      'apps.namespace',
      'status',
      'status_reason',
      'digest',
      'size',
      'bridge',
      'published_at',
      'manifest',
      'base_url',
    ])
    .where('app', '=', app)
    .where('version', '=', version)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    app: row.app,
    version: row.version,
    namespace: row.namespace,
    status: row.status,
    statusReason: row.status_reason,
    digest: row.digest,
    size: Number(row.size),
    bridge: row.bridge,
    publishedAt: new Date(row.published_at).toISOString(),
    permissions: ((row.manifest as { permissions?: string[] }).permissions ?? []).slice(),
    baseUrl: row.base_url,
  };
}

/** Who may change an app's versions and tags: a publish token of its namespace (or of the app), or an admin of the namespace's org. */
export async function assertMaintainer(db: Db, caller: Caller, app: string): Promise<string> {
  const owner = await db
    .selectFrom('apps')
    .innerJoin('namespaces', 'namespaces.name', 'apps.namespace')
    .select(['apps.namespace', 'namespaces.org'])
    .where('apps.name', '=', app)
    .executeTakeFirst();
  if (!owner) throw new SlotbridgeError(ErrorCode.APP_NOT_FOUND, `No app named ${app} is published here.`);
  const token =
    caller.kind === 'token' &&
    caller.token === 'publish' &&
    caller.namespace === owner.namespace &&
    (caller.app === null || caller.app === app);
  const admin = caller.kind === 'user' && caller.user.role === 'admin' && caller.user.org === owner.org;
  if (!token && !admin)
    throw new SlotbridgeError(
      ErrorCode.FORBIDDEN,
      `${app} is maintained by the namespace ${owner.namespace}: use its publish token, or be an admin of its org.`,
    );
  return owner.namespace;
}

/** Yanks a version (new installs refuse it; existing ones keep it), or takes the yank back. */
export async function setYanked(
  ctx: RegistryContext,
  caller: Caller,
  app: string,
  version: string,
  yanked: boolean,
  reason: string | undefined,
): Promise<VersionView> {
  await assertMaintainer(ctx.database.db, caller, app);
  return change(ctx, async (trx) => {
    const updated = await trx
      .updateTable('app_versions')
      .set({ status: yanked ? 'yanked' : 'active', status_reason: yanked ? (reason ?? null) : null })
      .where('app', '=', app)
      .where('version', '=', version)
      .executeTakeFirst();
    if (updated.numUpdatedRows === 0n) throw new SlotbridgeError(ErrorCode.APP_NOT_FOUND, `${app} has no version ${version}.`);
    // `latest` stays on an active version: the highest one left.
    const latest = await trx
      .selectFrom('dist_tags')
      .select('version')
      .where('app', '=', app)
      .where('tag', '=', 'latest')
      .forUpdate()
      .executeTakeFirst();
    const active = (await trx.selectFrom('app_versions').select('version').where('app', '=', app).where('status', '=', 'active').execute())
      .map((v) => v.version)
      .sort(compareVersions);
    const highest = active.at(-1);
    if (highest && latest && (yanked ? latest.version === version : compareVersions(version, latest.version) > 0)) {
      await trx
        .updateTable('dist_tags')
        .set({ version: highest, updated_at: new Date() })
        .where('app', '=', app)
        .where('tag', '=', 'latest')
        .execute();
    }
    const seq = await record(trx, { org: null, project: null, kind: yanked ? 'app:yanked' : 'app:unyanked', body: { app, version } }, [
      { actor: actorOf(caller), action: yanked ? 'yank' : 'unyank', subject: `${app}@${version}`, details: { reason: reason ?? null } },
    ]);
    return { result: (await versionView(trx, app, version))!, seq };
  });
}

/** Points a tag at a version (moving `latest` back is a rollback); installations that track the tag follow it when their grant covers it. */
export async function moveTag(
  ctx: RegistryContext,
  caller: Caller,
  app: string,
  tag: string,
  version: string,
): Promise<{ app: string; tag: string; version: string; held: string[] }> {
  checkSlug('tag', tag);
  await assertMaintainer(ctx.database.db, caller, app);
  return change(ctx, async (trx) => {
    const target = await versionView(trx, app, version);
    if (!target) throw new SlotbridgeError(ErrorCode.APP_NOT_FOUND, `${app} has no version ${version}.`);
    if (target.status === 'yanked') throw new SlotbridgeError(ErrorCode.GONE, `${app}@${version} is yanked; unyank it before tagging it.`);
    await trx
      .insertInto('dist_tags')
      .values({ app, tag, version })
      .onConflict((oc) => oc.columns(['app', 'tag']).doUpdateSet({ version, updated_at: new Date() }))
      .execute();
    const tracking = await trx
      .selectFrom('installations')
      .select(['scope', 'scope_id'])
      .where('app', '=', app)
      .where('tracks', '=', tag)
      .execute();
    const held: string[] = [];
    for (const install of tracking) {
      const granted = (
        await trx
          .selectFrom('grants')
          .select('permission')
          .where('scope', '=', install.scope)
          .where('scope_id', '=', install.scope_id)
          .where('app', '=', app)
          .execute()
      ).map((g) => g.permission);
      if (target.permissions.every((p) => granted.includes(p))) {
        await trx
          .updateTable('installations')
          .set({ version, updated_at: new Date() })
          .where('scope', '=', install.scope)
          .where('scope_id', '=', install.scope_id)
          .where('app', '=', app)
          .execute();
      } else held.push(`${install.scope}:${install.scope_id}`);
    }
    const seq = await record(trx, { org: null, project: null, kind: 'app:tagged', body: { app, tag, version } }, [
      { actor: actorOf(caller), action: 'tag', subject: `${app}@${version}`, details: { tag, held } },
    ]);
    return { result: { app, tag, version, held }, seq };
  });
}
