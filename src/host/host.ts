/**
 * `createHost`: the runtime on the platform page. It composes the registry,
 * the frame pool, the one window listener the frames share (`WindowHub`),
 * the router their calls go through, the protocol adapters, and the function
 * runner; it implements none of them.
 */
import { ErrorCode } from '../errors/error-code.js';
import { SlotbridgeError } from '../errors/slotbridge-error.js';
import type { BridgeAdapter } from '../bridge/adapter.js';
import { BridgeLog, type LogSink } from '../bridge/call-log.js';
import { releaseIdleDeadlines } from '../bridge/deadlines.js';
import { addAdapterApi, type ApiDefinition, flattenApi, type MethodDefinition, type UserInfo } from '../bridge/define-api.js';
import type { Execution, ExecutionStage } from '../bridge/execution.js';
import { nativeBridge } from '../bridge/native/native-bridge.js';
import { CallRouter } from '../bridge/router.js';
import { resolveUrl } from '../manifest/urls.js';
import { NATIVE_BRIDGE } from '../manifest/vocabulary.js';
import type { ArtifactShelf } from '../registry/artifact-shelf.js';
import { Registry } from '../registry/registry.js';
import { IndexedDbStore } from '../registry/store/indexeddb-store.js';
import type { ChoiceOption } from '../wizard/choices.js';
import { FramePool } from './frame-pool.js';
import { type HostEvents, HostEventBus } from './host-events.js';
import { checkOptions, type HostOptions, isTheme, resolvedLimits, type Theme } from './host-options.js';
import { Grants } from './grants.js';
import { GuestContext } from './guest-context.js';
import { installedApp, panelOf, slotOf } from './installed-app.js';
import { OnDemand } from './on-demand.js';
import type { PanelHandle } from './panel-handle.js';
import { type PanelOpener, PanelOpeners } from './panel-openers.js';
import { isName } from '../errors/untrusted.js';

export interface MountOptions {
  /** The slot type the panel fills; its first supported slot otherwise. */
  slot?: string;
  /** Slot context: the current item, dataset, selection... */
  context?: Record<string, unknown>;
}

export type { PanelOpener };

export class Host {
  readonly registry: Registry;
  readonly #events = new HostEventBus();
  readonly #openers = new PanelOpeners();
  readonly #options: HostOptions;
  readonly #limits: ReturnType<typeof resolvedLimits>;
  readonly #log: BridgeLog;
  readonly #frames: FramePool;
  /** The router's methods: the platform's api now, the built-ins (first in capability lists) once they load with the first frame. */
  readonly #methods: Map<string, MethodDefinition>;
  /** What the host adds to each guest's context (the user, theme and locale). */
  readonly #context: GuestContext;
  readonly #builtins = new OnDemand(() =>
    import('./host-services.js').then(({ addBuiltins }) =>
      addBuiltins(this.#methods, { host: this, frames: this.#frames, events: this.#events, limits: this.#limits }),
    ),
  );
  /** Loaded on the first `execute`: a page that runs no function never loads the runner. */
  readonly #functions = new OnDemand(() =>
    import('./function-runner.js').then(({ FunctionRunner }) => {
      this.#assertAlive();
      const { functions, entities = {}, python, registry, store } = this.#options;
      return new FunctionRunner({
        registry: this.registry,
        frames: this.#frames,
        project: () => this.#project,
        executor: functions ?? (registry ?? store)?.runs,
        entities,
        timeout: this.#limits.call,
        python,
        heard: (report) => this.#events.emit('report', report),
      });
    }),
  );
  #project: string;
  #destroyed = false;

  constructor(options: HostOptions) {
    checkOptions(options);
    this.#options = options;
    this.#project = options.project;
    this.#context = new GuestContext(options.user, options.theme ?? 'light', options.locale ?? 'en');
    const limits = (this.#limits = resolvedLimits(options));
    const sinks: LogSink[] = options.log ? [options.log] : [];
    this.#log = new BridgeLog(() =>
      this.#events.listenerCount('call') > 0 ? [...sinks, (entry) => this.#events.emit('call', entry)] : sinks,
    );
    this.#methods = new Map(flattenApi(options.api ?? {}));
    for (const [bridge, adapter] of Object.entries(options.bridges ?? {})) addAdapterApi(this.#methods, bridge, adapter.api);
    const router = new CallRouter(this.#methods, limits, this.#log, () => this.#options.user);
    const registryLimits = {
      artifactQuota: options.limits?.maxArtifactBytes,
      storageQuota: options.limits?.maxStorageBytes,
      reportQuota: options.limits?.maxReportBytes,
    };
    this.registry = new Registry(
      {
        project: () => this.#project,
        emit: (event, payload) => (this.#frames.registryEvent(event, payload), this.#events.emit(event, payload)),
        closeApp: (app, project) => this.#frames.close((f) => f.app === app && f.project === project),
      },
      options.registry ?? options.store ?? new IndexedDbStore(),
      { reportLimits: options.reportLimits, ...registryLimits },
    );
    const bridges = new Map<string, BridgeAdapter>([[NATIVE_BRIDGE, nativeBridge()], ...Object.entries(options.bridges ?? {})]);
    this.#frames = new FramePool({
      router,
      log: this.#log,
      registry: this.registry,
      grants: new Grants(this.registry, router),
      context: this.#context,
      events: this.#events,
      runtime: this.#builtins,
      bridges,
      limits,
      sandbox: options.sandbox ?? [],
    });
  }

  /** Resolves once the registry's store is loaded: installed apps can then be mounted. */
  get ready(): Promise<void> {
    return this.registry.ready;
  }
  get project(): string {
    return this.#project;
  }
  set project(project: string) {
    if (!isName(project)) throw new SlotbridgeError(ErrorCode.BAD_INPUT, 'project is a non-empty string (the project id).');
    if (project === this.#project) return;
    const previous = this.#project;
    this.#project = project;
    this.#events.emit('project:changed', project);
    // What the slots did not close (windows, dialogs, modules, panels the platform mounted) would keep acting on the old project.
    this.#frames.close((frame) => frame.project === previous);
  }
  get theme(): Theme {
    return this.#context.theme;
  }
  set theme(theme: Theme) {
    if (!isTheme(theme)) throw new SlotbridgeError(ErrorCode.BAD_INPUT, 'theme is "light" or "dark".');
    this.#context.theme = theme;
    for (const frame of this.#frames) frame.deliver('theme', theme);
    this.#events.emit('theme:changed', theme);
  }
  get locale(): string {
    return this.#context.locale;
  }
  set locale(locale: string) {
    if (typeof locale !== 'string' || locale === '')
      throw new SlotbridgeError(ErrorCode.BAD_INPUT, 'locale is a language tag such as "en" or "fr-CA".');
    this.#context.locale = locale;
    for (const frame of this.#frames) frame.deliver('locale', locale);
  }
  /** Stored artifacts (function outputs of `Artifact:<type>` types): `list`, `get`, `read`, `delete`. */
  get artifacts(): ArtifactShelf {
    return this.registry.artifacts;
  }
  /** The user guests see in their context. */
  get user(): UserInfo {
    return this.#options.user;
  }
  /** Every mounted panel (module frames excluded). */
  get panels(): PanelHandle[] {
    return [...this.#frames].filter((f) => f.kind === 'panel').map((f) => f.handle);
  }

  /**
   * Sends a platform event to every frame that listens to it (or only to one
   * app's frames, with `{ app }`). With `{ transfer }` (ArrayBuffers, ports...)
   * those objects move to the guest instead of being copied: they leave this
   * page, so exactly one ready frame may be listening.
   */
  emit(name: string, payload?: unknown, options: { app?: string; transfer?: Transferable[] } = {}): void {
    this.#assertAlive();
    this.#frames.emit(name, payload, options);
  }

  on<E extends keyof HostEvents>(event: E, fn: (...args: HostEvents[E]) => void): this {
    return (this.#events.listen(event, fn), this);
  }
  /** Removes `fn` (added by `on` or `once`), or every listener of `event` without it. */
  off<E extends keyof HostEvents>(event: E, fn?: (...args: HostEvents[E]) => void): this {
    return (this.#events.unlisten(event, fn), this);
  }
  once<E extends keyof HostEvents>(event: E, fn: (...args: HostEvents[E]) => void): this {
    return (this.#events.listen(event, fn, true), this);
  }

  /** Mounts a panel's frame into `element` (which must be in the document). */
  mount(app: string, panel: string, element: Element, options: MountOptions = {}): PanelHandle {
    this.#assertAlive();
    if (!(element instanceof Element) || !element.isConnected)
      throw new SlotbridgeError(ErrorCode.BAD_INPUT, 'mount needs an element that is in the document to put the panel into.');
    const { manifest, baseUrl } = installedApp(this.registry, app, this.#project);
    const definition = panelOf(app, manifest, panel);
    const slot = slotOf(app, definition, options.slot);
    const title = `${manifest.displayName}: ${definition.displayName}`;
    const frame = this.#frames.open(
      {
        kind: 'panel',
        app,
        panel,
        slot,
        project: this.#project,
        manifest,
        sandbox: definition.sandbox ?? [],
        context: options.context ?? {},
        url: resolveUrl(definition.url, baseUrl),
        title,
      },
      element,
    );
    return frame.handle;
  }

  /** Opens a panel in a floating window or dialog, through the slot element registered for it. */
  openPanel(
    app: string,
    panel: string,
    options: { slot?: 'floatingWindow' | 'dialog'; context?: Record<string, unknown> } = {},
  ): PanelHandle {
    this.#assertAlive();
    return this.#openers.open(app, panelOf(app, installedApp(this.registry, app, this.#project).manifest, panel), options);
  }

  /**
   * Registers what shows panels of a window-like slot. Returns the function that unregisters it.
   * @internal for the slot elements
   */
  registerOpener(slot: 'floatingWindow' | 'dialog', opener: PanelOpener): () => void {
    return this.#openers.register(slot, opener);
  }

  /**
   * Runs a declared function: `module.function` (or Dataloop's
   * `service.module.function`). `progress` hears how far it got before its
   * answer (a cold start, a queue), for the page to say.
   */
  async execute(
    app: string,
    fn: string,
    inputs: Record<string, unknown> = {},
    options: { context?: Record<string, unknown>; progress?: (stage: ExecutionStage) => void } = {},
  ): Promise<Execution> {
    this.#assertAlive();
    const { progress: heard } = options;
    if (heard !== undefined && typeof heard !== 'function')
      throw new SlotbridgeError(
        ErrorCode.BAD_INPUT,
        "execute's progress option is a function that hears each stage; leave it out otherwise.",
      );
    // The platform's code: what it throws is reported to the page, and the run goes on.
    const progress =
      heard &&
      ((stage: ExecutionStage) => {
        try {
          heard(stage);
        } catch (err) {
          reportError(err);
        }
      });
    const execution = await (await this.#functions.load()).execute(app, fn, inputs, options.context ?? {}, progress);
    const { duration, status, error } = execution;
    this.#log.entry(undefined, {
      kind: 'execution',
      name: `${app}:${execution.function}`,
      duration,
      outcome: status === 'success' ? 'ok' : 'error',
      ...(error && { code: error.code, message: error.message }),
    });
    this.#events.emit('execution', execution);
    return execution;
  }

  /**
   * The options of a wizard dropdown of an app: its static choices, or the
   * rows of the platform source it names, filtered and labelled. `APP_NOT_FOUND`
   * for an unknown app, `BAD_INPUT` for an unknown field or a missing source.
   */
  async choices(app: string, field: string, options: { project?: string } = {}): Promise<ChoiceOption[]> {
    await this.ready;
    // Loaded on the first dropdown: most pages never show a settings form.
    const { choicesOf } = await import('./wizard-choices.js');
    return choicesOf(this.registry, app, field, options.project ?? this.#project, this.#options.sources);
  }

  /** What `permission` lets an app do, in the platform's words (`permissionDescriptions`); undefined when it gave none. */
  describePermission(permission: string): string | undefined {
    const described = this.#options.permissionDescriptions ?? {};
    return Object.hasOwn(described, permission) ? described[permission] : undefined;
  }

  /** Tears down every frame, connection, listener and timer. Safe to call twice. */
  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.#frames.destroy();
    this.#functions.value?.destroy();
    this.#openers.clear();
    this.registry.close();
    this.#events.removeAllListeners();
    // Calls settle as their frames close; their shared deadline timers can go once they have.
    setTimeout(releaseIdleDeadlines, 0);
  }

  /** Counts for teardown checks: live frames and window routes. @internal */
  get liveCounts(): { frames: number; routes: number } {
    return { frames: this.#frames.size, routes: this.#frames.routes };
  }

  #assertAlive(): void {
    if (this.#destroyed) throw new SlotbridgeError(ErrorCode.DESTROYED, 'This host was destroyed; create a new one with createHost().');
  }
}

/** Creates the host runtime for a platform page. */
export function createHost<A extends ApiDefinition>(options: HostOptions<A>): Host {
  return new Host(options);
}
