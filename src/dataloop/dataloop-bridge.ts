/**
 * `dataloopBridge`: the adapter that runs Dataloop's panels unchanged. They
 * speak xFrame through `@dataloop-ai/jssdk`; each CRUD request `scope.crud`
 * is a call of the platform's `api` (keyed by scope and verb: `item.read`,
 * `dataset.query`...) through the host's router, with its permission,
 * argument schema, limits, timeout and log.
 */
import * as z from 'zod/mini';
import type { BridgeAdapter } from '../bridge/adapter.js';
import { type ApiDefinition, isMethod, method } from '../bridge/define-api.js';
import { ErrorCode } from '../errors/error-code.js';
import { SlotbridgeError } from '../errors/slotbridge-error.js';
import { XFrameConnection } from './xframe-connection.js';
import { DATA_EVENT, DataChange } from './xframe-message.js';
import { isObject } from '../errors/untrusted.js';

export interface DataloopBridgeOptions {
  /**
   * The platform's answers to CRUD requests, from `defineApi`, keyed by
   * xFrame scope and verb: `{ item: { read, query, update }, dataset: { ... } }`.
   * Each method takes `(data, options?)` as the panel's SDK sends them. A
   * `read` with no id (`dl.items.get()`) receives the id of the panel's
   * context entity (`context.item`, `context.dataset`, `context.project`). A
   * scope or verb left out answers `METHOD_NOT_FOUND` at once.
   */
  api?: ApiDefinition;
}

/** What every Dataloop panel may read without a permission: its settings (theme, user, locale). */
const builtins = {
  settings: {
    read: method({ input: z.tuple([z.optional(z.unknown())]) }, (_request, call) => ({
      theme: call.context['theme'],
      locale: call.context['locale'],
      currentUser: call.user.email ?? call.user.name ?? call.user.id,
      env: 'slotbridge',
    })),
  },
} satisfies ApiDefinition;

export function dataloopBridge(options: DataloopBridgeOptions = {}): BridgeAdapter {
  const api = options.api ?? {};
  if (!isObject(api))
    throw new SlotbridgeError(ErrorCode.BAD_INPUT, 'dataloopBridge({ api }) takes a defineApi() keyed by xFrame scope and verb.');
  for (const [scope, verbs] of Object.entries(api)) {
    if (Object.hasOwn(builtins, scope))
      throw new SlotbridgeError(
        ErrorCode.BAD_INPUT,
        `"${scope}" requests are answered by slotbridge itself; leave it out of dataloopBridge({ api }).`,
      );
    for (const [verb, def] of Object.entries(isObject(verbs) ? verbs : {})) {
      if (!isMethod(def))
        throw new SlotbridgeError(ErrorCode.BAD_INPUT, `dataloopBridge: ${scope}.${verb} is not declared with method(spec, handler).`);
    }
  }
  return {
    binds: 'load',
    // The jssdk binds to whichever window with a real origin sends it a `join`, then evals that window's `code` requests.
    guestTrustsAnyWindow: true,
    api: { ...builtins, ...api },
    connect: (port) => new XFrameConnection(port),
    checkEvent(name, payload) {
      if (name === DATA_EVENT && !DataChange.safeParse(payload).success) {
        throw new SlotbridgeError(
          ErrorCode.BAD_INPUT,
          "A \"data\" event tells Dataloop panels of a CRUD change: host.emit('data', { scope: 'item', crud: 'created' | 'updated' | 'deleted', data }).",
        );
      }
    },
  };
}
