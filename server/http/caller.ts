/**
 * Who is calling: nobody, a publish token (the CLI, CI), a runner token, a
 * run's own token (its Python child), or a platform user (a JWT the platform
 * signed). Read from `Authorization:
 * Bearer …`; checked before any route reads its input.
 */
import type { Kysely } from 'kysely';
import { ErrorCode } from '../../src/errors/error-code.js';
import { SlotbridgeError } from '../../src/errors/slotbridge-error.js';
import { verifyRunToken, type RunScope } from '../auth/run-token.js';
import { verifyToken, type TokenKind } from '../auth/tokens.js';
import { verifyUserToken, type PlatformUser } from '../auth/user-token.js';
import type { Tables } from '../db/tables.js';

export type Caller =
  | { kind: 'anonymous' }
  | { kind: 'token'; token: TokenKind; id: string; namespace: string; app: string | null }
  | ({ kind: 'run' } & RunScope)
  | { kind: 'user'; user: PlatformUser };

/** Who may call a route. `admin`: a user whose role in the org is admin. */
export type Audience = 'anyone' | 'user' | 'admin' | 'publish-token' | 'runner-token' | 'run-token';

export async function callerOf(header: string | undefined, db: Kysely<Tables>, userKey: Uint8Array): Promise<Caller> {
  if (header === undefined || header === '') return { kind: 'anonymous' };
  const match = /^Bearer ([\x21-\x7e]{1,4096})$/.exec(header);
  if (!match) throw new SlotbridgeError(ErrorCode.UNAUTHORIZED, 'Send credentials as Authorization: Bearer <token>.');
  const token = match[1];
  if (/^sb[pr]_/.test(token)) {
    const scope = await verifyToken(db, token);
    return { kind: 'token', token: scope.kind, id: scope.id, namespace: scope.namespace, app: scope.app };
  }
  if (token.startsWith('sbx_')) return { kind: 'run', ...(await verifyRunToken(db, token)) };
  return { kind: 'user', user: await verifyUserToken(token, userKey) };
}

/** `UNAUTHORIZED` for no credentials, `FORBIDDEN` for credentials of the wrong kind. */
export function admit(caller: Caller, audiences: readonly Audience[]): void {
  if (audiences.includes('anyone')) return;
  if (caller.kind === 'anonymous')
    throw new SlotbridgeError(ErrorCode.UNAUTHORIZED, `This route needs credentials: ${audiences.map(describe).join(' or ')}.`);
  const ok =
    (caller.kind === 'user' && (audiences.includes('user') || (audiences.includes('admin') && caller.user.role === 'admin'))) ||
    (caller.kind === 'token' &&
      ((caller.token === 'publish' && audiences.includes('publish-token')) ||
        (caller.token === 'runner' && audiences.includes('runner-token')))) ||
    (caller.kind === 'run' && audiences.includes('run-token'));
  if (!ok)
    throw new SlotbridgeError(ErrorCode.FORBIDDEN, `This route is for ${audiences.map(describe).join(' or ')}; these credentials are not.`);
}

/** Who did it, for the audit log: `user:<id>`, `token:<id>` or `run:<id>`. */
export function actorOf(caller: Caller): string {
  switch (caller.kind) {
    case 'user':
      return `user:${caller.user.id}`;
    case 'token':
      return `token:${caller.id}`;
    case 'run':
      return `run:${caller.run}`;
    default:
      return 'anonymous';
  }
}

function describe(audience: Audience): string {
  return {
    anyone: 'anyone',
    user: 'a platform user (a token the platform signed)',
    admin: 'an org admin',
    'publish-token': 'a publish token (sbp_…)',
    'runner-token': 'a runner token (sbr_…)',
    'run-token': "a run's own token (sbx_…)",
  }[audience];
}
