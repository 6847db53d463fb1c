/**
 * Installations, per project or for a whole org, and their grants. The
 * browser registry's rules decide what a new installation is
 * (`newInstallation`: the version, the scope, a grant within what the app
 * asks); the service adds who may do it. A member installs in their
 * projects; only an org admin installs for the org or grants a permission.
 * An upgrade that asks for permissions not granted yet is refused with
 * their list until an admin grants them. Uninstalling removes the app's
 * storage, reports and artifacts in the same transaction.
 */
import type { ExpressionBuilder } from 'kysely';
import type { Tables } from '../db/tables.js';
import { ErrorCode } from '../../src/errors/error-code.js';
import { SlotbridgeError } from '../../src/errors/slotbridge-error.js';
import { newInstallation } from '../../src/registry/new-installation.js';
import type { AppRecord, Installation } from '../../src/registry/types.js';
import type { Manifest } from '../../src/manifest/normalize.js';
import { actorOf, type Caller } from '../http/caller.js';
import type { PlatformUser } from '../auth/user-token.js';
import { change, type Db, lockInstallation, record, type RegistryContext } from './context.js';

export type InstallScope = { scope: 'project'; id: string } | { scope: 'org'; id: string };

export interface InstallationView extends Installation {
  scope: 'project' | 'org';
  /** The version or tag it follows (`latest` by default). */
  tracks: string;
  status: 'active' | 'paused';
}

/** The user, when they may act in `target`: a project of theirs, or their org as its admin. */
export function userIn(caller: Caller, target: InstallScope, admin = false): PlatformUser {
  if (caller.kind !== 'user')
    throw new SlotbridgeError(ErrorCode.FORBIDDEN, 'Installations are changed by platform users (a token the platform signed).');
  const { user } = caller;
  if (target.scope === 'org') {
    if (user.org !== target.id || user.role !== 'admin')
      throw new SlotbridgeError(ErrorCode.FORBIDDEN, `Only an admin of ${target.id} may install for the whole org.`);
  } else if (!user.projects.includes(target.id)) {
    throw new SlotbridgeError(ErrorCode.FORBIDDEN, `${user.id} is not a member of project ${target.id}.`);
  } else if (admin && user.role !== 'admin') {
    throw new SlotbridgeError(ErrorCode.FORBIDDEN, 'Only an org admin may do this.');
  }
  return user;
}

export async function install(
  ctx: RegistryContext,
  caller: Caller,
  target: InstallScope,
  app: string,
  body: { tracks?: string | undefined; grant?: string[] | undefined; settings?: Installation['settings'] | undefined },
): Promise<InstallationView> {
  const user = userIn(caller, target);
  const actor = actorOf(caller);
  return change(ctx, async (trx) => {
    await lockInstallation(trx, target.scope, target.id, app);
    const tracks = body.tracks ?? 'latest';
    const version = await resolve(trx, app, tracks);
    const row = await trx
      .selectFrom('app_versions')
      .select(['manifest', 'status', 'scope', 'project'])
      .where('app', '=', app)
      .where('version', '=', version)
      .executeTakeFirstOrThrow();
    const previous = await trx
      .selectFrom('installations')
      .selectAll()
      .where('scope', '=', target.scope)
      .where('scope_id', '=', target.id)
      .where('app', '=', app)
      .forUpdate()
      .executeTakeFirst();
    // A yanked version stays where it is installed; it is not installed anew.
    if (row.status === 'yanked' && previous?.version !== version)
      throw new SlotbridgeError(ErrorCode.GONE, `${app}@${version} was yanked; install another version.`);
    const manifest = row.manifest as unknown as Manifest;
    const granted = previous ? await grantsOf(trx, target, app) : [];
    const asked = manifest.permissions;
    const grant = body.grant ?? (previous ? asked.filter((p) => granted.includes(p)) : asked);
    const adding = grant.filter((p) => !granted.includes(p));
    if (adding.length > 0 && user.role !== 'admin') {
      throw new SlotbridgeError(
        ErrorCode.PERMISSION_DENIED,
        `${app}@${version} asks for ${adding.join(', ')}; only an org admin may grant a permission.`,
        { permissions: adding },
      );
    }
    const missing = asked.filter((p) => !grant.includes(p));
    if (previous && missing.length > 0) {
      throw new SlotbridgeError(
        ErrorCode.PERMISSION_DENIED,
        `${app}@${version} asks for ${missing.join(', ')}, not granted yet; an org admin grants them (install with grant), then it upgrades.`,
        { permissions: missing },
      );
    }
    // A project-scoped version published without a project (`?project=`) is any project's.
    const appRecord = { name: app, version, manifest, scope: row.scope, project: row.project ?? target.id } as unknown as AppRecord;
    const previousInstall = previous
      ? ({
          app,
          version: previous.version,
          project: target.id,
          grant: granted,
          settings: previous.settings,
          installedAt: 0,
        } as unknown as Installation)
      : undefined;
    const made = await newInstallation(app, appRecord, [appRecord], { version, grant }, target.id, previousInstall);
    const settings = JSON.stringify(body.settings ?? made.settings);
    await trx
      .insertInto('installations')
      .values({ scope: target.scope, scope_id: target.id, app, tracks, version, settings, installed_by: actor })
      .onConflict((oc) =>
        oc
          .columns(['scope', 'scope_id', 'app'])
          .doUpdateSet({ tracks, version, updated_at: new Date(), ...(body.settings ? { settings } : {}) }),
      )
      .execute();
    const revoked = granted.filter((p) => !made.grant.includes(p));
    if (revoked.length > 0)
      await trx
        .deleteFrom('grants')
        .where('scope', '=', target.scope)
        .where('scope_id', '=', target.id)
        .where('app', '=', app)
        .where('permission', 'in', revoked)
        .execute();
    for (const permission of made.grant.filter((p) => !granted.includes(p))) {
      await trx.insertInto('grants').values({ scope: target.scope, scope_id: target.id, app, permission, granted_by: actor }).execute();
    }
    const subject = `${target.scope}:${target.id}/${app}`;
    const audit = [
      {
        actor,
        action: previous ? (previous.version === version ? 'reinstall' : 'upgrade') : 'install',
        subject,
        details: { version, tracks, from: previous?.version ?? null },
      },
      ...made.grant.filter((p) => !granted.includes(p)).map((permission) => ({ actor, action: 'grant', subject, details: { permission } })),
      ...revoked.map((permission) => ({ actor, action: 'revoke', subject, details: { permission } })),
    ];
    const seq = await record(trx, changeOf(target, user, 'installation:changed', { app }), audit);
    return { result: (await viewOf(trx, target, app))!, seq };
  });
}

export async function uninstall(ctx: RegistryContext, caller: Caller, target: InstallScope, app: string): Promise<void> {
  const user = userIn(caller, target);
  if (target.scope === 'project' && user.role !== 'admin') {
    // A member may remove what a member could install: an app holding no permission.
    const grants = await grantsOf(ctx.database.db, target, app);
    if (grants.length > 0)
      throw new SlotbridgeError(ErrorCode.FORBIDDEN, `${app} holds ${grants.join(', ')}; only an org admin may uninstall it.`);
  }
  const actor = actorOf(caller);
  await change(ctx, async (trx) => {
    await lockInstallation(trx, target.scope, target.id, app);
    const removed = await trx
      .deleteFrom('installations')
      .where('scope', '=', target.scope)
      .where('scope_id', '=', target.id)
      .where('app', '=', app)
      .executeTakeFirst();
    if (removed.numDeletedRows === 0n)
      throw new SlotbridgeError(ErrorCode.NOT_INSTALLED, `${app} is not installed in ${target.scope} ${target.id}.`);
    // Its data goes with it, in this transaction: a project's, or every project's of the org that has no install of its own.
    for (const table of ['storage', 'reports', 'artifacts'] as const) {
      let query = trx.deleteFrom(table).where('app', '=', app);
      if (target.scope === 'project') query = query.where('project', '=', target.id);
      else {
        const own = (
          await trx.selectFrom('installations').select('scope_id').where('scope', '=', 'project').where('app', '=', app).execute()
        ).map((i) => i.scope_id);
        query = query.where('org', '=', target.id);
        if (own.length > 0) query = query.where('project', 'not in', own);
      }
      await query.execute();
    }
    const seq = await record(trx, changeOf(target, user, 'installation:removed', { app }), [
      { actor, action: 'uninstall', subject: `${target.scope}:${target.id}/${app}` },
    ]);
    return { result: undefined, seq };
  });
}

/** Pauses an installation (its panels do not mount, its functions do not run) or resumes it. */
export async function setPaused(
  ctx: RegistryContext,
  caller: Caller,
  target: InstallScope,
  app: string,
  paused: boolean,
): Promise<InstallationView> {
  const user = userIn(caller, target);
  return change(ctx, async (trx) => {
    await lockInstallation(trx, target.scope, target.id, app);
    const updated = await trx
      .updateTable('installations')
      .set({ status: paused ? 'paused' : 'active', updated_at: new Date() })
      .where('scope', '=', target.scope)
      .where('scope_id', '=', target.id)
      .where('app', '=', app)
      .executeTakeFirst();
    if (updated.numUpdatedRows === 0n)
      throw new SlotbridgeError(ErrorCode.NOT_INSTALLED, `${app} is not installed in ${target.scope} ${target.id}.`);
    const seq = await record(trx, changeOf(target, user, 'installation:changed', { app }), [
      { actor: actorOf(caller), action: paused ? 'pause' : 'resume', subject: `${target.scope}:${target.id}/${app}` },
    ]);
    return { result: (await viewOf(trx, target, app))!, seq };
  });
}

/** What a user's host sees in a project: the project's installations, and the org's for apps the project did not install itself. */
export async function installationsFor(db: Db, user: PlatformUser, project: string): Promise<InstallationView[]> {
  if (!user.projects.includes(project)) throw new SlotbridgeError(ErrorCode.FORBIDDEN, `${user.id} is not a member of project ${project}.`);
  const rows = await db
    .selectFrom('installations')
    .selectAll()
    .where((eb) => projectOrOrg(eb, project, user.org))
    .orderBy('app')
    .execute();
  const grants = await db
    .selectFrom('grants')
    .select(['scope', 'scope_id', 'app', 'permission'])
    .where((eb) => projectOrOrg(eb, project, user.org))
    .execute();
  const byApp = new Map<string, InstallationView>();
  for (const row of rows) {
    if (row.scope === 'org' && byApp.has(row.app)) continue;
    const grant = grants
      .filter((g) => g.scope === row.scope && g.scope_id === row.scope_id && g.app === row.app)
      .map((g) => g.permission)
      .sort();
    byApp.set(row.app, toView(row, project, grant));
  }
  return [...byApp.values()];
}

/**
 * One app's installation as a host in `project` sees it (the project's own,
 * else its org's), installed and not paused; `NOT_INSTALLED` saying which.
 * What a write of the app's data checks, without reading every installation.
 */
export async function activeInstallation(
  db: Db,
  org: string,
  project: string,
  app: string,
): Promise<{ version: string; settings: unknown }> {
  const row = await db
    .selectFrom('installations')
    .select(['version', 'settings', 'status'])
    .where('app', '=', app)
    .where((eb) => projectOrOrg(eb, project, org))
    .orderBy('scope', 'desc')
    .executeTakeFirst();
  if (!row) throw new SlotbridgeError(ErrorCode.NOT_INSTALLED, `${app} is not installed in project ${project}; install it first.`);
  if (row.status === 'paused')
    throw new SlotbridgeError(ErrorCode.NOT_INSTALLED, `${app} is paused in project ${project}; resume it first.`);
  return row;
}

/** Rows (installations, grants) of the project's own scope or of its org's. */
function projectOrOrg(eb: ExpressionBuilder<Tables, 'installations' | 'grants'>, project: string, org: string) {
  return eb.or([
    eb.and([eb('scope', '=', 'project'), eb('scope_id', '=', project)]),
    eb.and([eb('scope', '=', 'org'), eb('scope_id', '=', org)]),
  ]);
}

async function resolve(db: Db, app: string, tracks: string): Promise<string> {
  if (/^\d+\.\d+\.\d+/.test(tracks)) {
    const found = await db
      .selectFrom('app_versions')
      .select('version')
      .where('app', '=', app)
      .where('version', '=', tracks)
      .executeTakeFirst();
    if (!found) throw new SlotbridgeError(ErrorCode.APP_NOT_FOUND, `${app} has no version ${tracks}.`);
    return found.version;
  }
  const tag = await db.selectFrom('dist_tags').select('version').where('app', '=', app).where('tag', '=', tracks).executeTakeFirst();
  if (!tag)
    throw new SlotbridgeError(
      ErrorCode.APP_NOT_FOUND,
      (await db.selectFrom('apps').select('name').where('name', '=', app).executeTakeFirst())
        ? `${app} has no tag ${tracks}.`
        : `No app named ${app} is published here.`,
    );
  return tag.version;
}

async function grantsOf(db: Db, target: InstallScope, app: string): Promise<string[]> {
  return (
    await db
      .selectFrom('grants')
      .select('permission')
      .where('scope', '=', target.scope)
      .where('scope_id', '=', target.id)
      .where('app', '=', app)
      .execute()
  ).map((g) => g.permission);
}

async function viewOf(db: Db, target: InstallScope, app: string): Promise<InstallationView | undefined> {
  const row = await db
    .selectFrom('installations')
    .selectAll()
    .where('scope', '=', target.scope)
    .where('scope_id', '=', target.id)
    .where('app', '=', app)
    .executeTakeFirst();
  return row && toView(row, target.id, (await grantsOf(db, target, app)).sort());
}

function toView(
  row: {
    scope: 'org' | 'project';
    app: string;
    version: string;
    tracks: string;
    status: 'active' | 'paused';
    settings: unknown;
    installed_at: Date;
  },
  project: string,
  grant: string[],
): InstallationView {
  return {
    app: row.app,
    version: row.version,
    project,
    grant,
    settings: row.settings as Installation['settings'],
    installedAt: new Date(row.installed_at).getTime(),
    scope: row.scope,
    tracks: row.tracks,
    status: row.status,
  };
}

function changeOf(target: InstallScope, user: PlatformUser, kind: string, body: Record<string, unknown>) {
  return {
    org: user.org,
    project: target.scope === 'project' ? target.id : null,
    kind,
    body: { ...body, scope: target.scope, id: target.id },
  };
}
