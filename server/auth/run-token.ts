/**
 * A run's own token (`sbx_…`): made at each claim, handed to that attempt's
 * Python child, never stored but as its SHA-256. It names one run and lives
 * while that attempt runs: it reads the run's inputs and writes its app's
 * reports and artifacts in its project, as the user who asked for the run,
 * and nothing else. The runner's own token never reaches the child.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { ErrorCode } from '../../src/errors/error-code.js';
import { SlotbridgeError } from '../../src/errors/slotbridge-error.js';
import type { Tables } from '../db/tables.js';
import { hashToken } from './tokens.js';
import type { PlatformUser } from './user-token.js';

export const RUN_TOKEN_SHAPE = /^sbx_[A-Za-z0-9_-]{43}$/;

/** What a run token may do: its run, that run's project and app, as the run's creator. */
export interface RunScope {
  run: string;
  project: string;
  app: string;
  user: PlatformUser;
}

export function newRunToken(): { token: string; hash: string } {
  const token = `sbx_${randomBytes(32).toString('base64url')}`;
  return { token, hash: hashToken(token) };
}

export async function verifyRunToken(db: Kysely<Tables>, token: string): Promise<RunScope> {
  if (!RUN_TOKEN_SHAPE.test(token)) throw new SlotbridgeError(ErrorCode.UNAUTHORIZED, 'That is not a run token (sbx_…).');
  const run = await db
    .selectFrom('runs')
    .select(['id', 'org', 'project', 'app', 'created_by'])
    .where('token_hash', '=', hashToken(token))
    .where('status', '=', 'running')
    .executeTakeFirst();
  if (!run)
    throw new SlotbridgeError(ErrorCode.UNAUTHORIZED, 'This run token names no running run: a run token lives while its attempt runs.');
  return {
    run: run.id,
    project: run.project,
    app: run.app,
    user: runCreator(run),
  };
}

/** Who a run acts as (its reports, its token's writes): the user who asked for it, in its project only. */
export function runCreator(run: { created_by: string; org: string; project: string }): PlatformUser {
  return { id: run.created_by, name: undefined, org: run.org, projects: [run.project], role: 'member' };
}
