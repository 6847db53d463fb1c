/** What a guest page gets from `connect()`: its context and the host's namespaces. */
import type { Listener } from './listeners.js';
import type { ApiDefinition, GuestApi } from '../bridge/define-api.js';
import type { BuiltinApi } from '../builtins/builtin-api.js';

/** What the guest calls of the built-ins: the SDK wraps `context.get` (`host.context`), `report.batch` (`host.report`) and the events' subscriptions (`host.on`). */
type Builtins = GuestApi<BuiltinApi>;

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
  /** The built-ins, typed from their declaration (`builtins/builtin-api.ts`). */
  readonly ui: Builtins['ui'];
  readonly settings: Builtins['settings'];
  readonly storage: Omit<Builtins['storage'], 'get'> & {
    /** This app's value under `key` in the project, or undefined. */
    get<T = unknown>(key: string): Promise<T | undefined>;
  };
  readonly report: {
    scalar(metric: string, variant: string, iteration: number, value: number): Promise<void>;
    log(text: string): Promise<void>;
    plot(metric: string, variant: string, figure: unknown): Promise<void>;
    image(metric: string, variant: string, iteration: number, url: string): Promise<void>;
  };
  /** An event's subscription is `host.on`. */
  readonly events: Pick<Builtins['events'], 'emit'>;
  readonly functions: Builtins['functions'];
  readonly artifacts: Builtins['artifacts'];
  on(event: string, fn: Listener): this;
  off(event: string, fn?: Listener): this;
  once(event: string, fn: Listener): this;
  /** Whether this frame may call `namespace.method`; no round trip. */
  supports(method: string): boolean;
  /** Disconnects from the host and stops auto-resize. */
  destroy(): void;
}
