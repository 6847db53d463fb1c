/**
 * Publish and runner tokens are made and revoked by an org admin, for a
 * namespace of the admin's org (made on first use) or one app in it.
 */
import { ErrorCode } from '../../src/errors/error-code.js';
import { SlotbridgeError } from '../../src/errors/slotbridge-error.js';
import { createToken, revokeToken, type NewToken, type TokenKind } from '../auth/tokens.js';
import { actorOf, type Caller } from '../http/caller.js';
import { record, type RegistryContext } from './context.js';
import { checkSlug } from './names.js';

export async function makeToken(
  ctx: RegistryContext,
  caller: Caller,
  request: {
    namespace: string;
    app?: string | undefined;
    days?: number | undefined;
    kind?: TokenKind | undefined;
    description?: string | undefined;
  },
): Promise<NewToken> {
  if (caller.kind !== 'user' || caller.user.role !== 'admin')
    throw new SlotbridgeError(ErrorCode.FORBIDDEN, 'Only an org admin makes tokens.');
  const { user } = caller;
  checkSlug('namespace', request.namespace);
  if (request.app !== undefined) checkSlug('app', request.app);
  return ctx.database.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('namespaces')
      .values({ name: request.namespace, org: user.org })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    const namespace = await trx.selectFrom('namespaces').select('org').where('name', '=', request.namespace).executeTakeFirstOrThrow();
    if (namespace.org !== user.org)
      throw new SlotbridgeError(ErrorCode.FORBIDDEN, `The namespace ${request.namespace} belongs to another org.`);
    if (request.app !== undefined) {
      const app = await trx.selectFrom('apps').select('namespace').where('name', '=', request.app).executeTakeFirst();
      if (app && app.namespace !== request.namespace)
        throw new SlotbridgeError(ErrorCode.FORBIDDEN, `${request.app} belongs to the namespace ${app.namespace}.`);
    }
    const token = await createToken(
      trx,
      { kind: request.kind ?? 'publish', namespace: request.namespace, app: request.app ?? null },
      actorOf(caller),
      request.days ?? 90,
      request.description ?? '',
    );
    await record(trx, undefined, [
      {
        actor: actorOf(caller),
        action: 'token create',
        subject: token.id,
        details: { kind: token.kind, namespace: token.namespace, app: token.app, expiresAt: token.expiresAt.toISOString() },
      },
    ]);
    return token;
  });
}

export async function dropToken(ctx: RegistryContext, caller: Caller, id: string): Promise<void> {
  if (caller.kind !== 'user' || caller.user.role !== 'admin')
    throw new SlotbridgeError(ErrorCode.FORBIDDEN, 'Only an org admin revokes tokens.');
  const org = caller.user.org;
  await ctx.database.db.transaction().execute(async (trx) => {
    const namespaces = (await trx.selectFrom('namespaces').select('name').where('org', '=', org).execute()).map((n) => n.name);
    await revokeToken(trx, id, namespaces);
    await record(trx, undefined, [{ actor: actorOf(caller), action: 'token revoke', subject: id }]);
  });
}
