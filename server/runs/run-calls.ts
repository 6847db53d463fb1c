/**
 * A run's calls to the platform: its Python's `slotbridge.api.<ns>.<method>`,
 * `storage`, `settings`... The platform's API is its page's (a `defineApi` in
 * the host), so the page that asked for the run answers them, as the app with
 * its grant, through the host's router, as it answers a frame of that app.
 * The child asks with its run's token; the page hears of the call on the
 * change feed (`run:changed`, status `call`), reads the calls waiting and
 * answers each (only the user who asked for the run); the child waits for its
 * answer. No page open, no answer: the child gives up after its timeout.
 */
import { sql } from 'kysely';
import { ErrorCode } from '../../src/errors/error-code.js';
import { SlotbridgeError } from '../../src/errors/slotbridge-error.js';
import type { Caller } from '../http/caller.js';
import { assertMember, userOf } from '../registry/app-storage.js';
import { announce, notFound, type RunContext } from './runs.js';

/** Longest one wait for an answer is held open, ms: the child asks again after it. */
export const MAX_ANSWER_WAIT_MS = 20_000;
/** Calls one run may make. */
const MAX_CALLS = 10_000;
/** How often a held wait looks for its answer, ms. */
const ANSWER_POLL_MS = 50;

export type CallAnswer = { ok: true; value?: unknown } | { ok: false; code: string; message: string };

/** The child asks (its run's own token): the call is kept and the page told. */
export async function askCall(
  rc: RunContext,
  caller: Caller,
  id: string,
  body: { method: string; args: unknown[] },
): Promise<{ call: number }> {
  const scope = ownRun(caller, id);
  const args = JSON.stringify(body.args);
  if (Buffer.byteLength(args) > rc.limits.maxValueBytes)
    throw new SlotbridgeError(ErrorCode.PAYLOAD_TOO_LARGE, `A call's arguments take at most ${rc.limits.maxValueBytes} bytes as JSON.`);
  const db = rc.registry.database.db;
  for (let tries = 0; ; tries++) {
    try {
      // The next number of this run's calls, taken in the insert: two at once collide on the key and the later tries again.
      const { rows } = await sql<{ n: number }>`insert into run_calls (run, n, method, args)
        select ${id}, coalesce(max(n), 0) + 1, ${body.method}, ${args}::jsonb from run_calls where run = ${id} returning n`.execute(db);
      const n = rows[0].n;
      if (n > MAX_CALLS) {
        await db.deleteFrom('run_calls').where('run', '=', id).where('n', '=', n).execute();
        throw new SlotbridgeError(ErrorCode.RATE_LIMITED, `A run makes at most ${MAX_CALLS} calls to the platform.`);
      }
      await announce(rc, scope.user.org, scope.project, scope.app, id, 'call');
      return { call: n };
    } catch (err) {
      if ((err as { code?: string }).code !== '23505' || tries >= 5) throw err;
    }
  }
}

/** The child's wait for its answer (its run's own token): held open up to `waitMs`; `{ answer: null }` when none came yet. */
export async function callAnswer(
  rc: RunContext,
  caller: Caller,
  id: string,
  n: number,
  waitMs: number,
): Promise<{ answer: CallAnswer | null }> {
  ownRun(caller, id);
  const until = Date.now() + Math.min(waitMs, MAX_ANSWER_WAIT_MS);
  const db = rc.registry.database.db;
  for (;;) {
    const row = await db.selectFrom('run_calls').select('answer').where('run', '=', id).where('n', '=', n).executeTakeFirst();
    if (!row) throw new SlotbridgeError(ErrorCode.BAD_INPUT, `Run ${id} made no call ${n}.`);
    if (row.answer !== null || Date.now() >= until || rc.registry.closing.aborted) return { answer: row.answer as CallAnswer | null };
    await new Promise((resolve) => setTimeout(resolve, ANSWER_POLL_MS));
  }
}

/** The calls of a running run that wait for their answer, for the user who asked for the run. */
export async function waitingCalls(
  rc: RunContext,
  caller: Caller,
  id: string,
): Promise<{ calls: { n: number; method: string; args: unknown[] }[] }> {
  await askerOf(rc, caller, id);
  const calls = await rc.registry.database.db
    .selectFrom('run_calls')
    .select(['n', 'method', 'args'])
    .where('run', '=', id)
    .where('answer', 'is', null)
    .orderBy('n')
    .limit(100)
    .execute();
  return { calls: calls.map((c) => ({ n: c.n, method: c.method, args: c.args as unknown[] })) };
}

/** The page's answer to one call, once. */
export async function answerCall(rc: RunContext, caller: Caller, id: string, n: number, answer: CallAnswer): Promise<{ ok: true }> {
  await askerOf(rc, caller, id);
  if (Buffer.byteLength(JSON.stringify(answer)) > rc.limits.maxValueBytes)
    throw new SlotbridgeError(ErrorCode.PAYLOAD_TOO_LARGE, `An answer takes at most ${rc.limits.maxValueBytes} bytes as JSON.`);
  const done = await rc.registry.database.db
    .updateTable('run_calls')
    .set({ answer: JSON.stringify(answer) })
    .where('run', '=', id)
    .where('n', '=', n)
    .where('answer', 'is', null)
    .executeTakeFirst();
  if (done.numUpdatedRows === 0n)
    throw new SlotbridgeError(ErrorCode.CONFLICT, `Call ${n} of run ${id} is answered already, or was never made.`);
  return { ok: true };
}

function ownRun(caller: Caller, id: string): Extract<Caller, { kind: 'run' }> {
  if (caller.kind !== 'run' || caller.run !== id)
    throw new SlotbridgeError(ErrorCode.FORBIDDEN, `Only run ${id}'s own token (its Python child) calls the platform for it.`);
  return caller;
}

async function askerOf(rc: RunContext, caller: Caller, id: string): Promise<void> {
  const user = userOf(caller);
  const run = await rc.registry.database.db.selectFrom('runs').select(['project', 'created_by']).where('id', '=', id).executeTakeFirst();
  if (!run) throw notFound(id);
  assertMember(user, run.project);
  if (run.created_by !== user.id)
    throw new SlotbridgeError(ErrorCode.FORBIDDEN, `Run ${id}'s calls are answered by the page of ${run.created_by}, who asked for it.`);
}
