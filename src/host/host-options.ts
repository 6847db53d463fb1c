/** The options of `createHost`, their defaults, and the checks they pass first. */
import { ErrorCode } from '../errors/error-code.js';
import { SlotbridgeError } from '../errors/slotbridge-error.js';
import { isName, isObject, type Untrusted } from '../errors/untrusted.js';
import type { BridgeAdapter } from '../bridge/adapter.js';
import { BRIDGE_NAME, NATIVE_BRIDGE } from '../manifest/vocabulary.js';
import type { ApiDefinition, UserInfo } from '../bridge/define-api.js';
import type { FunctionExecutor } from '../bridge/execution.js';
import type { LogSink } from '../bridge/call-log.js';
import type { RegistryStore } from '../registry/store/registry-store.js';
import type { ReportLimits } from '../registry/types.js';
import { pythonIndexUrl, type PythonOptions } from './python-modules.js';
import { REAL_ORIGIN_TOKENS, realOriginBarred } from './sandbox.js';

export type Theme = 'light' | 'dark';

export interface HostOptions<A extends ApiDefinition = ApiDefinition> {
  /** The current project: apps installed in it fill the slots. */
  project: string;
  /** The signed-in user, as guests see it in their context. */
  user: UserInfo;
  theme?: Theme;
  locale?: string;
  /** Platform SDK calls exposed to extensions, from `defineApi`. */
  api?: A;
  /**
   * Wizard dropdown sources: `{ project: () => [...], dataset: ... }`. Each
   * returns records; the manifest's `display_field`, `value_field` and filter
   * pick from them.
   */
  sources?: Record<string, (query: { app: string; project: string }) => unknown[] | Promise<unknown[]>>;
  /** The platform's executor for server-side modules (Dataloop modules with an `entryPoint`); default: the registry service's queue when the registry is `remoteRegistry`. */
  functions?: FunctionExecutor;
  timeouts?: {
    /** From mounting a frame to the guest's hello, ms. Default 10,000. */
    handshake?: number;
    /** A call in either direction, ms. Default 30,000. */
    call?: number;
    /**
     * Heartbeat period, ms. Default 5,000. Every ready frame is pinged this
     * often; one that leaves a ping unanswered until the next is marked not
     * responding (`handle.responding`, the `panel:responding` event). A frame
     * whose iframe the page removed without closing it is closed at the next
     * beat, its calls failing with `CONNECTION_LOST`.
     */
    heartbeat?: number;
  };
  limits?: {
    /** Calls one frame may have in flight. Default 1,024. */
    maxInFlight?: number;
    /** Largest argument list or result, bytes. Default 64 MB. */
    maxPayload?: number;
    /** Floating windows and dialogs one app may have open when its guest calls `ui.openPanel` (`RATE_LIMITED` past it). Default 8. */
    maxWindows?: number;
    /** Bytes of artifacts one app may keep in one project (`STORAGE_FULL` past it). Default 256 MB. */
    maxArtifactBytes?: number;
    /** Bytes one app may keep in `storage` in one project (`STORAGE_FULL` past it). Default 16 MB. */
    maxStorageBytes?: number;
    /** Bytes of reports one app may keep in one project (`STORAGE_FULL` past it); also the most the page holds of them. Default 64 MB. */
    maxReportBytes?: number;
    /** Notifications one app may show in 10 seconds (`ui.notify`; `RATE_LIMITED` past it). Default 10. */
    maxNotifications?: number;
    /** Storage writes (`storage.set`, `storage.remove`) one app may make in 10 seconds (`RATE_LIMITED` past it). Default 100. */
    maxStorageWrites?: number;
    /** Events one frame may send the platform in a second, whatever its protocol (`panel:event`; past it dropped and logged `RATE_LIMITED`). Default 200. */
    maxEvents?: number;
    /** Tallest a panel mounted with `host.mount` may make itself (`ui.resize`), CSS pixels. Default 4,000, as the slot elements. */
    maxPanelHeight?: number;
  };
  /** Points kept per report series, by kind (oldest dropped first). Default: scalar and log 100,000; plot and image 100. */
  reportLimits?: Partial<ReportLimits>;
  /** Extra sandbox tokens for every frame (allowlisted; `allow-same-origin` only for frames on another origin). */
  sandbox?: string[];
  /** Checks for entity IO types (`Item`, `Dataset`...); default: an object with a string `id`. */
  entities?: Partial<Record<string, (value: unknown) => boolean>>;
  /** Where the registry keeps apps, installs, settings, storage and reports. Default: IndexedDB, database "slotbridge". */
  store?: RegistryStore;
  /**
   * The registry on a registry service: `remoteRegistry({ url, token })`.
   * `host.registry` then reads a mirror of the service that its change feed
   * keeps current, and writes through the service, which checks them again.
   * Give this or `store`, not both.
   */
  registry?: RegistryStore;
  /** Receives every bridge log entry: calls, events, state changes, refused messages. */
  log?: LogSink;
  /**
   * Protocol adapters for apps whose frames speak another protocol, by the
   * name an app's manifest gives in `bridge` (`{ dataloop: dataloopBridge(...) }`).
   * The native protocol, `"slotbridge"`, is always there.
   */
  bridges?: Record<string, BridgeAdapter>;
  /**
   * Python modules (an entryPoint ending in `.py`) run in the browser, in the
   * app's own sandbox, on Pyodide served from `indexURL` and loaded on first
   * use. Without it, they go to `functions` as any server-side module.
   */
  python?: PythonOptions;
  /**
   * What each permission lets an app do, in the platform's words
   * (`{ 'items:read': 'See your items and their metadata' }`): the
   * marketplace's consent dialog shows them beside the permissions an app asks for.
   */
  permissionDescriptions?: Record<string, string>;
}

/** Every timeout and limit, with its default where the options leave it out. */
export function resolvedLimits(options: HostOptions) {
  const { timeouts = {}, limits = {} } = options;
  return {
    handshake: timeouts.handshake ?? 10_000,
    call: timeouts.call ?? 30_000,
    heartbeat: timeouts.heartbeat ?? 5_000,
    maxInFlight: limits.maxInFlight ?? 1024,
    maxPayload: limits.maxPayload ?? 64 * 1024 * 1024,
    maxWindows: limits.maxWindows ?? 8,
    maxNotifications: limits.maxNotifications ?? 10,
    maxStorageWrites: limits.maxStorageWrites ?? 100,
    maxEvents: limits.maxEvents ?? 200,
    maxPanelHeight: limits.maxPanelHeight ?? 4000,
  };
}

/** The two themes a page may have. */
export function isTheme(value: unknown): value is Theme {
  return value === 'light' || value === 'dark';
}

export type ResolvedLimits = ReturnType<typeof resolvedLimits>;

/** `BAD_INPUT` for options `createHost` cannot work with, naming what to pass. */
export function checkOptions(given: HostOptions): void {
  // A platform's JavaScript may pass anything: each option is checked as what it is, not as what its type says.
  const options = given as Untrusted<HostOptions> | null;
  if (!isObject(options)) throw new SlotbridgeError(ErrorCode.BAD_INPUT, 'createHost needs options: { project, user, ... }.');
  if (!isName(options.project))
    throw new SlotbridgeError(ErrorCode.BAD_INPUT, 'createHost needs a project id: createHost({ project: "p1", ... }).');
  if (!isObject(options.user) || typeof (options.user as { id?: unknown }).id !== 'string')
    throw new SlotbridgeError(ErrorCode.BAD_INPUT, 'createHost needs the user: createHost({ user: { id: "u1", name: "Ada" }, ... }).');
  for (const [name, value] of Object.entries({ ...(options.timeouts as object | undefined), ...(options.limits as object | undefined) })) {
    if (value !== undefined && !(typeof value === 'number' && value > 0 && Number.isFinite(value))) {
      throw new SlotbridgeError(
        ErrorCode.BAD_INPUT,
        `${name} is a positive number of ${name.startsWith('max') ? 'calls, windows or bytes' : 'milliseconds'}.`,
      );
    }
  }
  pythonIndexUrl(given.python);
  const described = options.permissionDescriptions ?? {};
  if (!isObject(described) || Object.values(described).some((text) => typeof text !== 'string')) {
    throw new SlotbridgeError(
      ErrorCode.BAD_INPUT,
      'permissionDescriptions maps each permission to what it lets an app do: { "items:read": "See your items" }.',
    );
  }
  if (options.registry !== undefined && options.store !== undefined)
    throw new SlotbridgeError(
      ErrorCode.BAD_INPUT,
      'createHost takes a registry (a service: remoteRegistry(...)) or a store (in the page), not both.',
    );
  const bridges = options.bridges ?? {};
  if (!isObject(bridges))
    throw new SlotbridgeError(
      ErrorCode.BAD_INPUT,
      'bridges maps adapter names to adapters: createHost({ bridges: { dataloop: dataloopBridge(...) } }).',
    );
  for (const [name, value] of Object.entries(bridges)) {
    if (!BRIDGE_NAME.test(name) || name === NATIVE_BRIDGE) {
      throw new SlotbridgeError(
        ErrorCode.BAD_INPUT,
        `"${name}" cannot name a bridge adapter: use a lowercase name such as "dataloop" (and not "slotbridge", the native protocol's).`,
      );
    }
    const adapter = value as Untrusted<BridgeAdapter> | null;
    const ok = isObject(adapter) && typeof adapter.connect === 'function' && (adapter.binds === 'secret' || adapter.binds === 'load');
    if (!ok)
      throw new SlotbridgeError(
        ErrorCode.BAD_INPUT,
        `The bridge adapter "${name}" is not an adapter: it needs connect(port) and binds ("secret" or "load"); see docs/bridge.md.`,
      );
    // Checked here, not at the first mount: a host that cannot keep its promise to such panels should not start.
    const realOrigin =
      adapter.guestTrustsAnyWindow === true ? (given.sandbox ?? []).find((token) => REAL_ORIGIN_TOKENS.includes(token)) : undefined;
    if (realOrigin !== undefined) throw realOriginBarred(realOrigin, name);
  }
}
