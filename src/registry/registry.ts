/**
 * The registry: publishes app versions and installs them per project, over a
 * RegistryStore (IndexedDB by default). Apps and installations are mirrored in
 * memory for synchronous reads once `ready` resolves; every change is written
 * to the store first and reaches the mirror only once it landed, so a failed
 * write leaves both as they were. Changes run one at a time.
 */
import { ErrorCode } from '../errors/error-code.js';
import { SlotbridgeError } from '../errors/slotbridge-error.js';
import { compareVersions } from './semver.js';
import { DATALOOP_BRIDGE } from '../manifest/vocabulary.js';
import type { RegistryStore, StoreWrite } from './store/registry-store.js';
import type {
  AppRecord,
  Installation,
  InstallOptions,
  PublishOptions,
  RegistryHooks,
  RegistryOptions,
  Report,
  ReportLimits,
  UninstallOptions,
} from './types.js';
import { type NewReport, ReportBook, type ReportSeries } from './report-book.js';
import { ArtifactShelf } from './artifact-shelf.js';
import { type AppStorage, DEFAULT_STORAGE_QUOTA, StorageShelf } from './app-storage.js';
import { AssetUrls } from './asset-urls.js';
import { originOwner } from './origin-owner.js';
// Static on purpose: in a chunk of their own these would load the validator from an entry that awaits them (bench/README).
import { newVersion } from './new-version.js';
import { newInstallation } from './new-installation.js';
import { readPackage } from './read-package.js';
import { normalizeSettings, parseSettingPath, writeTarget } from '../wizard/app-settings.js';

export class Registry {
  /** Resolves once the store's apps and installations are in memory. */
  readonly ready: Promise<void>;
  /** Stored function outputs of `Artifact:<type>` types. */
  readonly artifacts: ArtifactShelf;
  readonly #versions = new Map<string, AppRecord[]>();
  readonly #installs = new Map<string, Installation>();
  readonly #hooks: RegistryHooks;
  readonly #store: RegistryStore;
  readonly #assets = new AssetUrls();
  readonly #storage: StorageShelf;
  /** Apps being uninstalled, by `key(app, project)`: their writes are refused from the start. */
  readonly #leaving = new Set<string>();
  readonly #reports: ReportBook;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(hooks: RegistryHooks, store: RegistryStore, options: RegistryOptions = {}) {
    this.#hooks = hooks;
    this.#store = store;
    const assertKeeping = (app: string, project: string) => this.#assertKeeping(app, project);
    this.#reports = new ReportBook(store, options.reportLimits, assertKeeping, options.reportQuota);
    this.ready = store.load().then(({ apps, installations }) => {
      for (const record of apps) this.#addVersion(record);
      for (const installation of installations) this.#installs.set(key(installation.app, installation.project), installation);
    });
    this.#storage = new StorageShelf({
      store,
      ready: this.ready,
      change: (fn) => this.#change(fn),
      assertKeeping,
      quota: options.storageQuota ?? DEFAULT_STORAGE_QUOTA,
    });
    this.artifacts = new ArtifactShelf(
      store,
      { project: hooks.project, emit: hooks.emit, change: (fn) => this.#change(fn), ready: this.ready },
      options.artifactQuota,
    );
    // A store that cannot load is reported by every change that awaits `ready`.
    this.ready.catch(() => {});
    store.onRemoteChange?.(() => void this.#change(() => this.#refresh()).catch(() => {}));
  }

  /** Another tab changed the store: mirror it again, and tell this page what changed. */
  async #refresh(): Promise<void> {
    // Another tab may have written storage: its bytes are counted again on the next write.
    this.#storage.forget();
    const { apps, installations } = await this.#store.load();
    for (const record of apps) {
      if (this.app(record.name, record.version)) continue;
      this.#addVersion(record);
      this.#hooks.emit('app:published', record);
    }
    const fresh = new Map(installations.map((i) => [key(i.app, i.project), i]));
    for (const [k, old] of this.#installs) {
      if (fresh.has(k)) continue;
      this.#hooks.closeApp(old.app, old.project);
      this.#installs.delete(k);
      this.#hooks.emit('app:uninstalled', { app: old.app, project: old.project, keepData: true });
    }
    for (const [k, installation] of fresh) {
      const old = this.#installs.get(k);
      this.#installs.set(k, installation);
      if (!old || old.version !== installation.version || old.grant.join() !== installation.grant.join())
        this.#hooks.emit('app:installed', installation);
      else if (JSON.stringify(old.settings) !== JSON.stringify(installation.settings)) {
        this.#hooks.emit('settings:changed', { app: installation.app, project: installation.project, settings: installation.settings });
      }
    }
  }

  /** Validates and publishes a version. `MANIFEST_INVALID`, `VERSION_EXISTS`, `NAME_TAKEN`. */
  publish(manifestInput: unknown, options: PublishOptions): Promise<AppRecord> {
    return this.#change(() => this.#publishNow(manifestInput, options, undefined));
  }

  /**
   * Publishes an app zipped by `slotbridge pack`: its manifest, with the same
   * checks as `publish`, and its assets, kept with the record and served from
   * blob URLs (`assetUrl`). A corrupt zip, one without a manifest, or one
   * declaring more than 50 MB or 2,000 files changes nothing.
   */
  publishPackage(zip: Uint8Array, options: PublishOptions): Promise<AppRecord> {
    return this.#change(async () => {
      const pkg = await readPackage(zip);
      return this.#publishNow(
        pkg.manifest,
        pkg.dataloop && (options as PublishOptions | undefined)?.bridge === undefined ? { ...options, bridge: DATALOOP_BRIDGE } : options,
        pkg.assets,
      );
    });
  }

  /**
   * The URL of an app's asset: for a packaged app, a blob URL of a passive
   * type, or a `data:` URL for a document type (SVG, HTML: no origin); else
   * `<baseUrl>/assets/<file>`. `undefined` for a file the package lacks.
   */
  assetUrl(record: AppRecord, file: string): string | undefined {
    return this.#assets.url(record, file);
  }

  /** Checks and writes a new version; runs inside #change. */
  async #publishNow(manifestInput: unknown, options: PublishOptions, assets: Record<string, Uint8Array> | undefined): Promise<AppRecord> {
    const record = await newVersion(manifestInput, options, (name) => this.#versions.get(name) ?? [], this.#hooks.project(), assets);
    await this.#store.write([{ type: 'putApp', record }]);
    this.#addVersion(record);
    this.#hooks.emit('app:published', record);
    return record;
  }

  /** The latest version of each app visible in a project. */
  available(options: { project?: string; query?: string; category?: string } = {}): AppRecord[] {
    const project = options.project ?? this.#hooks.project();
    const query = options.query?.toLowerCase();
    const out: AppRecord[] = [];
    for (const versions of this.#versions.values()) {
      const latest = versions.at(-1)!;
      if (latest.scope === 'project' && latest.project !== project) continue;
      if (options.category !== undefined && latest.manifest.category !== options.category) continue;
      if (query && !`${latest.name} ${latest.manifest.displayName} ${latest.manifest.description ?? ''}`.toLowerCase().includes(query))
        continue;
      out.push(latest);
    }
    return out.sort((a, b) => a.manifest.featured - b.manifest.featured || a.name.localeCompare(b.name));
  }

  /** The app that owns `origin` (served from it first: its baseUrl, or an absolute page URL), when that is another app than `except`. */
  appServedFrom(origin: string, except: string): string | undefined {
    const owner = originOwner(this.#versions, origin);
    return owner !== except ? owner : undefined;
  }

  /** A published version: the given one, or the latest. */
  app(name: string, version?: string): AppRecord | undefined {
    const versions = this.#versions.get(name);
    return version === undefined ? versions?.at(-1) : versions?.find((v) => v.version === version);
  }

  install(name: string, options: InstallOptions = {}): Promise<Installation> {
    return this.#change(async () => {
      const project = options.project ?? this.#hooks.project();
      const previous = this.#installs.get(key(name, project));
      const installation = await newInstallation(
        name,
        this.app(name, options.version),
        this.#versions.get(name),
        options,
        project,
        previous,
      );
      await this.#store.write([{ type: 'putInstallation', installation }]);
      this.#installs.set(key(name, project), installation);
      this.#hooks.emit('app:installed', installation);
      return installation;
    });
  }

  uninstall(name: string, options: UninstallOptions = {}): Promise<void> {
    return this.#change(async () => {
      const project = options.project ?? this.#hooks.project();
      if (!this.#installs.has(key(name, project)))
        throw new SlotbridgeError(ErrorCode.NOT_INSTALLED, `${name} is not installed in project "${project}".`);
      const writes: StoreWrite[] = [{ type: 'deleteInstallation', project, app: name }];
      if (!options.keepData) writes.push({ type: 'clearAppData', project, app: name });
      this.#leaving.add(key(name, project));
      try {
        await this.#reports.settled();
        await this.#store.write(writes);
      } finally {
        this.#leaving.delete(key(name, project));
      }
      if (!options.keepData) {
        this.#reports.forget(project, name);
        this.#storage.forget(name, project);
      }
      this.#hooks.closeApp(name, project);
      this.#installs.delete(key(name, project));
      this.#hooks.emit('app:uninstalled', { app: name, project, keepData: options.keepData === true });
    });
  }

  installed(options: { project?: string } = {}): Installation[] {
    const project = options.project ?? this.#hooks.project();
    return [...this.#installs.values()].filter((i) => i.project === project);
  }

  installation(name: string, project: string = this.#hooks.project()): Installation | undefined {
    return this.#installs.get(key(name, project));
  }

  /** The published version an app is installed at in a project, if it is installed. */
  installedApp(name: string, project: string = this.#hooks.project()): AppRecord | undefined {
    const installation = this.#installs.get(key(name, project));
    return installation ? this.app(name, installation.version) : undefined;
  }

  /**
   * Saves wizard values (by field name) to an installation, through each
   * field's target; checked against the wizard first (`INVALID_ARGUMENTS`
   * lists every problem and nothing is saved). Guests get a `settings` event.
   */
  saveSettings(name: string, values: Record<string, unknown>, options: { project?: string } = {}): Promise<Installation> {
    return this.#updateSettings(name, options.project, async (installation, record) =>
      (await import('../wizard/wizard-form.js')).saveValues(record?.manifest.wizard?.entries ?? [], values, installation.settings),
    );
  }

  /** Sets one saved setting (`configuration.<name>` or `hyperparams.<section>.<name>`): what a guest reports back, as a ClearML app sets its task's parameters. */
  setSetting(name: string, path: string, value: unknown, options: { project?: string } = {}): Promise<Installation> {
    const target = parseSettingPath(path);
    return this.#updateSettings(name, options.project, (installation) =>
      writeTarget(normalizeSettings(installation.settings), target, value),
    );
  }

  #updateSettings(
    name: string,
    project: string | undefined,
    update: (installation: Installation, record: AppRecord | undefined) => Installation['settings'] | Promise<Installation['settings']>,
  ): Promise<Installation> {
    return this.#change(async () => {
      const where = project ?? this.#hooks.project();
      const installation = this.#installs.get(key(name, where));
      if (!installation)
        throw new SlotbridgeError(
          ErrorCode.NOT_INSTALLED,
          `${name} is not installed in project "${where}"; install it before saving its settings.`,
        );
      const updated = { ...installation, settings: structuredClone(await update(installation, this.app(name, installation.version))) };
      await this.#store.write([{ type: 'putInstallation', installation: updated }]);
      this.#installs.set(key(name, where), updated);
      this.#hooks.emit('settings:changed', { app: name, project: where, settings: updated.settings });
      return updated;
    });
  }

  /** Points kept per report series, by kind. */
  get reportLimits(): Readonly<ReportLimits> {
    return this.#reports.limits;
  }

  /** Records a report; resolves once it is stored, with its series and ordinal. Each series keeps its newest points (see `ReportLimits`). */
  async addReport(report: NewReport): Promise<Report> {
    await this.ready;
    const stored = await this.#reports.add(report);
    this.#hooks.emit('report', stored);
    return stored;
  }

  /** What guests reported for an app in a project, oldest first. */
  async reports(app: string, project: string = this.#hooks.project()): Promise<Report[]> {
    await this.ready;
    const points = (await this.#reports.series(project, app)).flatMap((s) => s.points);
    return points.sort((a, b) => a.time - b.time);
  }

  /** What guests reported, by series, each with the number of points dropped to keep it bounded. */
  async reportSeries(app: string, project: string = this.#hooks.project()): Promise<ReportSeries[]> {
    await this.ready;
    return this.#reports.series(project, app);
  }

  /** Per-app, per-project storage behind the bridge's `storage.*`. */
  storage(app: string, project: string): AppStorage {
    return this.#storage.of(app, project);
  }

  /**
   * A write for an app must find it installed, and not on its way out: a call
   * queued while `uninstall()` ran would otherwise land after its data was
   * cleared, and be there again after a reinstall.
   */
  #assertKeeping(app: string, project: string): void {
    if (!this.#installs.has(key(app, project)) || this.#leaving.has(key(app, project))) {
      throw new SlotbridgeError(
        ErrorCode.NOT_INSTALLED,
        `${app} is not installed in project "${project}" (any more); nothing is kept for it.`,
      );
    }
  }

  /** Closes the store and revokes the blob URLs of packaged assets. */
  close(): void {
    this.#assets.revoke();
    this.#store.close();
  }

  /** Runs a change after the ones before it, once the store is loaded. */
  #change<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(() => this.ready).then(fn);
    this.#queue = run.catch(() => {});
    return run;
  }

  #addVersion(record: AppRecord): void {
    const versions = this.#versions.get(record.name) ?? [];
    this.#versions.set(
      record.name,
      [...versions, record].sort((a, b) => compareVersions(a.version, b.version)),
    );
  }
}

function key(app: string, project: string): string {
  return `${project}\u0000${app}`;
}
