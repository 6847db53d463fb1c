/**
 * `createHost`: the runtime on the platform page. It owns the registry, the
 * frames of every mounted panel and started module, the one window listener
 * they share, and the router their calls go through.
 */
import EventEmitter from 'eventemitter3';
import type { Methods } from 'penpal';
import { ErrorCode, SlotbridgeError } from '../errors/index.js';
import { toWireError } from '../bridge/wire-error.js';
import { CAPABILITIES_EVENT } from '../bridge/protocol.js';
import { releaseIdleDeadlines } from '../bridge/with-timeout.js';
import { resolveUrl } from '../manifest/urls.js';
import type { Manifest } from '../manifest/index.js';
import { Registry } from '../registry/registry.js';
import { IndexedDbStore } from '../registry/store/indexeddb-store.js';
import type { AppRecord, ArtifactRecord, Installation, Report } from '../registry/types.js';
import { type ArtifactShelf, notFound } from '../registry/artifact-shelf.js';
import type { BridgeRuntime } from './bridge-runtime.js';
import { BridgeLog, type BridgeLogEntry, type LogSink } from './bridge-log.js';
import { type ApiDefinition, flattenApi, type MethodDefinition, type UserInfo } from './define-api.js';
import type { Execution } from './execution.js';
import { Frame, type PanelHandle, type PanelState } from './frame.js';
import type { FunctionRunner } from './function-runner.js';
import { OnDemand } from './on-demand.js';
import { FocusGuard } from './focus-guard.js';
import type { HostOptions, Theme } from './host-options.js';
import { isolated, isolatedOf } from './isolated-listener.js';
import { CallRouter } from './router.js';
import { sandboxTokens } from './sandbox.js';
import { WindowHub } from './window-hub.js';
import type { FrameSession } from './frame-session.js';
import type { ChoiceOption } from '../wizard/choices.js';
import { type AppSettings, normalizeSettings } from '../wizard/app-settings.js';

export interface MountOptions {
  /** The slot type the panel fills; its first supported slot otherwise. */
  slot?: string;
  /** Slot context: the current item, dataset, selection... */
  context?: Record<string, unknown>;
}

export interface Notification {
  app: string;
  panel: string;
  /** Text from the guest: render it as text, never as HTML. */
  message: string;
  level: 'info' | 'success' | 'warning' | 'error';
}

/** Host-side events and their payloads. */
export interface HostEvents {
  'app:published': [record: AppRecord];
  'app:installed': [installation: Installation];
  'app:uninstalled': [info: { app: string; project: string; keepData: boolean }];
  'artifact:stored': [record: ArtifactRecord];
  'artifact:deleted': [record: ArtifactRecord];
  'settings:changed': [info: { app: string; project: string; settings: AppSettings }];
  'panel:state': [panel: PanelHandle, state: PanelState];
  'panel:resize': [panel: PanelHandle, height: number];
  /** A ready frame stopped answering the heartbeat (`responding` false), or answered again. */
  'panel:responding': [panel: PanelHandle, responding: boolean];
  'project:changed': [project: string];
  'theme:changed': [theme: Theme];
  call: [entry: BridgeLogEntry];
  execution: [execution: Execution];
  notify: [notification: Notification];
  report: [report: Report];
}

// Every name of HostEvents (the `satisfies` keeps the two the same), so that `on` refuses a misspelt one.
const HOST_EVENT_NAMES: ReadonlySet<string> = new Set(
  Object.keys({
    'app:published': 1,
    'app:installed': 1,
    'app:uninstalled': 1,
    'artifact:stored': 1,
    'artifact:deleted': 1,
    'settings:changed': 1,
    'panel:state': 1,
    'panel:resize': 1,
    'panel:responding': 1,
    'project:changed': 1,
    'theme:changed': 1,
    call: 1,
    execution: 1,
    notify: 1,
    report: 1,
  } satisfies Record<keyof HostEvents, 1>),
);

/** `event` if the host emits it; BAD_INPUT otherwise (a listener that would never run). */
function hostEvent(event: unknown): string {
  if (typeof event === 'string' && HOST_EVENT_NAMES.has(event)) return event;
  throw new SlotbridgeError(ErrorCode.BAD_INPUT, `The host emits no event "${String(event)}"; listen to one of: ${[...HOST_EVENT_NAMES].join(', ')}.`);
}

/** Opens a panel in a window-like slot; `<sb-floating-windows>` and `<sb-dialogs>` register one. */
export type PanelOpener = (request: { app: string; panel: string; context: Record<string, unknown> }) => PanelHandle;

const NO_GRANT: ReadonlySet<string> = new Set();

const CONTEXT_KEYS = ['app', 'panel', 'slot', 'project', 'user', 'theme', 'locale'] as const;

export class Host {
  readonly registry: Registry;
  readonly #events = new EventEmitter();
  readonly #frames = new Set<Frame>();
  readonly #openers = new Map<string, PanelOpener>();
  readonly #grants = new WeakMap<Installation, ReadonlySet<string>>();
  readonly #options: HostOptions;
  readonly #router: CallRouter;
  readonly #log: BridgeLog;
  readonly #hub: WindowHub;
  readonly #focus: FocusGuard;
  /** Loaded on the first `execute`: a page that runs no function never loads the runner. */
  readonly #functions = new OnDemand(() => import('./function-runner.js').then(({ FunctionRunner }) => this.#newRunner(FunctionRunner)));
  /** Loaded when the first frame mounts: the built-ins and the message schemas, with zod under them. */
  readonly #runtime = new OnDemand(() => import('./bridge-runtime.js').then((runtime) => this.#addBuiltins(runtime)));
  /** The router's methods: the platform's api now, the built-ins once the runtime loads. */
  readonly #methods: Map<string, MethodDefinition>;
  readonly #timeouts: { handshake: number; call: number; heartbeat: number };
  #heartbeat: ReturnType<typeof setTimeout> | undefined;
  #project: string;
  #theme: Theme;
  #locale: string;
  #nextId = 0;
  #destroyed = false;

  constructor(options: HostOptions) {
    checkOptions(options);
    this.#options = options;
    this.#project = options.project;
    this.#theme = options.theme ?? 'light';
    this.#locale = options.locale ?? 'en';
    this.#timeouts = { handshake: options.timeouts?.handshake ?? 10_000, call: options.timeouts?.call ?? 30_000, heartbeat: options.timeouts?.heartbeat ?? 5_000 };
    const sinks: LogSink[] = options.log ? [options.log] : [];
    this.#log = new BridgeLog(() => (this.#events.listenerCount('call') > 0 ? [...sinks, (entry) => this.#events.emit('call', entry)] : sinks));
    this.#methods = new Map(flattenApi(options.api ?? {}));
    this.#router = new CallRouter(
      this.#methods,
      { call: this.#timeouts.call, maxInFlight: options.limits?.maxInFlight ?? 1024, maxPayload: options.limits?.maxPayload ?? 64 * 1024 * 1024 },
      this.#log,
      () => this.#options.user,
    );
    this.#hub = new WindowHub(() => this.#log.entry(undefined, { kind: 'rejected', name: 'protocol message from a window that is no frame of this host', outcome: 'error', code: ErrorCode.ORIGIN_REJECTED }));
    this.#focus = new FocusGuard((iframe) => {
      const frame = [...this.#frames].find((f) => f.element === iframe);
      this.#log.entry(frame, { kind: 'rejected', name: 'focus taken without the user sending it', outcome: 'error', code: ErrorCode.PERMISSION_DENIED });
    });
    this.registry = new Registry({
      project: () => this.#project,
      emit: (event, payload) => {
        if (event === 'app:installed') {
          // The grant may have changed: each call reads it anew, and each guest's supports() is told.
          const { app, project } = payload as Installation;
          for (const frame of this.#frames) if (frame.app === app && frame.project === project) frame.deliver(CAPABILITIES_EVENT, this.#router.capabilities(frame.grant));
        }
        if (event === 'settings:changed') {
          const { app, project, settings } = payload as { app: string; project: string; settings: AppSettings };
          for (const frame of this.#frames) if (frame.app === app && frame.project === project) frame.deliver('settings', settings);
        }
        this.#events.emit(event, payload);
      },
      closeApp: (app, project) => this.#closeApp(app, project),
    }, options.store ?? new IndexedDbStore(), {
      reportLimits: options.reportLimits,
      artifactQuota: options.limits?.maxArtifactBytes,
      storageQuota: options.limits?.maxStorageBytes,
      reportQuota: options.limits?.maxReportBytes,
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
    if (typeof project !== 'string' || project === '') throw new SlotbridgeError(ErrorCode.BAD_INPUT, 'project is a non-empty string (the project id).');
    if (project === this.#project) return;
    const previous = this.#project;
    this.#project = project;
    this.#events.emit('project:changed', project);
    // What the slots did not close (windows, dialogs, modules, panels the platform mounted) would keep acting on the old project.
    for (const frame of [...this.#frames]) if (frame.project === previous) frame.close();
  }

  get theme(): Theme {
    return this.#theme;
  }

  set theme(theme: Theme) {
    if (theme !== 'light' && theme !== 'dark') throw new SlotbridgeError(ErrorCode.BAD_INPUT, 'theme is "light" or "dark".');
    this.#theme = theme;
    for (const frame of this.#frames) frame.deliver('theme', theme);
    this.#events.emit('theme:changed', theme);
  }

  get locale(): string {
    return this.#locale;
  }

  set locale(locale: string) {
    if (typeof locale !== 'string' || locale === '') throw new SlotbridgeError(ErrorCode.BAD_INPUT, 'locale is a language tag such as "en" or "fr-CA".');
    this.#locale = locale;
    for (const frame of this.#frames) frame.deliver('locale', locale);
  }

  /**
   * Stored artifacts (function outputs of `Artifact:<type>` types):
   * `list({ app, project, execution })` (the current project by default),
   * `get(id)`, `read(id)` (the bytes), `delete(id)`.
   */
  get artifacts(): ArtifactShelf {
    return this.registry.artifacts;
  }

  /** The user guests see in their context. */
  get user(): UserInfo {
    return this.#options.user;
  }

  /** Every mounted panel (module frames excluded). */
  get panels(): PanelHandle[] {
    return [...this.#frames].filter((f) => f.kind === 'panel');
  }

  /**
   * Sends a platform event to every frame that listens to it (or only to one
   * app's frames, with `{ app }`). With `{ transfer }` (ArrayBuffers, ports...)
   * those objects move to the guest instead of being copied: they leave this
   * page, so exactly one ready frame may be listening.
   */
  emit(name: string, payload?: unknown, options: { app?: string; transfer?: Transferable[] } = {}): void {
    this.#assertAlive();
    if (typeof name !== 'string' || name === '') throw new SlotbridgeError(ErrorCode.BAD_INPUT, 'An event name is a non-empty string.');
    const { app, transfer } = options;
    if (transfer !== undefined) {
      if (!Array.isArray(transfer)) throw new SlotbridgeError(ErrorCode.BAD_INPUT, 'transfer is a list of transferable objects (ArrayBuffer, MessagePort...).');
      const listening = [...this.#frames].filter((f) => (app === undefined || f.app === app) && f.isReady && f.subscriptions.has(name));
      if (listening.length !== 1) {
        throw new SlotbridgeError(
          ErrorCode.BAD_INPUT,
          `A transfer moves its objects to one frame, but ${listening.length} ready frames listen to "${name}"; name the app with { app }, or send a copy without transfer.`,
        );
      }
      listening[0]!.deliver(name, payload, transfer);
      return;
    }
    for (const frame of this.#frames) if (app === undefined || frame.app === app) frame.deliver(name, payload);
  }

  on<E extends keyof HostEvents>(event: E, fn: (...args: HostEvents[E]) => void): this {
    this.#events.on(event, isolated(hostEvent(event), fn));
    return this;
  }

  /** Removes `fn` (added by `on` or `once`), or every listener of `event` without it. */
  off<E extends keyof HostEvents>(event: E, fn?: (...args: HostEvents[E]) => void): this {
    if (fn === undefined) this.#events.off(event);
    else {
      // A function never added has no wrapper: nothing to remove (eventemitter3 would take undefined as "all").
      const wrapper = isolatedOf(fn);
      if (wrapper) this.#events.off(event, wrapper);
    }
    return this;
  }

  once<E extends keyof HostEvents>(event: E, fn: (...args: HostEvents[E]) => void): this {
    this.#events.once(event, isolated(hostEvent(event), fn));
    return this;
  }

  /** Mounts a panel's frame into `element` (which must be in the document). */
  mount(app: string, panel: string, element: Element, options: MountOptions = {}): PanelHandle {
    this.#assertAlive();
    if (!(element instanceof Element) || !element.isConnected) {
      throw new SlotbridgeError(ErrorCode.BAD_INPUT, 'mount needs an element that is in the document to put the panel into.');
    }
    const { manifest, baseUrl } = this.#installed(app);
    const definition = this.#panel(app, manifest, panel);
    const supported = definition.supportedSlots.map((s) => s.type);
    const slot = options.slot ?? supported[0] ?? 'itemViewer';
    if (options.slot !== undefined && !supported.includes(options.slot)) {
      throw new SlotbridgeError(ErrorCode.BAD_INPUT, `Panel ${app}/${panel} does not support the slot "${options.slot}"; it supports: ${supported.join(', ') || '(none)'}.`);
    }
    const url = resolveUrl(definition.url, baseUrl);
    const frame = this.#createFrame('panel', app, panel, slot, manifest, url, definition.sandbox ?? [], options.context ?? {}, `${manifest.displayName}: ${definition.displayName}`);
    element.append(frame.element);
    frame.start();
    return frame;
  }

  /** Opens a panel in a floating window or dialog, through the slot element registered for it. */
  openPanel(app: string, panel: string, options: { slot?: 'floatingWindow' | 'dialog'; context?: Record<string, unknown> } = {}): PanelHandle {
    this.#assertAlive();
    const { manifest } = this.#installed(app);
    const definition = this.#panel(app, manifest, panel);
    const slot = options.slot ?? (definition.supportedSlots.map((s) => s.type).find((t) => t === 'floatingWindow' || t === 'dialog') as 'floatingWindow' | 'dialog' | undefined);
    if (!slot) throw new SlotbridgeError(ErrorCode.BAD_INPUT, `Panel ${app}/${panel} supports neither floatingWindow nor dialog.`);
    const opener = this.#openers.get(slot);
    if (!opener) {
      throw new SlotbridgeError(ErrorCode.BAD_INPUT, `Nothing on this page shows ${slot} panels; add <sb-${slot === 'dialog' ? 'dialogs' : 'floating-windows'}> to the page.`);
    }
    return opener({ app, panel, context: options.context ?? {} });
  }

  /**
   * Registers what shows panels of a window-like slot. Returns the function that unregisters it.
   * @internal for the slot elements
   */
  registerOpener(slot: 'floatingWindow' | 'dialog', opener: PanelOpener): () => void {
    this.#openers.set(slot, opener);
    return () => {
      if (this.#openers.get(slot) === opener) this.#openers.delete(slot);
    };
  }

  /** Runs a declared function: `module.function` (or Dataloop's `service.module.function`). */
  async execute(app: string, fn: string, inputs: Record<string, unknown> = {}, options: { context?: Record<string, unknown> } = {}): Promise<Execution> {
    this.#assertAlive();
    const execution = await (await this.#functions.load()).execute(app, fn, inputs, options.context ?? {});
    this.#log.entry(undefined, {
      kind: 'execution',
      name: `${app}:${execution.function}`,
      duration: execution.duration,
      outcome: execution.status === 'success' ? 'ok' : 'error',
      ...(execution.error ? { code: execution.error.code, message: execution.error.message } : {}),
    });
    this.#events.emit('execution', execution);
    return execution;
  }

  #newRunner(Runner: typeof FunctionRunner): FunctionRunner {
    this.#assertAlive();
    return new Runner({
      installed: (app) => this.#installed(app),
      project: () => this.#project,
      startModule: (app, module, url, manifest, container) => {
        const frame = this.#createFrame('module', app, module, 'module', manifest, url, [], {}, `${manifest.displayName}: module ${module}`);
        container.append(frame.element);
        frame.start();
        return frame;
      },
      executor: this.#options.functions,
      entities: this.#options.entities ?? {},
      timeout: this.#timeouts.call,
      artifacts: this.registry.artifacts,
    });
  }

  /** Tears down every frame, connection, listener and timer. Safe to call twice. */
  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    for (const frame of [...this.#frames]) frame.close();
    this.#stopHeartbeat();
    this.#functions.value?.destroy();
    this.#openers.clear();
    this.#hub.destroy();
    this.#focus.destroy();
    this.registry.close();
    this.#events.removeAllListeners();
    // Calls settle as their frames close; their shared deadline timers can go once they have.
    setTimeout(releaseIdleDeadlines, 0);
  }

  /** Counts for teardown checks: live frames and window routes. @internal */
  get liveCounts(): { frames: number; routes: number } {
    return { frames: this.#frames.size, routes: this.#hub.size };
  }

  #assertAlive(): void {
    if (this.#destroyed) throw new SlotbridgeError(ErrorCode.DESTROYED, 'This host was destroyed; create a new one with createHost().');
  }

  #installed(app: string): { manifest: Manifest; baseUrl: string } {
    const installation = this.registry.installation(app, this.#project);
    const record = this.registry.installedApp(app, this.#project);
    if (!installation || !record) {
      if (!this.registry.app(app)) throw new SlotbridgeError(ErrorCode.APP_NOT_FOUND, `No app named "${app}" is published (if it is, await host.ready before mounting: the registry loads from its store).`);
      throw new SlotbridgeError(ErrorCode.NOT_INSTALLED, `${app} is not installed in project "${this.#project}"; install it first.`);
    }
    return { manifest: record.manifest, baseUrl: record.baseUrl };
  }

  /** A panel of an app's manifest, or BAD_INPUT naming the panels it has. */
  #panel(app: string, manifest: Manifest, panel: string) {
    const definition = manifest.components.panels.find((p) => p.name === panel);
    if (!definition) {
      throw new SlotbridgeError(ErrorCode.BAD_INPUT, `${app} has no panel "${panel}"; its panels are: ${manifest.components.panels.map((p) => p.name).join(', ') || '(none)'}.`);
    }
    return definition;
  }

  #createFrame(
    kind: 'panel' | 'module',
    app: string,
    panel: string,
    slot: string,
    manifest: Manifest,
    url: string,
    manifestSandbox: readonly string[],
    context: Record<string, unknown>,
    title: string,
  ): Frame {
    const origin = new URL(url).origin;
    const extras = [...manifestSandbox, ...(this.#options.sandbox ?? [])];
    const sharedWith = extras.includes('allow-same-origin') ? this.registry.appServedFrom(origin, app) : undefined;
    const sandbox = sandboxTokens(manifestSandbox, this.#options.sandbox ?? [], origin, window.location.origin, sharedWith);
    const frame = new Frame(
      { id: `${kind}-${++this.#nextId}`, kind, app, panel, slot, project: this.#project, manifest, url, sandbox, context, title },
      {
        hub: this.#hub,
        hostOrigin: window.location.origin,
        runtime: this.#runtime,
        guardFocus: (iframe) => this.#focus.watch(iframe),
        handshakeTimeout: this.#timeouts.handshake,
        hostMethods: (f) => this.#hostMethods(f),
        grant: (f) => this.#grantOf(f.app, f.project),
        capabilities: (f) => this.#router.capabilities(f.grant),
        fullContext: (f) => this.#fullContext(f),
        onState: (f) => this.#events.emit('panel:state', f, f.state),
        onResponding: (f) => this.#events.emit('panel:responding', f, f.responding),
        onClosed: (f) => {
          this.#frames.delete(f);
          if (this.#frames.size === 0) this.#stopHeartbeat();
          if (f.kind === 'module') this.#functions.value?.forget(f);
        },
        onResize: (f, height) => {
          if (f.kind === 'panel') f.element.style.height = `${Math.min(height, this.#options.limits?.maxPanelHeight ?? 4000)}px`;
          this.#events.emit('panel:resize', f, height);
        },
        log: this.#log,
      },
    );
    this.#frames.add(frame);
    this.#heartbeat ??= setTimeout(this.#beat, this.#timeouts.heartbeat);
    return frame;
  }

  /** The installation's grant as a set, made once per installation record (a re-install makes a new record). */
  #grantOf(app: string, project: string): ReadonlySet<string> {
    const installation = this.registry.installation(app, project);
    if (!installation) return NO_GRANT;
    let grant = this.#grants.get(installation);
    if (!grant) this.#grants.set(installation, (grant = new Set(installation.grant)));
    return grant;
  }

  /** The built-ins join the platform's api in the router once the runtime is here; they come first in capability lists. */
  #addBuiltins(runtime: BridgeRuntime): BridgeRuntime {
    const platform = [...this.#methods];
    this.#methods.clear();
    for (const entry of [...flattenApi(runtime.builtinApi(this.#builtinServices())), ...platform]) this.#methods.set(...entry);
    return runtime;
  }

  /** One timer for every frame's heartbeat, running while any frame is open. */
  #beat = (): void => {
    for (const frame of this.#frames) frame.heartbeat();
    this.#heartbeat = setTimeout(this.#beat, this.#timeouts.heartbeat);
  };

  #stopHeartbeat(): void {
    clearTimeout(this.#heartbeat);
    this.#heartbeat = undefined;
  }

  /** The penpal methods of one frame: a null-prototype object, so penpal's lookup finds nothing but these. */
  #hostMethods(frame: Frame): Methods {
    const methods = Object.create(null) as Methods;
    methods['hello'] = (request: unknown) => frame.hello(request);
    methods['call'] = (method: unknown, args: unknown) => {
      if (!frame.isReady) throw notReady();
      return this.#router.handle(frame, method, args);
    };
    methods['bye'] = () => frame.bye();
    return methods;
  }

  #fullContext(frame: FrameSession): Record<string, unknown> {
    const context: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(frame.context)) if (!(CONTEXT_KEYS as readonly string[]).includes(key)) context[key] = value;
    return { ...context, app: frame.app, panel: frame.panel, slot: frame.slot, project: frame.project, user: this.#options.user, theme: this.#theme, locale: this.#locale };
  }

  /**
   * The options of a wizard dropdown of an app: its static choices, or the
   * rows of the platform source it names, filtered and labelled. `APP_NOT_FOUND`
   * for an unknown app, `BAD_INPUT` for an unknown field or a missing source.
   */
  async choices(app: string, field: string, options: { project?: string } = {}): Promise<ChoiceOption[]> {
    await this.ready;
    const project = options.project ?? this.#project;
    const record = this.registry.installedApp(app, project) ?? this.registry.app(app);
    if (!record) throw new SlotbridgeError(ErrorCode.APP_NOT_FOUND, `No app named "${app}" is published; publish it first.`);
    // Loaded on the first dropdown: most pages never show a settings form.
    const [{ everyField }, { loadChoices }] = await Promise.all([import('../wizard/wizard-form.js'), import('./wizard-choices.js')]);
    const entry = everyField(record.manifest.wizard?.entries ?? []).find((e) => e.name === field);
    if (!entry) throw new SlotbridgeError(ErrorCode.BAD_INPUT, `${app}'s wizard has no field named "${field}".`);
    return loadChoices(entry, this.#options.sources, { app, project });
  }

  #closeApp(app: string, project: string): void {
    for (const frame of [...this.#frames]) if (frame.app === app && frame.project === project) frame.close();
  }

  #builtinServices() {
    return {
      fullContext: (frame: FrameSession) => this.#fullContext(frame),
      notify: (frame: FrameSession, n: { message: string; level: Notification['level'] }) =>
        this.#events.emit('notify', { app: frame.app, panel: frame.panel, message: n.message, level: n.level } satisfies Notification),
      maxNotifications: this.#options.limits?.maxNotifications ?? 10,
      openPanel: (frame: FrameSession, panel: string, options: { slot?: 'floatingWindow' | 'dialog' | undefined; context?: Record<string, unknown> | undefined }) => {
        const limit = this.#options.limits?.maxWindows ?? 8;
        let open = 0;
        for (const f of this.#frames) if (f.app === frame.app && (f.slot === 'floatingWindow' || f.slot === 'dialog')) open++;
        if (open >= limit) {
          throw new SlotbridgeError(ErrorCode.RATE_LIMITED, `${frame.app} already has ${open} windows open (limit ${limit}); close one (ui.close) before opening another.`);
        }
        this.openPanel(frame.app, panel, { ...(options.slot ? { slot: options.slot } : {}), context: options.context ?? {} });
      },
      settings: (frame: FrameSession) => normalizeSettings(this.registry.installation(frame.app, frame.project)?.settings),
      setSetting: async (frame: FrameSession, path: string, value: unknown) => {
        await this.registry.setSetting(frame.app, path, value, { project: frame.project });
      },
      storage: (frame: FrameSession) => this.registry.storage(frame.app, frame.project),
      emitToApp: (frame: FrameSession, name: string, payload: unknown) => {
        for (const other of this.#frames) if (other !== frame && other.app === frame.app && other.project === frame.project) other.deliver(name, payload);
      },
      report: async (frame: FrameSession, kind: string, entry: Record<string, unknown>) => {
        await this.registry.addReport({ ...entry, app: frame.app, project: frame.project, panel: frame.panel, kind, time: Date.now() });
      },
      execute: (frame: FrameSession, fn: string, inputs: Record<string, unknown>) => this.execute(frame.app, fn, inputs, { context: frame.context }),
      listArtifacts: (frame: FrameSession, filter: { execution?: string | undefined }) =>
        this.registry.artifacts.list({ app: frame.app, project: frame.project, ...(filter.execution !== undefined ? { execution: filter.execution } : {}) }),
      readArtifact: async (frame: FrameSession, id: string) => {
        const record = await this.registry.artifacts.get(id);
        // Another app's or project's artifact is answered as missing: a guest learns nothing of it.
        if (!record || record.app !== frame.app || record.project !== frame.project) throw notFound(id);
        return this.registry.artifacts.read(id);
      },
    };
  }
}

/** Creates the host runtime for a platform page. */
export function createHost<A extends ApiDefinition>(options: HostOptions<A>): Host {
  return new Host(options as HostOptions);
}

function notReady() {
  return toWireError(new SlotbridgeError(ErrorCode.PROTOCOL_MISMATCH, 'Call hello before anything else; use connect() from slotbridge/guest.'), () => new SlotbridgeError(ErrorCode.PROTOCOL_MISMATCH, ''));
}

function checkOptions(options: HostOptions): void {
  if (!options || typeof options !== 'object') throw new SlotbridgeError(ErrorCode.BAD_INPUT, 'createHost needs options: { project, user, ... }.');
  if (typeof options.project !== 'string' || options.project === '') throw new SlotbridgeError(ErrorCode.BAD_INPUT, 'createHost needs a project id: createHost({ project: "p1", ... }).');
  if (!options.user || typeof options.user.id !== 'string') throw new SlotbridgeError(ErrorCode.BAD_INPUT, 'createHost needs the user: createHost({ user: { id: "u1", name: "Ada" }, ... }).');
  for (const [name, value] of Object.entries({ ...options.timeouts, ...options.limits })) {
    if (value !== undefined && !(typeof value === 'number' && value > 0 && Number.isFinite(value))) {
      throw new SlotbridgeError(ErrorCode.BAD_INPUT, `${name} is a positive number of ${name.startsWith('max') ? 'calls, windows or bytes' : 'milliseconds'}.`);
    }
  }
}
