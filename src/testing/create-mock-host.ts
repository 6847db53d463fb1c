/**
 * `createMockHost`: a host in the same page, for an extension's unit tests.
 * It speaks the real protocol (penpal over a MessageChannel, hello, calls,
 * events) and runs the real router and built-ins, so a call the mock accepts
 * is a call a platform accepts, and the same errors come back.
 */
import { connect as penpalConnect, PortMessenger } from 'penpal';
import { ErrorCode } from '../errors/error-code.js';
import { SlotbridgeError } from '../errors/slotbridge-error.js';
import { ALWAYS_DELIVERED, PROTOCOL_VERSION } from '../bridge/protocol.js';
import { handshakeMethods } from '../bridge/native/handshake.js';
import { HostLink } from '../bridge/native/host-link.js';
import { fromWireError } from '../errors/wire.js';
import { withTimeout } from '../bridge/deadlines.js';
import { builtinApi } from '../builtins/builtin-api.js';
import { BridgeLog } from '../bridge/call-log.js';
import { flattenApi, type ApiDefinition } from '../bridge/define-api.js';
import type { Execution } from '../bridge/execution.js';
import type { FrameSession } from '../bridge/session.js';
import { CallRouter } from '../bridge/router.js';
import type { Manifest } from '../manifest/normalize.js';
import { NATIVE_BRIDGE } from '../manifest/vocabulary.js';
import type { ArtifactRecord } from '../registry/types.js';
import { notFound } from '../registry/artifact-shelf.js';
import { type AppSettings, normalizeSettings, parseSettingPath, writeTarget } from '../wizard/app-settings.js';

export interface MockHostOptions {
  /** Context the guest receives (app, panel, project... default to mock values). */
  context?: Record<string, unknown>;
  /** Platform api, from `defineApi` (the real one, or one made for the test). */
  api?: ApiDefinition;
  /** Permissions granted; default: every permission the api uses. */
  grant?: string[];
  /** Saved settings `settings.get()` returns (by target); `settings.set()` changes them and sends the guest a `settings` event. */
  settings?: Partial<AppSettings>;
  /** What `functions.execute` returns; default: a failed execution. */
  execute?: (fn: string, inputs: Record<string, unknown>) => Execution | Promise<Execution>;
  /** Artifacts of the app that `artifacts.list` and `artifacts.read` find. */
  artifacts?: { record: ArtifactRecord; data: Uint8Array }[];
  /** Protocol version the mock claims (to test a guest against another host version). */
  protocol?: string;
}

export interface MockHost {
  /** Pass to `connect({ port })`. */
  readonly port: MessagePort;
  /** Every `ui.notify` the guest sent. */
  readonly notifications: { message: string; level: string }[];
  /** Every `report.*` the guest sent. */
  readonly reports: { kind: string; [key: string]: unknown }[];
  /** Every `events.emit` the guest sent. */
  readonly emitted: { name: string; payload: unknown }[];
  /** Every `ui.openPanel` the guest asked for. */
  readonly openedPanels: { panel: string; options: Record<string, unknown> }[];
  /** The guest's storage. */
  readonly storage: Map<string, unknown>;
  /** Heights from `ui.resize`. */
  readonly heights: number[];
  /** Resolves once the guest said hello. */
  readonly connected: Promise<void>;
  /** Whether the guest called `ui.close()`. */
  readonly closed: boolean;
  /** Sends an event, as the host does; one the guest does not listen to yet waits until it does. */
  emit(name: string, payload?: unknown): Promise<void>;
  /** Replaces the slot context and sends the `context` event. */
  setContext(context: Record<string, unknown>): Promise<void>;
  /** Calls one of the guest's registered functions. */
  invoke(fn: string, inputs?: Record<string, unknown>): Promise<unknown>;
  destroy(): void;
}

export function createMockHost(options: MockHostOptions = {}): MockHost {
  const { port1, port2 } = new MessageChannel();
  const notifications: MockHost['notifications'] = [];
  const reports: MockHost['reports'] = [];
  const emitted: MockHost['emitted'] = [];
  const openedPanels: MockHost['openedPanels'] = [];
  const heights: number[] = [];
  const storage = new Map<string, unknown>();
  const subscriptions = new Set<string>();
  let queued: [string, unknown][] = [];
  const methods = flattenApi(options.api ?? {});
  const grant = new Set(options.grant ?? [...methods.values()].flatMap((m) => (m.spec.permission ? [m.spec.permission] : [])));
  let closed = false;
  let connectedResolve!: () => void;
  const connected = new Promise<void>((r) => (connectedResolve = r));

  const frame: FrameSession = {
    id: 'mock-frame',
    kind: 'panel',
    app: textOr(options.context?.['app'], 'mock-app'),
    panel: textOr(options.context?.['panel'], 'mock-panel'),
    slot: textOr(options.context?.['slot'], 'itemViewer'),
    project: textOr(options.context?.['project'], 'mock-project'),
    manifest: {} as Manifest,
    grant,
    context: { ...options.context },
    subscriptions,
    subscribe: (name) => {
      subscriptions.add(name);
      // Events sent before the guest listened wait for it, so a test need not race the subscription.
      const waiting = queued.filter(([n]) => n === name);
      queued = queued.filter(([n]) => n !== name);
      for (const [, payload] of waiting) void send(name, payload);
    },
    unsubscribe: (name) => subscriptions.delete(name),
    functions: new Set(),
    calls: new Set(),
    close: () => {
      closed = true;
    },
    resize: (height) => heights.push(height),
    guestContext: () => fullContext(),
  };
  const user = { id: 'mock-user', name: 'Mock User' };
  let settings = normalizeSettings(options.settings);
  const fullContext = () => ({
    user,
    theme: 'light',
    locale: 'en',
    ...frame.context,
    app: frame.app,
    panel: frame.panel,
    slot: frame.slot,
    project: frame.project,
  });
  const builtins = builtinApi({
    notify: (_f, n) => notifications.push(n),
    // As a platform's default: a guest that notifies more than this in 10 s is refused there too.
    maxNotifications: 10,
    maxStorageWrites: 100,
    openPanel: (_f, panel, opts) => openedPanels.push({ panel, options: { ...opts } }),
    settings: () => structuredClone(settings),
    setSetting: async (_f, path, value) => {
      settings = writeTarget(settings, parseSettingPath(path), value);
      void send('settings', structuredClone(settings));
    },
    storage: () => ({
      get: async (k) => structuredClone(storage.get(k)),
      keys: async () => [...storage.keys()],
      set: async (k, value) => void storage.set(k, structuredClone(value)),
      remove: async (k) => void storage.delete(k),
    }),
    emitToApp: (_f, name, payload) => emitted.push({ name, payload }),
    report: (_f, kind, entry) => void reports.push({ kind, ...entry }),
    execute: async (_f, fn, inputs) =>
      options.execute
        ? options.execute(fn, inputs)
        : Promise.reject(
            new SlotbridgeError(ErrorCode.FUNCTION_NOT_FOUND, `The mock host runs no functions; pass createMockHost({ execute }).`),
          ),
    listArtifacts: async (_f, { execution }) =>
      (options.artifacts ?? []).map((a) => structuredClone(a.record)).filter((r) => execution === undefined || r.execution === execution),
    readArtifact: async (_f, id) => {
      const found = options.artifacts?.find((a) => a.record.id === id);
      if (!found) throw notFound(id);
      return structuredClone(found.data);
    },
  });
  const router = new CallRouter(
    new Map([...flattenApi(builtins), ...methods]),
    { call: 30_000, maxInFlight: 1024, maxPayload: 64 * 1024 * 1024 },
    new BridgeLog(() => []),
    () => user,
  );

  // The host's own handshake and port code, serving this in-memory host.
  let link: HostLink | undefined;
  const handshake = handshakeMethods(
    options.protocol ?? PROTOCOL_VERSION,
    (hello, guestPort) => {
      frame.functions = new Set(hello.functions);
      for (const name of [...ALWAYS_DELIVERED, ...hello.events]) subscriptions.add(name);
      link?.close();
      const frameSide = { call: (method: unknown, args: unknown) => router.handle(frame, method, args), rejected: () => undefined };
      link = new HostLink(guestPort, frameSide, { bye: () => undefined, slow: () => undefined });
      connectedResolve();
      return { context: fullContext(), capabilities: router.capabilities(grant, NATIVE_BRIDGE) };
    },
    undefined,
    'the mock host',
  );
  const connection = penpalConnect({ messenger: new PortMessenger({ port: port1 }), methods: handshake });
  connection.promise.catch(() => undefined);

  async function send(name: string, payload: unknown): Promise<void> {
    await connected;
    if (!frame.subscriptions.has(name)) {
      if (queued.length < 1000) queued.push([name, payload]);
      return;
    }
    link!.event(name, payload);
    // The guest takes messages in order: once it answers a ping sent after the event, it has had the event.
    await withTimeout(link!.ping(), 30_000, () => new SlotbridgeError(ErrorCode.CALL_TIMEOUT, `The guest did not take the ${name} event.`));
  }

  return {
    port: port2,
    notifications,
    reports,
    emitted,
    openedPanels,
    storage,
    heights,
    connected,
    get closed() {
      return closed;
    },
    emit: (name, payload) => send(name, payload),
    setContext: (context) => {
      frame.context = { ...context };
      return send('context', fullContext());
    },
    invoke: async (fn, inputs = {}) => {
      await connected;
      try {
        return await link!.invoke(fn, inputs);
      } catch (err) {
        throw fromWireError(err, fn, 30_000, ErrorCode.EXECUTION_FAILED);
      }
    },
    destroy: () => {
      link?.close();
      connection.destroy();
      port1.close();
    },
  };
}

/** A context's string, or what the mock uses without one. */
function textOr(value: unknown, otherwise: string): string {
  return typeof value === 'string' ? value : otherwise;
}
