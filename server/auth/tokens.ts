/**
 * Publish tokens (`sbp_…`, for the CLI and CI) and runner tokens (`sbr_…`):
 * 32 random bytes, shown once, stored only as their SHA-256 (a token is
 * random, so a plain hash cannot be reversed by guessing), scoped to a
 * namespace or one app, always expiring, revocable, their last use kept.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { ErrorCode } from '../../src/errors/error-code.js';
import { SlotbridgeError } from '../../src/errors/slotbridge-error.js';
import type { Tables } from '../db/tables.js';

export type TokenKind = 'publish' | 'runner';
const PREFIX: Record<TokenKind, string> = { publish: 'sbp_', runner: 'sbr_' };
/** Longest a token may live; the default is 90 days. */
export const MAX_TOKEN_DAYS = 365;
const TOKEN_SHAPE = /^sb[pr]_[A-Za-z0-9_-]{43}$/;

export interface TokenScope {
  kind: TokenKind;
  namespace: string;
  app: string | null;
}

export interface NewToken extends TokenScope {
  id: string;
  /** The token itself: shown once, never stored. */
  token: string;
  expiresAt: Date;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export async function createToken(db: Kysely<Tables>, scope: TokenScope, by: string, days: number, description = ''): Promise<NewToken> {
  if (!Number.isInteger(days) || days < 1 || days > MAX_TOKEN_DAYS) {
    throw new SlotbridgeError(ErrorCode.BAD_INPUT, `A token lives 1 to ${MAX_TOKEN_DAYS} days; ${JSON.stringify(days)} is not that.`);
  }
  const token = `${PREFIX[scope.kind]}${randomBytes(32).toString('base64url')}`;
  const id = `tok_${randomBytes(9).toString('base64url')}`;
  const expiresAt = new Date(Date.now() + days * 86_400_000);
  await db
    .insertInto('tokens')
    .values({
      id,
      kind: scope.kind,
      hash: hashToken(token),
      namespace: scope.namespace,
      app: scope.app,
      description,
      created_by: by,
      expires_at: expiresAt,
    })
    .execute();
  return { ...scope, id, token, expiresAt };
}

/** The scope of a token that is well-formed, known, not revoked and not expired; `UNAUTHORIZED` saying which it is not. */
export async function verifyToken(db: Kysely<Tables>, token: string): Promise<TokenScope & { id: string }> {
  if (!TOKEN_SHAPE.test(token))
    throw new SlotbridgeError(
      ErrorCode.UNAUTHORIZED,
      'That is not a slotbridge token (sbp_… or sbr_…); make one with slotbridge token create.',
    );
  const hash = hashToken(token);
  // A live token is marked used and read in one statement; only a refused one is read again, to say why.
  const live = await db
    .updateTable('tokens')
    .set({ last_used_at: new Date() })
    .where('hash', '=', hash)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', new Date())
    .returningAll()
    .executeTakeFirst();
  if (live) return { id: live.id, kind: live.kind, namespace: live.namespace ?? '', app: live.app };
  const row = await db.selectFrom('tokens').selectAll().where('hash', '=', hash).executeTakeFirst();
  if (!row)
    throw new SlotbridgeError(ErrorCode.UNAUTHORIZED, 'This token is not known to this registry; make one with slotbridge token create.');
  if (row.revoked_at)
    throw new SlotbridgeError(ErrorCode.UNAUTHORIZED, `Token ${row.id} was revoked; make a new one with slotbridge token create.`);
  throw new SlotbridgeError(
    ErrorCode.UNAUTHORIZED,
    `Token ${row.id} expired on ${row.expires_at.toISOString()}; make a new one with slotbridge token create.`,
  );
}

/** Revokes a token by id; `APP_NOT_FOUND`-like `BAD_INPUT` when there is none in `namespaces`. */
export async function revokeToken(db: Kysely<Tables>, id: string, namespaces: readonly string[] | 'all'): Promise<void> {
  let query = db.updateTable('tokens').set({ revoked_at: new Date() }).where('id', '=', id).where('revoked_at', 'is', null);
  if (namespaces !== 'all') query = query.where('namespace', 'in', namespaces.length > 0 ? [...namespaces] : ['']);
  const result = await query.executeTakeFirst();
  if (result.numUpdatedRows === 0n) throw new SlotbridgeError(ErrorCode.BAD_INPUT, `No live token ${id} that you may revoke.`);
}
