/**
 * The shape of every penpal message the host accepts from a frame. Penpal
 * itself only checks the namespace and channel; a malformed CALL (say, a
 * `methodPath` that is not a list) would throw inside it, so messages are
 * parsed here first and dropped when they do not fit.
 */
import * as z from 'zod/mini';
import type { Message } from 'penpal';

/**
 * Most arguments a penpal call to the host may carry (`hello(request)`,
 * `call(method, args)`, `bye()`). Penpal spreads them into the method, so a
 * list's length, which costs its sender a few bytes, is bounded first.
 */
export const MAX_CALL_ARGS = 4;

const base = { namespace: z.literal('penpal'), channel: z.string() };

export const PenpalMessage = z.discriminatedUnion('type', [
  z.object({ ...base, type: z.literal('SYN'), participantId: z.string().check(z.maxLength(100)) }),
  z.object({ ...base, type: z.literal('ACK1'), methodPaths: z.array(z.array(z.string())) }),
  z.object({ ...base, type: z.literal('ACK2') }),
  z.object({
    ...base,
    type: z.literal('CALL'),
    id: z.string().check(z.maxLength(100)),
    methodPath: z.array(z.string()).check(z.maxLength(4)),
    args: z.array(z.unknown()).check(z.maxLength(MAX_CALL_ARGS)),
  }),
  z.object({
    ...base,
    type: z.literal('REPLY'),
    callId: z.string(),
    value: z.unknown(),
    isError: z.optional(z.boolean()),
    isSerializedErrorInstance: z.optional(z.boolean()),
  }),
  z.object({ ...base, type: z.literal('DESTROY') }),
]);

export function parsePenpalMessage(data: unknown, channel: string): Message | undefined {
  // Cheap checks first: most stray messages on a page are not penpal's at all.
  if (typeof data !== 'object' || data === null) return undefined;
  const candidate = data as { namespace?: unknown; channel?: unknown };
  if (candidate.namespace !== 'penpal' || candidate.channel !== channel) return undefined;
  if (isWellFormedCall(data)) return data;
  const parsed = PenpalMessage.safeParse(data);
  return parsed.success ? (data as Message) : undefined;
}

/**
 * The hot path: a CALL exactly as the schema above wants it, checked by hand
 * (a call is the message a busy guest sends most). A test holds it to the
 * schema: it never accepts what the schema refuses.
 */
export function isWellFormedCall(data: object): data is Message {
  const m = data as { type?: unknown; id?: unknown; methodPath?: unknown; args?: unknown };
  if (m.type !== 'CALL' || typeof m.id !== 'string' || m.id.length > 100 || !Array.isArray(m.args) || m.args.length > MAX_CALL_ARGS)
    return false;
  const path = m.methodPath;
  if (!Array.isArray(path) || path.length > 4) return false;
  for (let i = 0; i < path.length; i++) if (typeof path[i] !== 'string') return false;
  return true;
}
