/**
 * Platform users: the platform's backend signs a short-lived JWT (HS256, with
 * the key the server is given) naming its user, org, projects and role; the
 * host page passes it. The server checks the signature, the expiry and the
 * claims' shape, and trusts nothing else about the caller.
 */
import { jwtVerify, SignJWT, errors } from 'jose';
import * as z from 'zod/mini';
import { ErrorCode } from '../../src/errors/error-code.js';
import { SlotbridgeError } from '../../src/errors/slotbridge-error.js';

/** Longest a user token may be valid for, from its issue to its expiry. */
export const MAX_USER_TOKEN_SECONDS = 24 * 3600;

const Claims = z.object({
  sub: z.string().check(z.minLength(1), z.maxLength(200)),
  name: z.optional(z.string().check(z.maxLength(200))),
  org: z.string().check(z.minLength(1), z.maxLength(200)),
  projects: z.array(z.string().check(z.minLength(1), z.maxLength(200))).check(z.maxLength(10_000)),
  role: z.enum(['member', 'admin']),
  iat: z.number(),
  exp: z.number(),
});

export interface PlatformUser {
  id: string;
  name: string | undefined;
  org: string;
  projects: readonly string[];
  role: 'member' | 'admin';
}

export function userKeyOf(secret: string): Uint8Array {
  if (typeof secret !== 'string' || secret.length < 32) {
    throw new SlotbridgeError(
      ErrorCode.BAD_INPUT,
      'auth.userKey is the secret the platform signs user tokens with: at least 32 characters.',
    );
  }
  return new TextEncoder().encode(secret);
}

export async function verifyUserToken(token: string, key: Uint8Array): Promise<PlatformUser> {
  let payload: unknown;
  try {
    ({ payload } = await jwtVerify(token, key, { algorithms: ['HS256'], requiredClaims: ['exp', 'iat', 'sub'] }));
  } catch (err) {
    const why =
      err instanceof errors.JWTExpired
        ? 'it expired'
        : err instanceof errors.JWSSignatureVerificationFailed
          ? "its signature does not match this registry's key"
          : 'it is not a valid token';
    throw new SlotbridgeError(ErrorCode.UNAUTHORIZED, `The user token was refused: ${why}. The platform signs a new one for its user.`);
  }
  const claims = Claims.safeParse(payload);
  if (!claims.success)
    throw new SlotbridgeError(
      ErrorCode.UNAUTHORIZED,
      'The user token lacks sub, org, projects or role (member or admin); the platform signs them all.',
    );
  const { sub, name, org, projects, role, iat, exp } = claims.data;
  if (exp - iat > MAX_USER_TOKEN_SECONDS)
    throw new SlotbridgeError(
      ErrorCode.UNAUTHORIZED,
      `A user token may be valid for at most ${MAX_USER_TOKEN_SECONDS / 3600} hours; sign shorter ones.`,
    );
  return { id: sub, name, org, projects, role };
}

/** Signs a user token: for the platform's backend, the demo and the CLI's admin calls. */
export function signUserToken(user: PlatformUser, key: Uint8Array, seconds = 3600): Promise<string> {
  return new SignJWT({ ...(user.name ? { name: user.name } : {}), org: user.org, projects: [...user.projects], role: user.role })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(user.id)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + seconds)
    .sign(key);
}
