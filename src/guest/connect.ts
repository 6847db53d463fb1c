/**
 * `connect`: what an extension page calls to reach its host. Reads its
 * handshake data from the URL fragment the host gave it, connects with
 * penpal, says hello, and returns the typed host object.
 */
import { CallOptions, connect as penpalConnect, type Messenger, PortMessenger, WindowMessenger } from 'penpal';
import { ErrorCode } from '../errors/error-code.js';
import { SlotbridgeError } from '../errors/slotbridge-error.js';
import {
  BUILTIN_METHODS,
  type BuiltinMethods,
  CAPABILITIES_EVENT,
  FRAGMENT_ORIGIN,
  FRAGMENT_SECRET,
  type HelloResponse,
  PROTOCOL_VERSION,
} from '../bridge/protocol.js';
import type { ApiDefinition } from '../bridge/define-api.js';
import type { GuestContext, GuestHost } from './guest-host.js';
import { releaseIdleDeadlines, withTimeout } from '../bridge/deadlines.js';
import type { HostHandshake } from '../bridge/native/handshake.js';
import { GuestLink, type GuestSide } from '../bridge/native/guest-link.js';
import { autoResize } from './auto-resize.js';
import { type Listener, Listeners, type OnceListener } from './listeners.js';
import { reportMethods } from './report-batcher.js';
import { fromWireError, handshakeTimeout } from '../errors/wire.js';

/** A function a module registers: it receives its inputs by name. */
// An author destructures what the manifest declares; the host checked it against the declared types first.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type GuestFunction = (inputs: Record<string, any>) => unknown;

export interface ConnectOptions {
  /** Functions this page provides (a module's functions). */
  functions?: Record<string, GuestFunction>;
  /** Keep the host told of this page's height. */
  autoResize?: boolean;
  /** Handshake timeout, ms. Default 10,000. */
  timeout?: number;
  /** Timeout of each call, ms. Default 30,000. */
  callTimeout?: number;
  /** A MessagePort to the host instead of the parent window (createMockHost gives one). */
  port?: MessagePort;
}

/**
 * The built-ins the SDK offers as `host.<namespace>.<method>()`: all but what
 * it wraps itself (`context.get` is `host.context`, `report.batch` the
 * report batcher, an event's subscription `host.on`).
 */
const BUILTINS: Readonly<Record<string, readonly string[]>> = {
  ui: BUILTIN_METHODS.ui,
  settings: BUILTIN_METHODS.settings,
  storage: BUILTIN_METHODS.storage,
  events: ['emit'] satisfies BuiltinMethods['events'][number][],
  functions: BUILTIN_METHODS.functions,
  artifacts: BUILTIN_METHODS.artifacts,
};

/** Connects this page to its slotbridge host. */
export async function connect<TApi extends ApiDefinition = ApiDefinition>(options: ConnectOptions = {}): Promise<GuestHost<TApi>> {
  let messenger: Messenger;
  let channel: string | undefined;
  if (options.port) {
    messenger = new PortMessenger({ port: options.port });
  } else if (typeof window === 'undefined') {
    // Node, a worker, a test runner's process: there is no host to wait for.
    throw new SlotbridgeError(
      ErrorCode.PROTOCOL_MISMATCH,
      "connect() reaches its host from a page the host opened in a frame; this code runs outside any page. In tests, pass a mock host's port: connect({ port: createMockHost().port }) (slotbridge/guest/testing).",
    );
  } else {
    const params = new URLSearchParams(location.hash.slice(1));
    channel = params.get(FRAGMENT_SECRET) ?? undefined;
    const origin = params.get(FRAGMENT_ORIGIN);
    if (!channel || !origin || window.parent === window) {
      throw new SlotbridgeError(
        ErrorCode.PROTOCOL_MISMATCH,
        'This page was not opened by a slotbridge host (no handshake data in its URL). Open it through the host, or use createMockHost in tests.',
      );
    }
    messenger = new WindowMessenger({ remoteWindow: window.parent, allowedOrigins: [origin] });
  }
  return connectThrough<TApi>(messenger, channel, options);
}

/**
 * Connects through a given penpal messenger, on `channel` (the frame's
 * secret). Not public: the Python module worker connects so, its handshake
 * relayed by its frame's page.
 */
export async function connectThrough<TApi extends ApiDefinition = ApiDefinition>(
  messenger: Messenger,
  channel: string | undefined,
  options: ConnectOptions,
): Promise<GuestHost<TApi>> {
  const timeout = options.timeout ?? 10_000;
  const callTimeout = options.callTimeout ?? 30_000;
  const functions = options.functions ?? {};
  const listeners = new Listeners();

  let context = {} as GuestContext;
  // True once the context changed after connect() resolved: a `context` listener added later gets it then.
  let contextChanged = false;
  let settled = false;
  let capabilities = new Set<string>();
  const side: GuestSide = {
    event(name, payload) {
      if (name === 'context') {
        context = payload as GuestContext;
        contextChanged = settled;
      } else if (name === CAPABILITIES_EVENT && Array.isArray(payload)) capabilities = new Set(payload as string[]);
      listeners.emit(name, payload);
    },
    async invoke(name, inputs) {
      if (typeof name !== 'string' || !Object.hasOwn(functions, name)) {
        throw new SlotbridgeError(ErrorCode.FUNCTION_NOT_FOUND, `This page registers no function "${String(name)}".`);
      }
      return await functions[name](inputs as Record<string, unknown>);
    },
  };

  // Penpal carries the handshake alone: its one call hands the host a port of this page's own, on which
  // everything after travels in slotbridge's protocol (bridge/native/port-messages.ts).
  const connection = penpalConnect<HostHandshake>({ messenger, timeout, ...(channel ? { channel } : {}) });
  const { port1, port2 } = new MessageChannel();
  const link = new GuestLink(port1, side, callTimeout);
  let hello: HelloResponse;
  try {
    const host = await connection.promise;
    const request = { protocol: PROTOCOL_VERSION, functions: Object.keys(functions), events: [] };
    hello = await withTimeout(host.hello(request, port2, new CallOptions({ transferables: [port2] })), timeout, () =>
      handshakeTimeout(timeout),
    );
  } catch (err) {
    connection.destroy();
    link.close();
    throw fromWireError(err, 'The handshake', timeout, ErrorCode.CONNECTION_LOST);
  }
  // A host of another major refuses the hello itself (PROTOCOL_MISMATCH), so an answer is of this major.
  context = hello.context as GuestContext;
  settled = true;
  capabilities = new Set(hello.capabilities);

  const call = (method: string, args: unknown[]): Promise<unknown> => link.call(method, args);
  const namespace = (name: string, methodNames: readonly string[]) =>
    Object.fromEntries(methodNames.map((m) => [m, (...args: unknown[]) => call(`${name}.${m}`, args)]));
  // The platform api is whatever the host offers: any namespace.method, checked by the host.
  // Each namespace and method is made once (Maps, so no name reaches an object prototype).
  const namespaces = new Map<string, unknown>();
  const apiNamespace = (ns: string) => {
    const methods = new Map<string, (...args: unknown[]) => Promise<unknown>>();
    return new Proxy(Object.create(null) as object, {
      get: (_t, m) => {
        if (typeof m !== 'string') return undefined;
        let fn = methods.get(m);
        if (!fn) {
          const name = `${ns}.${m}`;
          methods.set(m, (fn = (...args: unknown[]) => call(name, args)));
        }
        return fn;
      },
    });
  };
  const api = new Proxy(Object.create(null) as object, {
    get: (_t, ns) => {
      if (typeof ns !== 'string') return undefined;
      if (!namespaces.has(ns)) namespaces.set(ns, apiNamespace(ns));
      return namespaces.get(ns);
    },
  });

  const checkListener = (event: unknown, fn: unknown): void => {
    if (typeof event !== 'string' || typeof fn !== 'function') {
      throw new SlotbridgeError(
        ErrorCode.BAD_INPUT,
        'host.on and host.once take an event name (a string) and a function to call with each event.',
      );
    }
  };
  const subscribe = (event: string, add: boolean): void => {
    // Subscribe on the first listener, unsubscribe after the last.
    if (listeners.count(event) === 0) void call(add ? 'events.subscribe' : 'events.unsubscribe', [event]).catch(() => {});
  };
  const stopResize = options.autoResize ? autoResize((height) => void call('ui.resize', [{ height }]).catch(() => {})) : undefined;
  // Tell the host this document is going, so its calls in flight fail now instead of timing out.
  const bye = (): void => link.bye();
  // Only a page has a pagehide (Node, where tests run a mock host, has no addEventListener at all).
  const page = globalThis as Partial<Pick<typeof globalThis, 'addEventListener' | 'removeEventListener'>>;
  page.addEventListener?.('pagehide', bye);

  const guest = {
    get context() {
      return context;
    },
    api,
    ...Object.fromEntries(Object.entries(BUILTINS).map(([ns, names]) => [ns, namespace(ns, names)])),
    report: reportMethods(call),
    on(event: string, fn: Listener) {
      checkListener(event, fn);
      subscribe(event, true);
      listeners.add(event, fn);
      // A change made between connect() and this listener is not missed: it gets the context as it is now.
      if (event === 'context' && contextChanged) queueMicrotask(() => listeners.count(event) && fn(context));
      return guest;
    },
    off(event: string, fn?: Listener) {
      listeners.remove(event, fn);
      subscribe(event, false);
      return guest;
    },
    once(event: string, fn: Listener) {
      checkListener(event, fn);
      subscribe(event, true);
      const first: OnceListener = Object.assign(
        (payload: unknown) => {
          listeners.remove(event, first);
          // Unsubscribe after `fn`, which may listen again: the host then stays subscribed throughout.
          try {
            fn(payload);
          } finally {
            subscribe(event, false);
          }
        },
        { listener: fn },
      );
      listeners.add(event, first);
      return guest;
    },
    supports: (method: string) => capabilities.has(method),
    destroy() {
      page.removeEventListener?.('pagehide', bye);
      stopResize?.();
      listeners.clear();
      connection.destroy();
      link.close();
      setTimeout(releaseIdleDeadlines, 0);
    },
  };
  return guest as unknown as GuestHost<TApi>;
}
