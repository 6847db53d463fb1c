/**
 * One xFrame connection to a Dataloop panel. The host speaks first: after
 * each load of the frame it sends one `join` with a fresh channel id, and
 * takes only messages from the frame's window, at its origin, on that
 * channel, in the protocol's shape. The panel's first message on the channel
 * (its ack of the join, or a request it sends right after the join) makes the
 * frame ready. Requests become router calls: `app` (CRUD, `scope.crud`),
 * `event` (to the platform; `app:closeDialog`, `app:setHeight` and
 * `app:toastMessage` are the window's and the notifications'),
 * `navigation`. The platform's `data` events are CRUD changes to the panels
 * that may read their scope. The host never sends `code` or `rpc`, and
 * refuses them from the panel.
 */
import type { BridgeConnection, BridgePort } from '../bridge/adapter.js';
import { ErrorCode } from '../errors/error-code.js';
import { SlotbridgeError } from '../errors/slotbridge-error.js';
import { toWireError } from '../errors/wire.js';
import { CAPABILITIES_EVENT } from '../bridge/protocol.js';
import { readTimed, tooSlowToRead } from '../bridge/message-read.js';
import { AgentMessage, CrudRequest, DATA_EVENT, DataChange, EventData, parseXFrame, type XFrameMessage } from './xframe-message.js';
import { randomUuid } from '../bridge/random-id.js';

/** Heartbeat requests a panel may leave unanswered before the oldest is forgotten. */
const MAX_PINGS = 8;

/** The scopes whose `read` with no id answers from the panel's context (the active project, dataset, item). */
const CONTEXT_SCOPES: ReadonlySet<string> = new Set(['project', 'dataset', 'item']);

export class XFrameConnection implements BridgeConnection {
  #channel = '';
  #joinId = '';
  #loads = 0;
  #answered = false;
  #destroyed = false;
  /** The scopes whose methods this panel may call now: a CRUD change reaches it only for those. */
  #scopes: ReadonlySet<string> = new Set();
  readonly #pings = new Map<string, () => void>();
  readonly #port: BridgePort;

  constructor(port: BridgePort) {
    this.#port = port;
  }

  /** Each load is a new document: a new channel, one join. */
  loaded(): void {
    if (this.#destroyed) return;
    if (this.#loads++ > 0) this.#port.reset('navigated');
    this.#channel = randomUuid();
    this.#joinId = randomUuid();
    this.#answered = false;
    this.#pings.clear();
    this.#post({ id: this.#joinId, type: 'join', sync: true, data: {} });
  }

  receive(event: MessageEvent): void {
    if (this.#destroyed) return;
    const port = this.#port;
    if (event.origin !== port.origin) {
      port.rejected(`message from origin ${event.origin}, expected ${port.origin}`);
      return;
    }
    const read = readTimed(event);
    if (read.slow) {
      this.destroy();
      port.fail(tooSlowToRead(read.slow));
      return;
    }
    const message = parseXFrame(read.data);
    if (!message) {
      port.rejected('not an xFrame message, or a malformed one');
      return;
    }
    if (!this.#channel || message.channelId !== this.#channel) {
      port.rejected("xFrame message on another channel than this load's");
      return;
    }
    if (!this.#answered) {
      this.#answered = true;
      this.#scopes = scopesOf(port.connected({ events: 'all' }).capabilities);
    }
    if (message.type === 'response') {
      this.#settle(message);
      return;
    }
    if (message.type === 'request') return void this.#request(message);
    port.rejected(`xFrame ${message.type} from a panel`);
  }

  /** An event the platform sends: `{ type: 'event', data: { name, payload } }`, one way. */
  send(name: string, payload: unknown): void {
    if (name === CAPABILITIES_EVENT && Array.isArray(payload)) this.#scopes = scopesOf(payload);
    if (name.startsWith('sb:') || name === 'context') return;
    if (name === DATA_EVENT) {
      this.#change(payload);
      return;
    }
    this.#post({
      id: randomUuid(),
      type: 'request',
      sync: false,
      data: { type: 'event', data: { name, payload }, source: { agentId: 'slotbridge' } },
    });
  }

  /** A CRUD change (`{ scope, crud, data }`), as an `app` message the jssdk hands to `dl.on('data')`; only to a panel that may read the scope. */
  #change(payload: unknown): void {
    const change = DataChange.safeParse(payload);
    if (!change.success || !this.#scopes.has(change.data.scope)) return;
    this.#post({
      id: randomUuid(),
      type: 'request',
      sync: false,
      data: { type: 'app', data: change.data, source: { agentId: 'slotbridge' } },
    });
  }

  /** A sync request with empty data: the jssdk acks it and hands nothing to the panel. */
  ping(): Promise<unknown> | undefined {
    if (!this.#answered) return undefined;
    const id = randomUuid();
    if (this.#pings.size >= MAX_PINGS) this.#pings.delete(this.#pings.keys().next().value!);
    const answered = new Promise<void>((resolve) => this.#pings.set(id, resolve));
    this.#post({ id, type: 'request', sync: true, data: {} });
    return answered;
  }

  destroy(): void {
    this.#destroyed = true;
    this.#pings.clear();
  }

  #settle(message: XFrameMessage): void {
    const id = message.responseId;
    if (typeof id !== 'string' || id === this.#joinId) return;
    const answered = this.#pings.get(id);
    // A response to nothing this connection sent is ignored.
    if (!answered) return;
    this.#pings.delete(id);
    answered();
  }

  async #request(message: XFrameMessage): Promise<void> {
    const agent = AgentMessage.safeParse(message.data);
    let result: unknown = null;
    try {
      if (!agent.success) throw new SlotbridgeError(ErrorCode.INVALID_ARGUMENTS, 'The request is not a message of the xFrame agent.');
      const { type, data } = agent.data;
      if (type === 'app') result = await this.#crud(data);
      else if (type === 'event') await this.#event(data);
      else if (type === 'navigation') this.#port.emit('navigation', data);
      else throw new SlotbridgeError(ErrorCode.METHOD_NOT_FOUND, `This host takes no "${type}" requests from a panel.`);
    } catch (err) {
      if (message.sync) this.#respond(message.id, null, toWireError(err));
      return;
    }
    if (message.sync) this.#respond(message.id, result ?? null);
  }

  /** `scope.crud` through the router, with the request's data (and options). */
  #crud(data: unknown): unknown {
    const request = CrudRequest.safeParse(data);
    if (!request.success) throw new SlotbridgeError(ErrorCode.INVALID_ARGUMENTS, 'A CRUD request is { scope, crud, data, options }.');
    const { scope, crud, options } = request.data;
    let payload = request.data.data;
    // `dl.projects.get()` sends no data, `dl.items.get()` sends `{ id: undefined, options }`: both mean the active one.
    if (crud === 'read' && CONTEXT_SCOPES.has(scope)) {
      if (payload == null) payload = this.#fromContext(scope);
      // The message is this page's own clone: setting one key costs nothing, where a copy would walk what the guest sent before the router bounds it.
      else if (isRecord(payload) && payload['id'] == null) payload['id'] = this.#fromContext(scope);
    }
    return this.#port.call(`${scope}.${crud}`, options === undefined ? [payload] : [payload, options]);
  }

  async #event(data: unknown): Promise<void> {
    const event = EventData.safeParse(data);
    if (!event.success) throw new SlotbridgeError(ErrorCode.INVALID_ARGUMENTS, 'An event is { name, payload }.');
    const { name, payload } = event.data;
    if (name === 'app:closeDialog') await this.#port.call('ui.close', []);
    else if (name === 'app:setHeight') await this.#port.call('ui.resize', [{ height: heightOf(payload) }]);
    else if (name === 'app:toastMessage') await this.#port.call('ui.notify', [toastOf(payload)]);
    else this.#port.emit(name, payload);
  }

  /** The id of the active project, dataset or item, as the panel's context names it. */
  #fromContext(scope: string): unknown {
    const context = this.#port.context();
    const value = context[scope] ?? context[`${scope}Id`];
    if (typeof value === 'string') return value;
    const id = (value as { id?: unknown } | null | undefined)?.id;
    return typeof id === 'string' ? id : undefined;
  }

  #respond(responseId: string, data: unknown, error?: { code: string; message: string }): void {
    this.#post({
      id: randomUuid(),
      type: 'response',
      sync: false,
      responseId,
      data,
      ...(error ? { error: error.code, message: error.message } : {}),
    });
  }

  #post(message: Record<string, unknown>): void {
    const { origin } = this.#port;
    const envelope = {
      xFrame: true,
      error: null,
      message: null,
      responseId: null,
      ...message,
      channelId: this.#channel,
      sentTime: Date.now(),
      timeout: 1800,
    };
    try {
      this.#port.window()?.postMessage(envelope, origin === 'null' ? '*' : origin);
    } catch (err) {
      // A payload that cannot be cloned fails the send, as the native adapter's does.
      if (err instanceof DOMException && err.name === 'DataCloneError') throw err;
    }
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `item.read`, `item.query`... make `item`. */
function scopesOf(capabilities: readonly unknown[]): Set<string> {
  return new Set(capabilities.filter((c): c is string => typeof c === 'string' && c.includes('.')).map((c) => c.slice(0, c.indexOf('.'))));
}

/** `app:toastMessage`: a text, or `{ message, type }` with the type one of info, warning, error, success (the router checks both). */
function toastOf(payload: unknown): unknown {
  if (!isRecord(payload)) return { message: payload };
  const level = payload['type'] ?? payload['level'];
  return level === undefined ? { message: payload['message'] } : { message: payload['message'], level };
}

function heightOf(payload: unknown): number {
  const height = typeof payload === 'number' ? payload : Number((payload as { height?: unknown } | null)?.height);
  return Number.isFinite(height) && height >= 0 ? Math.min(height, 100_000) : 0;
}
