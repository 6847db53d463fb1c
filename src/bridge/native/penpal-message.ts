/**
 * The shape of every penpal message the host accepts from a frame. Penpal
 * itself only checks the namespace and channel; a malformed CALL (say, a
 * `methodPath` that is not a list) would throw inside it, so messages are
 * parsed here first and dropped when they do not fit.
 */
import * as z from 'zod/mini';
import type { Message } from 'penpal';

/**
 * Most arguments a penpal call to the host may carry (`hello(request,
 * port)`). Penpal spreads them into the method, so a list's length, which
 * costs its sender a few bytes, is bounded first.
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

/** The participant of a SYN on `channel` (a document starting its handshake), else undefined. */
export function synParticipant(data: unknown, channel: string): string | undefined {
  const m = data as { namespace?: unknown; type?: unknown; channel?: unknown; participantId?: unknown } | null;
  return typeof m === 'object' &&
    m !== null &&
    m.namespace === 'penpal' &&
    m.type === 'SYN' &&
    m.channel === channel &&
    typeof m.participantId === 'string'
    ? m.participantId
    : undefined;
}

/** Whether `data` is one of penpal's handshake messages (the only ones a Python module's page relays, either way). */
export function isHandshake(data: unknown): data is Message {
  const type = (data as { type?: unknown } | null)?.type;
  return (
    typeof data === 'object' &&
    data !== null &&
    (data as { namespace?: unknown }).namespace === 'penpal' &&
    (type === 'SYN' || type === 'ACK1' || type === 'ACK2')
  );
}

export function parsePenpalMessage(data: unknown, channel: string): Message | undefined {
  // Cheap checks first: most stray messages on a page are not penpal's at all.
  if (typeof data !== 'object' || data === null) return undefined;
  const candidate = data as { namespace?: unknown; channel?: unknown };
  if (candidate.namespace !== 'penpal' || candidate.channel !== channel) return undefined;
  const parsed = PenpalMessage.safeParse(data);
  return parsed.success ? (data as Message) : undefined;
}
