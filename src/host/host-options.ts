import type { ApiDefinition, UserInfo } from './define-api.js';
import type { FunctionExecutor } from './execution.js';
import type { LogSink } from './bridge-log.js';
import type { RegistryStore } from '../registry/store/registry-store.js';
import type { ReportLimits } from '../registry/report-book.js';

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
  /** The platform's executor for server-side modules (Dataloop modules with an `entryPoint`). */
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
  /** Receives every bridge log entry: calls, events, state changes, refused messages. */
  log?: LogSink;
}
