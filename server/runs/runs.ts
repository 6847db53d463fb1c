/**
 * Function runs on a queue: a user asks for a run of an installed app's
 * function (its inputs checked by the rules the browser applies), the run is
 * recorded and enqueued in one transaction; a runner claims it with a lease
 * it renews while the function runs, streams its log and reports, and
 * finishes it once. A run whose lease lapses (its runner died) goes back on
 * its queue, once; then it fails with the reason. A runner never touches the
 * database: every step here is an HTTP call the routes make.
 */
import { randomBytes } from 'node:crypto';
import { type Selectable, sql } from 'kysely';
import type { Tables } from '../db/tables.js';
import { ErrorCode } from '../../src/errors/error-code.js';
import { SlotbridgeError } from '../../src/errors/slotbridge-error.js';
import { mapInputs, mapOutputs } from '../../src/host/function-io.js';
import { hasStringId } from '../../src/manifest/io-values.js';
import { runsOn } from '../../src/manifest/runs-on.js';
import type { ModuleDefinition } from '../../src/manifest/schema.js';
import type { Report } from '../../src/registry/types.js';
import { newRunToken, runCreator } from '../auth/run-token.js';
import { actorOf, type Caller } from '../http/caller.js';
import { addReports } from '../registry/app-data.js';
import { assertMember, userOf } from '../registry/app-storage.js';
import { activeInstallation } from '../registry/installer.js';
import { change, type Db, record, type RegistryContext } from '../registry/context.js';
import type { RunQueue } from './run-queue.js';
import { codeOf, messageOf } from '../../src/errors/caught.js';

/** What the routes and runners see of a run. */
export interface RunView {
  id: string;
  project: string;
  app: string;
  version: string;
  module: string;
  function: string;
  queue: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  attempt: number;
  runner: string | null;
  createdBy: string;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
  exit: number | null;
  output: unknown;
  error: { code: string; message: string; traceback?: string } | null;
  log: string;
}

export interface RunLimits {
  /** How long a claim lives without a renewal, ms. */
  leaseMs: number;
  /** Bytes of log a run keeps; more is refused to the runner, which ends the run. */
  maxLogBytes: number;
  /** Bytes of a run's inputs, and of its output. */
  maxValueBytes: number;
}

export const DEFAULT_RUN_LIMITS: RunLimits = { leaseMs: 30_000, maxLogBytes: 1024 * 1024, maxValueBytes: 1024 * 1024 };

/** Everything a run needs: the registry, the queue, and the limits. */
export interface RunContext {
  registry: RegistryContext;
  queue: RunQueue;
  limits: RunLimits;
}

/** The host's default entity check: an object with a string id. */
const entityCheck = (_type: string, value: unknown) => hasStringId(value);

/** pg-boss's queue for an org's queue: orgs never share one. */
export function bossQueue(org: string, queue: string): string {
  return `sb_${Buffer.from(org).toString('hex')}_${queue}`;
}

export async function createRun(
  rc: RunContext,
  caller: Caller,
  project: string,
  app: string,
  body: { module: string; function: string; inputs?: Record<string, unknown> | undefined },
): Promise<RunView> {
  const user = userOf(caller);
  assertMember(user, project);
  const db = rc.registry.database.db;
  const installed = await activeInstallation(db, user.org, project, app);
  const manifest = await manifestOf(db, app, installed.version);
  const module = manifest.components?.modules?.find((m) => m.name === body.module);
  const fn = module?.functions.find((f) => f.name === body.function);
  if (!module || !fn)
    throw new SlotbridgeError(
      ErrorCode.FUNCTION_NOT_FOUND,
      `${app}@${installed.version} has no function ${body.module}.${body.function}; call one its manifest declares.`,
    );
  const place = runsOn(module, fn, { python: false });
  if (place.on !== 'queue')
    throw new SlotbridgeError(
      ErrorCode.BAD_INPUT,
      `${body.module} is a browser module: its functions run in the page (host.execute), not on the service's queue.`,
    );
  const inputs = mapInputs(`${body.module}.${body.function}`, fn.input, body.inputs ?? {}, entityCheck);
  if (Buffer.byteLength(JSON.stringify(inputs)) > rc.limits.maxValueBytes)
    throw new SlotbridgeError(
      ErrorCode.PAYLOAD_TOO_LARGE,
      `A run's inputs take at most ${rc.limits.maxValueBytes} bytes as JSON; send less.`,
    );
  const id = `run_${randomBytes(12).toString('base64url')}`;
  const queue = bossQueue(user.org, place.queue);
  await rc.queue.prepare(queue);
  const row = await change(rc.registry, async (trx) => {
    const inserted = await trx
      .insertInto('runs')
      .values({
        id,
        org: user.org,
        project,
        app,
        version: installed.version,
        module: body.module,
        fn: body.function,
        queue: place.queue,
        inputs: JSON.stringify(inputs),
        status: 'queued',
        created_by: user.id,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await rc.queue.send(trx, queue, id);
    const seq = await record(trx, runChange(user.org, project, app, id, 'queued'), [
      { actor: actorOf(caller), action: 'run', subject: `${app}@${installed.version}`, details: { run: id, function: body.function } },
    ]);
    return { result: inserted, seq };
  });
  return viewOf(row);
}

/** A run; with `wait`, once it has ended or `wait` ms have passed (a long poll, woken by the change feed), whichever first. */
export async function getRun(rc: RunContext, caller: Caller, id: string, wait = 0, signal?: AbortSignal): Promise<RunView> {
  return longPoll(rc, wait, signal, async () => {
    const view = await runView(rc.registry.database.db, id);
    if (!view) throw notFound(id);
    assertMember(userOf(caller), view.project);
    return { done: ENDED.has(view.status), value: view };
  });
}

const ENDED: ReadonlySet<RunView['status']> = new Set(['succeeded', 'failed', 'cancelled']);

/** Cancels a queued run at once; a running one is told at its runner's next renewal, and its child stopped. */
export async function cancelRun(rc: RunContext, caller: Caller, id: string): Promise<RunView> {
  const view = await getRun(rc, caller, id);
  const user = userOf(caller);
  await change(rc.registry, async (trx) => {
    const cancelled = await trx
      .updateTable('runs')
      .set({ status: 'cancelled', ended_at: new Date(), cancel_requested: true, error: errorJson('CANCELLED', `Cancelled by ${user.id}.`) })
      .where('id', '=', id)
      .where('status', '=', 'queued')
      .executeTakeFirst();
    if (cancelled.numUpdatedRows === 0n)
      await trx.updateTable('runs').set({ cancel_requested: true }).where('id', '=', id).where('status', '=', 'running').execute();
    const seq = await record(trx, runChange(user.org, view.project, view.app, id, 'cancel'), [
      { actor: actorOf(caller), action: 'cancel run', subject: id },
    ]);
    return { result: undefined, seq };
  });
  return (await runView(rc.registry.database.db, id))!;
}

/** A run's inputs: for its own token (its child), or a member of its project. */
export async function runInputs(rc: RunContext, caller: Caller, id: string): Promise<{ inputs: Record<string, unknown> }> {
  if (caller.kind === 'run' && caller.run !== id)
    throw new SlotbridgeError(ErrorCode.FORBIDDEN, `Run ${caller.run}'s token reads its own run's inputs only, not ${id}'s.`);
  const row = await rc.registry.database.db.selectFrom('runs').select(['project', 'inputs']).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound(id);
  if (caller.kind !== 'run') assertMember(userOf(caller), row.project);
  return { inputs: row.inputs as Record<string, unknown> };
}

/** What a runner gets with a claim: the run, its inputs, the lease it renews, the run's own token for its child. */
export interface Claim {
  run: RunView;
  lease: string;
  /** The run's own token (`sbx_…`) for this attempt: the child's, not the runner's. */
  token: string;
  leaseMs: number;
  inputs: Record<string, unknown>;
  module: ModuleDefinition;
  settings: unknown;
}

/** Longest a claim waits at the service for a run, ms. */
export const MAX_CLAIM_WAIT_MS = 30_000;

/**
 * The next run on one of `queues` this runner token may run, claimed with a
 * lease; undefined when none came within `wait` ms. A waiting claim tries
 * again at each change any server announces (a run queued). A run claimed
 * for a runner that hung up meanwhile (`signal`) goes back on its queue,
 * its attempt not spent.
 */
export async function claimRun(
  rc: RunContext,
  caller: Caller,
  body: { queues: string[]; runner: string; wait?: number | undefined },
  signal?: AbortSignal,
): Promise<Claim | undefined> {
  const scope = await runnerScope(rc, caller);
  return longPoll(rc, body.wait ?? 0, signal, async () => {
    if (rc.registry.closing.aborted) return { done: true, value: undefined };
    const claim = await claimOnce(rc, scope, body);
    if (claim && signal?.aborted) await release(rc, claim.run.id);
    return { done: claim !== undefined, value: signal?.aborted ? undefined : claim };
  });
}

/**
 * Tries `attempt` now and again at each change any server announces, until
 * it is done or `wait` ms have passed (or the caller hung up, or the server
 * closes); answers with the last try's value.
 */
async function longPoll<T>(
  rc: RunContext,
  wait: number,
  signal: AbortSignal | undefined,
  attempt: () => Promise<{ done: boolean; value: T }>,
): Promise<T> {
  const until = Date.now() + Math.min(wait, MAX_CLAIM_WAIT_MS);
  for (;;) {
    // Listening before the try: a change announced while it runs is not missed.
    const changed = nextAnnounce(rc, signal);
    try {
      const { done, value } = await attempt();
      const left = until - Date.now();
      if (done || left <= 0 || signal?.aborted || rc.registry.closing.aborted) return value;
      await changed.wait(left);
    } finally {
      changed.stop();
    }
  }
}

/** The next change any server announces (or a hang-up, or the server closing), from now on. */
function nextAnnounce(rc: RunContext, signal: AbortSignal | undefined): { wait(ms: number): Promise<void>; stop(): void } {
  let heard = false;
  let wake: () => void = () => (heard = true);
  const unsubscribe = rc.registry.database.onAnnounce(() => wake());
  const signals = [signal, rc.registry.closing].filter((s): s is AbortSignal => s !== undefined);
  const onAbort = () => wake();
  for (const s of signals) s.addEventListener('abort', onAbort, { once: true });
  let timer: ReturnType<typeof setTimeout> | undefined;
  return {
    wait: (ms) =>
      heard
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            wake = resolve;
            timer = setTimeout(resolve, ms);
          }),
    stop: () => {
      clearTimeout(timer);
      unsubscribe();
      for (const s of signals) s.removeEventListener('abort', onAbort);
    },
  };
}

/** A claimed run back on its queue, its attempt not spent: its runner hung up before it got it. */
async function release(rc: RunContext, id: string): Promise<void> {
  await change(rc.registry, async (trx) => {
    const row = await trx
      .updateTable('runs')
      .set((eb) => ({
        status: 'queued',
        attempt: eb('attempt', '-', 1),
        runner: null,
        lease: null,
        lease_until: null,
        token_hash: null,
        started_at: null,
      }))
      .where('id', '=', id)
      .where('status', '=', 'running')
      .returning(['org', 'project', 'app', 'queue'])
      .executeTakeFirst();
    if (!row) return { result: undefined, seq: undefined };
    await rc.queue.send(trx, bossQueue(row.org, row.queue), id);
    return { result: undefined, seq: await record(trx, runChange(row.org, row.project, row.app, id, 'queued'), []) };
  });
}

async function claimOnce(
  rc: RunContext,
  scope: { org: string; app: string | null },
  body: { queues: string[]; runner: string },
): Promise<Claim | undefined> {
  const db = rc.registry.database.db;
  const lease = `lease_${randomBytes(16).toString('base64url')}`;
  const token = newRunToken();
  let claimed: Selectable<Tables['runs']> | undefined;
  await rc.queue.next(
    body.queues.map((q) => bossQueue(scope.org, q)),
    async (id) => {
      claimed = await db
        .updateTable('runs')
        .set((eb) => ({
          status: 'running',
          attempt: eb('attempt', '+', 1),
          runner: body.runner,
          lease,
          lease_until: new Date(Date.now() + rc.limits.leaseMs),
          token_hash: token.hash,
          started_at: new Date(),
        }))
        .where('id', '=', id)
        .where('status', '=', 'queued')
        .where('org', '=', scope.org)
        .$if(scope.app !== null, (q) => q.where('app', '=', scope.app!))
        .returningAll()
        .executeTakeFirst();
      if (!claimed) return false;
      await announce(rc, claimed.org, claimed.project, claimed.app, id, 'running');
      return true;
    },
  );
  const row = claimed;
  if (!row) return undefined;
  const manifest = await manifestOf(db, row.app, row.version);
  const installed = await activeInstallation(db, row.org, row.project, row.app).catch(() => undefined);
  return {
    run: viewOf(row),
    lease,
    token: token.token,
    leaseMs: rc.limits.leaseMs,
    inputs: row.inputs as Record<string, unknown>,
    module: manifest.components!.modules!.find((m) => m.name === row.module)!,
    settings: installed?.settings ?? {},
  };
}

/** The package of a claimed run's version (the runner unpacks it), for the lease's holder only. */
export async function runPackage(rc: RunContext, caller: Caller, id: string, lease: string): Promise<Uint8Array> {
  const run = await heldRun(rc, caller, id, lease);
  const version = await rc.registry.database.db
    .selectFrom('app_versions')
    .select(['digest', 'base_url'])
    .where('app', '=', run.app)
    .where('version', '=', run.version)
    .executeTakeFirstOrThrow();
  const bytes = version.base_url === null ? await rc.registry.blobs.get(version.digest) : undefined;
  if (!bytes)
    throw new SlotbridgeError(
      ErrorCode.APP_NOT_FOUND,
      `${run.app}@${run.version} is hosted by its publisher (no package here): publish it as a package to run it on a runner.`,
    );
  return bytes;
}

/**
 * A running run's progress: log text and reports, and the lease renewed.
 * Answers whether the run was cancelled (the runner then stops its child).
 */
export async function runProgress(
  rc: RunContext,
  caller: Caller,
  id: string,
  body: { lease: string; log?: string | undefined; reports?: Report[] | undefined },
): Promise<{ cancel: boolean; leaseMs: number }> {
  // The renewal is the check: only the lease's holder has it. Only a refusal is read again, to say why.
  assertRunner(caller);
  const db = rc.registry.database.db;
  const log = body.log ?? '';
  const run = await db
    .updateTable('runs')
    .set({ lease_until: new Date(Date.now() + rc.limits.leaseMs), log: sql`log || ${log}` })
    .where('id', '=', id)
    .where('lease', '=', body.lease)
    .where('status', '=', 'running')
    .where(sql<boolean>`octet_length(log) + ${Buffer.byteLength(log)} <= ${rc.limits.maxLogBytes}`)
    .returning(['id', 'org', 'project', 'app', 'version', 'module', 'fn', 'runner', 'created_by', 'cancel_requested'])
    .executeTakeFirst();
  if (!run) {
    await heldRun(rc, caller, id, body.lease);
    throw new SlotbridgeError(
      ErrorCode.PAYLOAD_TOO_LARGE,
      `Run ${id} printed more than its ${rc.limits.maxLogBytes} bytes of log; the run is stopped.`,
    );
  }
  if (body.reports?.length)
    await addReports(rc.registry, { kind: 'user', user: runCreator(run) }, run.project, run.app, await numbered(db, run, body.reports));
  if (log || body.reports?.length) await announce(rc, run.org, run.project, run.app, id, 'progress');
  return { cancel: run.cancel_requested, leaseMs: rc.limits.leaseMs };
}

/** How a runner ends a run: its outputs (mapped by the browser's rules) or its failure. */
export type RunOutcome =
  | { status: 'succeeded'; result: unknown; exit: number }
  | { status: 'failed'; error: { code: string; message: string; traceback?: string | undefined }; exit: number | null };

export async function finishRun(
  rc: RunContext,
  caller: Caller,
  id: string,
  body: { lease: string; outcome: RunOutcome },
): Promise<RunView> {
  const run = await heldRun(rc, caller, id, body.lease);
  let outcome = body.outcome;
  if (outcome.status === 'succeeded') {
    try {
      const module = await moduleOf(rc, run);
      const fn = module.functions.find((f) => f.name === run.fn)!;
      const output = mapOutputs(`${run.module}.${run.fn}`, fn.output, fromPython(outcome.result), entityCheck);
      if (Buffer.byteLength(JSON.stringify(output)) > rc.limits.maxValueBytes)
        throw new SlotbridgeError(ErrorCode.PAYLOAD_TOO_LARGE, `The output takes more than ${rc.limits.maxValueBytes} bytes as JSON.`);
      outcome = { ...outcome, result: output };
    } catch (err) {
      outcome = {
        status: 'failed',
        error: { code: codeOf(err) ?? ErrorCode.EXECUTION_FAILED, message: messageOf(err) },
        exit: outcome.exit,
      };
    }
  }
  const ended = await change(rc.registry, async (trx) => {
    const done = await trx
      .updateTable('runs')
      .set({
        status: run.cancel_requested ? 'cancelled' : outcome.status,
        ended_at: new Date(),
        exit_code: outcome.exit,
        lease: null,
        lease_until: null,
        token_hash: null,
        // As [name, value] pairs: jsonb keeps an array's order, not an object's keys'.
        output: outcome.status === 'succeeded' ? JSON.stringify(Object.entries((outcome.result ?? {}) as Record<string, unknown>)) : null,
        error:
          outcome.status === 'failed'
            ? JSON.stringify(outcome.error)
            : run.cancel_requested
              ? errorJson('CANCELLED', 'Cancelled while it ran.')
              : null,
      })
      .where('id', '=', id)
      .where('lease', '=', body.lease)
      .where('status', '=', 'running')
      .returningAll()
      .executeTakeFirst();
    if (!done) return { result: undefined, seq: undefined };
    const seq = await record(trx, runChange(run.org, run.project, run.app, id, outcome.status), [
      { actor: actorOf(caller), action: 'finish run', subject: id, details: { status: outcome.status, runner: run.runner } },
    ]);
    return { result: done, seq };
  });
  if (!ended) throw leaseLost(id);
  return viewOf(ended);
}

/**
 * Runs whose lease lapsed (their runner died or lost the network): back on
 * their queue while they have attempts left, else failed with the reason.
 * Every server does it on a beat (half a lease); each lapsed run is taken
 * by exactly one (its row is locked, then changed once).
 */
export async function reapLeases(rc: RunContext): Promise<void> {
  const db = rc.registry.database.db;
  const lapsed = await db
    .selectFrom('runs')
    .select(['id', 'org', 'queue'])
    .where('status', '=', 'running')
    .where('lease_until', '<', new Date())
    .limit(100)
    .execute();
  for (const run of lapsed) await rc.queue.prepare(bossQueue(run.org, run.queue));
  for (const run of lapsed) {
    await change(rc.registry, async (trx) => {
      const held = await trx
        .selectFrom('runs')
        .select(['attempt', 'max_attempts', 'project', 'app'])
        .where('id', '=', run.id)
        .where('status', '=', 'running')
        .where('lease_until', '<', new Date())
        .forUpdate()
        .executeTakeFirst();
      if (!held) return { result: undefined, seq: undefined };
      const again = held.attempt < held.max_attempts;
      const note = `\n[slotbridge] attempt ${held.attempt}: the runner stopped renewing its lease; ${again ? 'the run goes back on its queue' : 'no attempt is left'}.\n`;
      const row = await trx
        .updateTable('runs')
        .set({
          status: again ? 'queued' : 'failed',
          lease: null,
          lease_until: null,
          token_hash: null,
          runner: null,
          log: sql`log || ${note}`,
          ended_at: again ? null : new Date(),
          error: again
            ? null
            : errorJson('RUNNER_LOST', `Its runner stopped answering (the lease lapsed) on each of ${held.attempt} attempts.`),
        })
        .where('id', '=', run.id)
        .returning(['status', 'project', 'app'])
        .executeTakeFirst();
      if (!row) return { result: undefined, seq: undefined };
      if (row.status === 'queued') await rc.queue.send(trx, bossQueue(run.org, run.queue), run.id);
      const seq = await record(trx, runChange(run.org, row.project, row.app, run.id, row.status), [
        { actor: 'server', action: 'lease lapsed', subject: run.id, details: { now: row.status } },
      ]);
      return { result: undefined, seq };
    });
  }
}

// ---------------------------------------------------------------- helpers

type RunRow = Pick<
  Selectable<Tables['runs']>,
  'id' | 'org' | 'project' | 'app' | 'version' | 'module' | 'fn' | 'runner' | 'created_by' | 'cancel_requested'
>;

async function heldRun(rc: RunContext, caller: Caller, id: string, lease: string): Promise<RunRow> {
  const scope = await runnerScope(rc, caller);
  const run = await rc.registry.database.db
    .selectFrom('runs')
    .select(['id', 'org', 'project', 'app', 'version', 'module', 'fn', 'runner', 'created_by', 'cancel_requested', 'lease', 'status'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!run || run.org !== scope.org || (scope.app !== null && run.app !== scope.app)) throw notFound(id);
  if (run.lease !== lease || run.status !== 'running') throw leaseLost(id);
  return run;
}

function assertRunner(caller: Caller): asserts caller is Extract<Caller, { kind: 'token' }> {
  if (caller.kind !== 'token' || caller.token !== 'runner')
    throw new SlotbridgeError(ErrorCode.FORBIDDEN, 'Runs are claimed by runners, with a runner token (sbr_…); an admin makes one.');
}

async function runnerScope(rc: RunContext, caller: Caller): Promise<{ org: string; app: string | null }> {
  assertRunner(caller);
  const ns = await rc.registry.database.db.selectFrom('namespaces').select('org').where('name', '=', caller.namespace).executeTakeFirst();
  if (!ns) throw new SlotbridgeError(ErrorCode.FORBIDDEN, `The runner token's namespace ${caller.namespace} is gone.`);
  return { org: ns.org, app: caller.app };
}

async function moduleOf(rc: RunContext, run: RunRow): Promise<ModuleDefinition> {
  const manifest = await manifestOf(rc.registry.database.db, run.app, run.version);
  return manifest.components!.modules!.find((m) => m.name === run.module)!;
}

/** A published version's manifest (as the service normalized it at publish). */
async function manifestOf(db: Db, app: string, version: string): Promise<{ components?: { modules?: ModuleDefinition[] } }> {
  const row = await db
    .selectFrom('app_versions')
    .select('manifest')
    .where('app', '=', app)
    .where('version', '=', version)
    .executeTakeFirstOrThrow();
  return row.manifest;
}

async function runView(db: Db, id: string): Promise<RunView | undefined> {
  const r = await db.selectFrom('runs').selectAll().where('id', '=', id).executeTakeFirst();
  return r && viewOf(r);
}

function viewOf(r: Selectable<Tables['runs']>): RunView {
  return {
    id: r.id,
    project: r.project,
    app: r.app,
    version: r.version,
    module: r.module,
    function: r.fn,
    queue: r.queue,
    status: r.status,
    attempt: r.attempt,
    runner: r.runner,
    createdBy: r.created_by,
    createdAt: r.created_at.toISOString(),
    startedAt: r.started_at?.toISOString() ?? null,
    endedAt: r.ended_at?.toISOString() ?? null,
    exit: r.exit_code,
    output: Array.isArray(r.output) ? Object.fromEntries(r.output as [string, unknown][]) : null,
    error: r.error as RunView['error'],
    log: r.log,
  };
}

/** A runner counts each series' points from 1 within its run: here they follow the series' points kept before. */
async function numbered(db: Db, run: RunRow, reports: readonly Report[]): Promise<Report[]> {
  const series = [...new Set(reports.map((r) => JSON.stringify(r.series)))];
  const rows = await db
    .selectFrom('reports')
    .select(['series', sql<string>`max(((body::jsonb)->>'n')::bigint)`.as('n')])
    .where('project', '=', run.project)
    .where('app', '=', run.app)
    .where('series', 'in', series)
    .groupBy('series')
    .execute();
  const before = new Map(rows.map((r) => [r.series, Number(r.n)]));
  return reports.map((r) => ({ ...r, n: r.n + (before.get(JSON.stringify(r.series)) ?? 0) }));
}

/** Python's None is JavaScript's undefined in the browser runtime: the same here, for the output rules. */
function fromPython(result: unknown): unknown {
  if (result === null) return undefined;
  return Array.isArray(result) ? (result as unknown[]).map((v) => (v === null ? undefined : v)) : result;
}

export async function announce(rc: RunContext, org: string, project: string, app: string, id: string, status: string): Promise<void> {
  await change(rc.registry, async (trx) => ({ result: undefined, seq: await record(trx, runChange(org, project, app, id, status), []) }));
}

function runChange(org: string, project: string, app: string, run: string, status: string) {
  return { org, project, kind: 'run:changed', body: { app, run, status } };
}

function errorJson(code: string, message: string): string {
  return JSON.stringify({ code, message });
}

export function notFound(id: string): SlotbridgeError {
  return new SlotbridgeError(ErrorCode.BAD_INPUT, `No run ${id} that you may see.`);
}

function leaseLost(id: string): SlotbridgeError {
  return new SlotbridgeError(ErrorCode.CONFLICT, `This runner no longer holds run ${id} (its lease lapsed, or it ended); stop it.`);
}
