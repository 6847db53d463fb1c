/** What a guest page gets from `connect()`: its context and the host's namespaces. */
import type { Listener } from './listeners.js';
import type { ApiDefinition, GuestApi } from '../bridge/define-api.js';
import type { Execution } from '../bridge/execution.js';
import type { AppSettings } from '../wizard/app-settings.js';
import type { ArtifactRecord } from '../registry/types.js';

export interface GuestContext {
  app: string;
  panel: string;
  slot: string;
  project: string;
  user: { id: string; name?: string; [key: string]: unknown };
  theme: 'light' | 'dark';
  locale: string;
  [key: string]: unknown;
}

export interface GuestHost<TApi extends ApiDefinition = ApiDefinition> {
  /** App, panel, slot, project, user, theme, locale and the slot's own context; kept current. */
  readonly context: GuestContext;
  /** The platform's calls, typed from the host's `defineApi`. */
  readonly api: GuestApi<TApi>;
  readonly ui: {
    notify(notification: { message: string; level?: 'info' | 'success' | 'warning' | 'error' }): Promise<void>;
    openPanel(panel: string, options?: { slot?: 'floatingWindow' | 'dialog'; context?: Record<string, unknown> }): Promise<void>;
    close(): Promise<void>;
    resize(size: { height: number }): Promise<void>;
  };
  readonly settings: {
    /** The saved settings, by target: `{ hyperparams: { <section>: { <name>: value } }, configuration: { <name>: value } }`. */
    get(): Promise<AppSettings>;
    /** Sets one setting of this app (`configuration.<name>` or `hyperparams.<section>.<name>`), e.g. a result the dashboard shows. */
    set(path: string, value: unknown): Promise<void>;
  };
  readonly storage: {
    get<T = unknown>(key: string): Promise<T | undefined>;
    set(key: string, value: unknown): Promise<void>;
    remove(key: string): Promise<void>;
    keys(): Promise<string[]>;
  };
  readonly report: {
    scalar(metric: string, variant: string, iteration: number, value: number): Promise<void>;
    log(text: string): Promise<void>;
    plot(metric: string, variant: string, figure: unknown): Promise<void>;
    image(metric: string, variant: string, iteration: number, url: string): Promise<void>;
  };
  readonly events: { emit(name: string, payload?: unknown): Promise<void> };
  readonly functions: { execute(fn: string, inputs?: Record<string, unknown>): Promise<Execution> };
  /** This app's stored artifacts in the current project (function outputs of `Artifact:<type>` types). */
  readonly artifacts: {
    list(filter?: { execution?: string }): Promise<ArtifactRecord[]>;
    /** An artifact's bytes (a JSON artifact's are its UTF-8 JSON text); `ARTIFACT_NOT_FOUND` for one that is not this app's. */
    read(id: string): Promise<Uint8Array>;
  };
  on(event: string, fn: Listener): this;
  off(event: string, fn?: Listener): this;
  once(event: string, fn: Listener): this;
  /** Whether this frame may call `namespace.method`; no round trip. */
  supports(method: string): boolean;
  /** Disconnects from the host and stops auto-resize. */
  destroy(): void;
}
