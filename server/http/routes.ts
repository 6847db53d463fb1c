/** Every route of the API under `/v1`, declared once (see route.ts): its audience, its input's schemas, its handler. */
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import * as z from 'zod/mini';
import { ErrorCode } from '../../src/errors/error-code.js';
import { SlotbridgeError } from '../../src/errors/slotbridge-error.js';
import { MAX_PACKAGE_BYTES } from '../../src/registry/read-package.js';
import { MAX_TOKEN_DAYS } from '../auth/tokens.js';
import { changesSince, latestSeq } from '../registry/change-feed.js';
import type { RegistryContext } from '../registry/context.js';
import { install, installationsFor, setPaused, uninstall, userIn } from '../registry/installer.js';
import { moveTag, publish, publishHosted, setYanked, versionView } from '../registry/publisher.js';
import { storageEntries, storageGet, storageKeys, storageRemove, storageSet, userOf } from '../registry/app-storage.js';
import { dropToken, makeToken } from '../registry/token-admin.js';
import { addReports, artifactOf, deleteArtifact, listArtifacts, listReports, putArtifact } from '../registry/app-data.js';
import { Id, Key, Name, noNul, ProjectApp, ReportIn } from './atoms.js';
import { route, type Route } from './route.js';

/** Text that goes into a text column: PostgreSQL's text holds no NUL. */
const Version = z.string().check(z.regex(/^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/), z.maxLength(100));
const Seq = z.string().check(z.regex(/^\d{1,19}$/));

const AppParams = z.object({ app: Name });
const VersionParams = z.object({ app: Name, version: Version });
const OrgApp = z.object({ org: Id, app: Name });
const StorageParams = z.object({ project: Id, app: Name, key: Key });
const InstallBody = z.object({
  tracks: z.optional(z.string().check(z.minLength(1), z.maxLength(100), noNul)),
  grant: z.optional(z.array(z.string().check(z.maxLength(200), noNul)).check(z.maxLength(200))),
  /** Saved settings, by target (`{ hyperparams, configuration }`), as the page's wizard checked them. */
  settings: z.optional(
    z.object({ hyperparams: z.record(z.string(), z.record(z.string(), z.unknown())), configuration: z.record(z.string(), z.unknown()) }),
  ),
});
const PauseBody = z.object({ paused: z.boolean() });
const YankBody = z.object({ reason: z.optional(z.string().check(z.maxLength(1000), noNul)) });
const TagBody = z.object({ version: Version });
const TokenBody = z.object({
  namespace: Name,
  app: z.optional(Name),
  days: z.optional(z.number().check(z.int(), z.minimum(1), z.maximum(MAX_TOKEN_DAYS))),
  kind: z.optional(z.enum(['publish', 'runner'])),
  description: z.optional(z.string().check(z.maxLength(500), noNul)),
});
const SetBody = z.object({ value: z.unknown() });
const HostedBody = z.object({
  manifest: z.unknown(),
  baseUrl: z.string().check(z.maxLength(2000), noNul),
  bridge: z.optional(z.string().check(z.maxLength(50), noNul)),
  permissions: z.optional(z.array(z.string().check(z.maxLength(200), noNul)).check(z.maxLength(200))),
});
const ChangesQuery = z.object({ since: z.optional(Seq), project: z.optional(Id) });
const StorageQuery = z.object({ values: z.optional(z.enum(['0', '1'])) });
const ReportsBody = z.object({ reports: z.array(ReportIn).check(z.maxLength(1000)) });
const ArtifactQuery = z.object({
  type: Name,
  execution: Id,
  item: z.optional(Id),
  mediaType: z.string().check(z.maxLength(200), noNul),
  encoding: z.enum(['bytes', 'json']),
});

/** What the routes need beyond the registry: the status URL of a version, and the base URL of its files. */
export interface RouteHelpers {
  versionUrl(app: string, version: string): string;
  filesUrl(app: string, version: string): string;
}

export function registryRoutes(ctx: RegistryContext, helpers: RouteHelpers): Route[] {
  const db = () => ctx.database.db;
  /** Where a version's files are: its publisher's URL when hosted, else its own origin here. */
  const filesOf = (app: string, version: string, hosted: string | null) => hosted ?? helpers.filesUrl(app, version);
  const withUrls = <T extends { app: string; version: string; baseUrl: string | null }>(v: T) => ({
    ...v,
    url: helpers.versionUrl(v.app, v.version),
    files: filesOf(v.app, v.version, v.baseUrl),
  });
  const routes = [
    route({
      method: 'post',
      path: '/v1/packages',
      summary:
        'Publish a package (a slotbridge pack zip or a Dataloop DPK). The same package again is a no-op; another package for a published version is 409.',
      audience: ['publish-token'],
      body: 'zip',
      maxBody: MAX_PACKAGE_BYTES,
      responses: {
        200: 'The version was published before, with these bytes',
        201: 'Published',
        400: 'Not a package, or an invalid manifest',
        401: 'No or a dead token',
        403: "Another namespace's app",
        409: 'The version exists with other contents',
        413: 'Too large',
      },
      handle: async ({ caller, body, c }) => {
        const { version, created } = await publish(ctx, caller, body);
        return c.json(withUrls(version), created ? 201 : 200);
      },
    }),
    route({
      method: 'post',
      path: '/v1/apps',
      summary:
        'Publish a hosted version: a manifest and the http(s) URL its publisher serves its files from (no package; its protocol and permissions may be given, for a dataloop.json). The same again is a no-op; another manifest or URL for a published version is 409.',
      audience: ['publish-token'],
      body: HostedBody,
      responses: {
        200: 'Published before, the same',
        201: 'Published',
        400: 'An invalid manifest or URL',
        403: "Another namespace's app",
        409: 'The version exists with other contents',
      },
      handle: async ({ caller, body, c }) => {
        const { version, created } = await publishHosted(ctx, caller, body);
        return c.json(withUrls(version), created ? 201 : 200);
      },
    }),
    route({
      method: 'get',
      path: '/v1/apps',
      summary: 'Every app published here, with its latest version and its tags.',
      audience: ['user', 'publish-token'],
      responses: { 200: 'The apps' },
      handle: async () => {
        const apps = await db().selectFrom('apps').selectAll().orderBy('name').execute();
        const tags = await db().selectFrom('dist_tags').selectAll().execute();
        return {
          apps: apps.map((a) => ({
            name: a.name,
            namespace: a.namespace,
            tags: Object.fromEntries(tags.filter((t) => t.app === a.name).map((t) => [t.tag, t.version])),
          })),
        };
      },
    }),
    route({
      method: 'get',
      path: '/v1/apps/{app}',
      summary: 'An app: its versions (with their manifests) and tags.',
      audience: ['user', 'publish-token'],
      params: AppParams,
      responses: { 200: 'The app', 404: 'No such app' },
      handle: async ({ params }) => {
        const app = await db().selectFrom('apps').selectAll().where('name', '=', params.app).executeTakeFirst();
        if (!app) throw new SlotbridgeError(ErrorCode.APP_NOT_FOUND, `No app named ${params.app} is published here.`);
        const versions = await db()
          .selectFrom('app_versions')
          .select(['version', 'manifest', 'status', 'status_reason', 'bridge', 'digest', 'size', 'published_at', 'base_url'])
          .where('app', '=', params.app)
          .execute();
        const tags = await db().selectFrom('dist_tags').select(['tag', 'version']).where('app', '=', params.app).execute();
        return {
          name: app.name,
          namespace: app.namespace,
          tags: Object.fromEntries(tags.map((t) => [t.tag, t.version])),
          versions: versions.map((v) => ({
            version: v.version,
            status: v.status,
            statusReason: v.status_reason,
            bridge: v.bridge,
            digest: v.digest,
            size: Number(v.size),
            publishedAt: new Date(v.published_at).toISOString(),
            manifest: v.manifest,
            files: filesOf(params.app, v.version, v.base_url),
          })),
        };
      },
    }),
    route({
      method: 'get',
      path: '/v1/apps/{app}/versions/{version}',
      summary: "A version's status: active or yanked, and why.",
      audience: ['anyone'],
      params: VersionParams,
      responses: { 200: 'The version', 404: 'No such version' },
      handle: async ({ params }) => {
        const view = await versionView(db(), params.app, params.version);
        if (!view) throw new SlotbridgeError(ErrorCode.APP_NOT_FOUND, `${params.app} has no version ${params.version}.`);
        return withUrls(view);
      },
    }),
    ...(['yank', 'unyank'] as const).map((action) =>
      route({
        method: 'post',
        path: `/v1/apps/{app}/versions/{version}/${action}`,
        summary: action === 'yank' ? 'Yank a version: new installs refuse it, existing ones keep it.' : 'Take a yank back.',
        audience: ['publish-token', 'admin'],
        params: VersionParams,
        body: YankBody,
        responses: { 200: 'The version', 403: 'Not its maintainer', 404: 'No such version' },
        handle: async ({ params, body, caller }) =>
          withUrls(await setYanked(ctx, caller, params.app, params.version, action === 'yank', body.reason)),
      }),
    ),
    route({
      method: 'put',
      path: '/v1/apps/{app}/tags/{tag}',
      summary:
        'Point a tag at a version (`latest` back to an older one is a rollback). Installations tracking the tag follow it where their grant covers it.',
      audience: ['publish-token', 'admin'],
      params: z.object({ app: Name, tag: Name }),
      body: TagBody,
      responses: {
        200: 'The tag, and the installations held back for want of a grant',
        403: 'Not its maintainer',
        410: 'A yanked version',
      },
      handle: async ({ params, body, caller }) => moveTag(ctx, caller, params.app, params.tag, body.version),
    }),
    route({
      method: 'get',
      path: '/v1/registry',
      summary:
        "What a host mirrors: every version it may need (with its manifest and the base URL of its files; yanked ones only where installed), and the installations of each of the user's projects, with the feed's seq they are current to.",
      audience: ['user'],
      responses: { 200: '{ apps, installations, seq }' },
      handle: async ({ caller }) => {
        const user = userOf(caller);
        const seq = await latestSeq(db());
        const installations = (await Promise.all(user.projects.map((project) => installationsFor(db(), user, project)))).flat();
        const installed = new Set(installations.map((i) => `${i.app}@${i.version}`));
        const rows = await db()
          .selectFrom('app_versions')
          .select(['app', 'version', 'manifest', 'scope', 'project', 'status', 'published_at', 'base_url'])
          .orderBy('app')
          .execute();
        const apps = rows
          .filter((v) => v.status === 'active' || installed.has(`${v.app}@${v.version}`))
          .filter((v) => v.scope !== 'project' || v.project === null || user.projects.includes(v.project))
          .map((v) => ({
            name: v.app,
            version: v.version,
            manifest: v.manifest,
            baseUrl: filesOf(v.app, v.version, v.base_url),
            // A project-scoped version published without a project is any project's (as the service installs it).
            scope: v.scope === 'project' && v.project === null ? 'organization' : v.scope,
            project: v.project ?? undefined,
            provider: (v.manifest as { provider?: string }).provider,
            publishedAt: new Date(v.published_at).getTime(),
            status: v.status,
          }));
        return { apps, installations, seq };
      },
    }),
    route({
      method: 'get',
      path: '/v1/projects/{project}/installations',
      summary: "The apps installed in a project (its own installations, and the org's), with their grants and settings.",
      audience: ['user'],
      params: z.object({ project: Id }),
      responses: { 200: 'The installations', 403: 'Not a member of the project' },
      handle: async ({ params, caller }) => {
        const installations = await installationsFor(db(), userOf(caller), params.project);
        return { installations, seq: await latestSeq(db()) };
      },
    }),
    ...(['project', 'org'] as const).flatMap((scope) => {
      const params = scope === 'project' ? ProjectApp : OrgApp;
      const path = scope === 'project' ? '/v1/projects/{project}/installations/{app}' : '/v1/orgs/{org}/installations/{app}';
      const target = (p: { project?: string; org?: string }) => ({ scope, id: (scope === 'project' ? p.project : p.org)! }) as const;
      return [
        route({
          method: 'put',
          path,
          summary: `Install or upgrade an app ${scope === 'project' ? 'in a project' : 'for the whole org (admins only)'}: the version or tag it tracks, and the grant (admins only).`,
          audience: scope === 'project' ? ['user'] : ['admin'],
          params,
          body: InstallBody,
          responses: {
            200: 'The installation',
            403: 'Not allowed, or a permission only an admin grants',
            404: 'No such app, version or tag',
            410: 'A yanked version',
          },
          handle: async ({ params: p, body, caller }) => install(ctx, caller, target(p as never), p.app, body),
        }),
        route({
          method: 'delete',
          path,
          summary: 'Uninstall an app; its storage, reports and artifacts go with it, in one transaction.',
          audience: scope === 'project' ? ['user'] : ['admin'],
          params,
          responses: { 200: 'Uninstalled', 404: 'Not installed' },
          handle: async ({ params: p, caller }) => (await uninstall(ctx, caller, target(p as never), p.app), { ok: true }),
        }),
        route({
          method: 'patch',
          path,
          summary: 'Pause an installation (its panels do not mount, its storage refuses writes) or resume it.',
          audience: scope === 'project' ? ['user'] : ['admin'],
          params,
          body: PauseBody,
          responses: { 200: 'The installation', 404: 'Not installed' },
          handle: async ({ params: p, body, caller }) => setPaused(ctx, caller, target(p as never), p.app, body.paused),
        }),
      ];
    }),
    route({
      method: 'get',
      path: '/v1/projects/{project}/apps/{app}/storage',
      summary: 'The keys an app keeps in a project; with `values=1`, every key and its value.',
      audience: ['user'],
      params: ProjectApp,
      query: StorageQuery,
      responses: { 200: '{ keys } or { entries }', 403: 'Not a member of the project' },
      handle: async ({ params, query, caller }) =>
        query.values === '1'
          ? storageEntries(ctx, caller, params.project, params.app)
          : storageKeys(ctx, caller, params.project, params.app),
    }),
    route({
      method: 'get',
      path: '/v1/projects/{project}/apps/{app}/storage/{key}',
      summary: 'A value an app keeps in a project: `{ value }`, or `{}` for a key never set.',
      audience: ['user'],
      params: StorageParams,
      responses: { 200: '{ value }', 403: 'Not a member of the project' },
      handle: async ({ params, caller }) => storageGet(ctx, caller, params.project, params.app, params.key),
    }),
    route({
      method: 'put',
      path: '/v1/projects/{project}/apps/{app}/storage/{key}',
      summary: 'Keep a value (JSON) for an app in a project, within its quota.',
      audience: ['user'],
      params: StorageParams,
      body: SetBody,
      maxBody: 17 * 1024 * 1024,
      responses: { 200: 'Kept', 404: 'Not installed', 507: 'Past the quota' },
      handle: async ({ params, body, caller }) => (
        await storageSet(ctx, caller, params.project, params.app, params.key, body.value),
        { ok: true }
      ),
    }),
    route({
      method: 'delete',
      path: '/v1/projects/{project}/apps/{app}/storage/{key}',
      summary: 'Remove a value.',
      audience: ['user'],
      params: StorageParams,
      responses: { 200: 'Removed', 404: 'Not installed' },
      handle: async ({ params, caller }) => (await storageRemove(ctx, caller, params.project, params.app, params.key), { ok: true }),
    }),
    route({
      method: 'post',
      path: '/v1/projects/{project}/apps/{app}/reports',
      summary:
        "Keep reports an app made in a project (each series keeps its newest points), within its quota (64 MB); a run's own token keeps its app's.",
      audience: ['user', 'run-token'],
      params: ProjectApp,
      body: ReportsBody,
      maxBody: 16 * 1024 * 1024,
      responses: { 200: 'Kept', 404: 'Not installed', 507: 'Past the quota' },
      handle: async ({ params, body, caller }) => (
        await addReports(ctx, caller, params.project, params.app, body.reports as never),
        { ok: true }
      ),
    }),
    route({
      method: 'get',
      path: '/v1/projects/{project}/apps/{app}/reports',
      summary:
        "An app's reports in a project, oldest first; with `execution` one run's, with `after` (an earlier answer's `last`) those kept since.",
      audience: ['user'],
      params: ProjectApp,
      query: z.object({ execution: z.optional(Id), after: z.optional(Seq) }),
      responses: { 200: '{ reports, last }', 403: 'Not a member of the project' },
      handle: async ({ params, query, caller }) => listReports(ctx, caller, params.project, params.app, query),
    }),
    route({
      method: 'put',
      path: '/v1/projects/{project}/apps/{app}/artifacts/{id}',
      summary:
        "Keep an artifact (its bytes as the body, application/octet-stream; its record in the query), within its quota (256 MB); a run's own token keeps its app's.",
      audience: ['user', 'run-token'],
      params: z.object({ project: Id, app: Name, id: Id }),
      query: ArtifactQuery,
      body: 'zip',
      maxBody: 64 * 1024 * 1024,
      responses: { 200: 'The record', 404: 'Not installed', 409: 'The id is taken', 507: 'Past the quota' },
      handle: async ({ params, query, body, caller }) =>
        putArtifact(ctx, caller, params.project, params.app, { id: params.id, ...query }, body),
    }),
    route({
      method: 'get',
      path: '/v1/projects/{project}/artifacts',
      summary: "A project's artifacts (of one app with `app`), oldest first.",
      audience: ['user'],
      params: z.object({ project: Id }),
      query: z.object({ app: z.optional(Name) }),
      responses: { 200: '{ artifacts }', 403: 'Not a member of the project' },
      handle: async ({ params, query, caller }) => listArtifacts(ctx, caller, params.project, query.app),
    }),
    route({
      method: 'get',
      path: '/v1/artifacts/{id}',
      summary: "An artifact's record.",
      audience: ['user'],
      params: z.object({ id: Id }),
      responses: { 200: 'The record', 404: 'None of yours' },
      handle: async ({ params, caller }) => {
        const { digest: _digest, ...record } = await artifactOf(ctx, caller, params.id);
        return record;
      },
    }),
    route({
      method: 'get',
      path: '/v1/artifacts/{id}/data',
      summary: "An artifact's bytes (application/octet-stream: saved, never shown as a page).",
      audience: ['user'],
      params: z.object({ id: Id }),
      responses: { 200: 'The bytes', 404: 'None of yours' },
      handle: async ({ params, caller }) => {
        const { digest } = await artifactOf(ctx, caller, params.id);
        const bytes = await ctx.blobs.get(digest);
        if (!bytes)
          throw new SlotbridgeError(
            ErrorCode.ARTIFACT_NOT_FOUND,
            `The bytes of ${params.id} are missing from the blob store; its operator has to restore them.`,
          );
        return new Response(bytes as unknown as BodyInit, {
          headers: { 'content-type': 'application/octet-stream', 'x-content-type-options': 'nosniff', 'content-disposition': 'attachment' },
        });
      },
    }),
    route({
      method: 'delete',
      path: '/v1/artifacts/{id}',
      summary: 'Delete an artifact.',
      audience: ['user'],
      params: z.object({ id: Id }),
      responses: { 200: 'Deleted', 404: 'None of yours' },
      handle: async ({ params, caller }) => (await deleteArtifact(ctx, caller, params.id), { ok: true }),
    }),
    route({
      method: 'get',
      path: '/v1/changes',
      summary: 'What changed after `since` (a `seq`): publishes, yanks, tags, installations, as far as the caller may see.',
      audience: ['user'],
      query: ChangesQuery,
      responses: { 200: '{ changes, last }' },
      handle: async ({ query, caller }) => {
        const user = userOf(caller);
        if (query.project !== undefined) userIn(caller, { scope: 'project', id: query.project });
        return changesSince(db(), user, query.since ?? '0', query.project);
      },
    }),
    route({
      method: 'get',
      path: '/v1/changes/stream',
      summary:
        'The change feed as Server-Sent Events (`change` events with a `seq` id), from `since` on; hosts keep their mirror current with it.',
      audience: ['user'],
      query: ChangesQuery,
      responses: { 200: 'text/event-stream' },
      handle: async ({ query, caller, c }) => {
        const user = userOf(caller);
        if (query.project !== undefined) userIn(caller, { scope: 'project', id: query.project });
        return streamChanges(ctx, c, user, query.since ?? (await latestSeq(db())), query.project);
      },
    }),
    route({
      method: 'post',
      path: '/v1/tokens',
      summary: "Make a publish (or runner) token for a namespace of the admin's org, or one app in it. The token is shown once.",
      audience: ['admin'],
      body: TokenBody,
      responses: { 201: 'The token', 403: "Not an admin, or another org's namespace" },
      handle: async ({ body, caller }) => {
        const token = await makeToken(ctx, caller, body);
        return {
          id: token.id,
          token: token.token,
          kind: token.kind,
          namespace: token.namespace,
          app: token.app,
          expiresAt: token.expiresAt.toISOString(),
        };
      },
    }),
    route({
      method: 'delete',
      path: '/v1/tokens/{id}',
      summary: 'Revoke a token.',
      audience: ['admin'],
      params: z.object({ id: Id }),
      responses: { 200: 'Revoked', 400: "No live token by that id in the admin's org" },
      handle: async ({ params, caller }) => (await dropToken(ctx, caller, params.id), { ok: true }),
    }),
  ];
  return routes as unknown as Route[];
}

function streamChanges(
  ctx: RegistryContext,
  c: Context,
  user: Parameters<typeof changesSince>[1],
  since: string,
  project: string | undefined,
): Response {
  return streamSSE(c, async (stream) => {
    let last = since;
    let sending = Promise.resolve();
    const send = () =>
      (sending = sending
        .then(async () => {
          for (;;) {
            const page = await changesSince(ctx.database.db, user, last, project);
            for (const change of page.changes) await stream.writeSSE({ event: 'change', id: change.seq, data: JSON.stringify(change) });
            last = page.last;
            if (page.changes.length === 0) break;
          }
        })
        .catch(() => undefined));
    const unsubscribe = ctx.database.onAnnounce(() => void send());
    await stream.writeSSE({ event: 'ready', data: JSON.stringify({ since }) });
    void send();
    // A comment now and then keeps proxies from closing a quiet stream.
    const beat = setInterval(() => void stream.write(': beat\n\n').catch(() => undefined), 15_000);
    // Until the client goes, or the server closes (its sockets closed under it do not always abort the stream).
    await new Promise<void>((resolve) => {
      stream.onAbort(resolve);
      if (ctx.closing.aborted) resolve();
      ctx.closing.addEventListener('abort', () => resolve(), { once: true });
    });
    clearInterval(beat);
    unsubscribe();
  });
}
