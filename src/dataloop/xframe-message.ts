/**
 * The messages of Dataloop's xFrame protocol (`@dataloop-ai/jssdk`), as the
 * host accepts them from a panel: parsed by a schema before anything reads
 * them, every string bounded. What a message carries (`data`) is parsed at
 * the level the host reads it, and no deeper: the router bounds a call's
 * arguments before anything walks them.
 */
import * as z from 'zod/mini';

const Id = z.string().check(z.maxLength(100));

/** The envelope: `{ xFrame: true, id, type, data, sync, error, message, responseId, channelId, ... }`. */
export const XFrameMessage = z.looseObject({
  xFrame: z.literal(true),
  id: Id,
  type: z.enum(['join', 'request', 'response', 'unknown']),
  data: z.optional(z.unknown()),
  sync: z.optional(z.nullable(z.boolean())),
  error: z.optional(z.nullable(z.unknown())),
  message: z.optional(z.nullable(z.unknown())),
  responseId: z.optional(z.nullable(Id)),
  channelId: z.optional(z.nullable(Id)),
});
export type XFrameMessage = z.infer<typeof XFrameMessage>;

/** A request's `data`: the guest agent's message. */
export const AgentMessage = z.looseObject({
  type: z.enum(['unknown', 'init', 'ready', 'app', 'code', 'rpc', 'event', 'navigation']),
  data: z.optional(z.unknown()),
});

const Name = z.string().check(z.minLength(1), z.maxLength(64), z.regex(/^[A-Za-z_$][A-Za-z0-9_$]*$/));

/** An `app` message's `data`: a CRUD request, `scope.crud` with its data and options. */
export const CrudRequest = z.looseObject({
  scope: Name,
  crud: Name,
  data: z.optional(z.unknown()),
  options: z.optional(z.unknown()),
});

/** The host event that carries a CRUD change to Dataloop panels (their `dl.on('data')`). */
export const DATA_EVENT = 'data';

/** What the platform emits as `data`: `{ scope, crud, data }`, crud one of the jssdk's `CrudEvent`s. */
export const DataChange = z.object({
  scope: Name,
  crud: z.enum(['created', 'updated', 'deleted']),
  data: z.optional(z.unknown()),
});

/** An `event` message's `data`: `{ name, payload }`. */
export const EventData = z.looseObject({
  name: z.string().check(z.minLength(1), z.maxLength(128)),
  payload: z.optional(z.unknown()),
});

export function parseXFrame(data: unknown): XFrameMessage | undefined {
  const parsed = XFrameMessage.safeParse(data);
  return parsed.success ? parsed.data : undefined;
}
