/**
 * The registry: publishes app versions and installs them per project, over a
 * RegistryStore (IndexedDB by default). Apps and installations are mirrored in
 * memory for synchronous reads once `ready` resolves; every change is written
 * to the store first and reaches the mirror only once it landed, so a failed
 * write leaves both as they were. Changes run one at a time.
 */
import { ErrorCode, SlotbridgeError } from '../errors/index.js';
import { payloadSize } from '../bridge/payload-size.js';
import { compareVersions } from './semver.js';
import { readPackage } from './read-package.js';
import type { RegistryStore, StoreWrite } from './store/registry-store.js';
import type { AppRecord, Installation, InstallOptions, PublishOptions, Report, UninstallOptions } from './types.js';
import { type NewReport, ReportBook, type ReportLimits, type ReportSeries } from './report-book.js';
import { ArtifactShelf } from './artifact-shelf.js';
import { normalizeSettings, parseSettingPath, writeTarget } from '../wizard/app-settings.js';

/** Storage keys per app and project. */
const MAX_STORAGE_KEYS = 10_000;

export interface RegistryHooks {
  project(): string;
  emit(event: 'app:published' | 'app:installed' | 'app:uninstalled' | 'settings:changed' | 'report' | 'artifact:stored' | 'artifact:deleted', payload: unknown): void;
  /** Closes the app's frames in a project before it is uninstalled. */
  closeApp(app: string, project: string): void;
}

export class Registry {
  /** Resolves once the store's apps and installations are in memory. */
  readonly ready: Promise<void>;
  /** Stored function outputs of `Artifact:<type>` types. */
  readonly artifacts: ArtifactShelf;
  readonly #versions = new Map<string, AppRecord[]>();
  readonly #installs = new Map<string, Installation>();
  readonly #hooks: RegistryHooks;
  readonly #store: RegistryStore;
  readonly #blobUrls = new Map<string, string>();
  /** Bytes each app keeps in storage in a project, by `key(app, project)`: counted from the store on its first write. */
  readonly #storageBytes = new Map<string, number>();
  readonly #storageQuota: number;
  /** Apps being uninstalled, by `key(app, project)`: their writes are refused from the start. */
  readonly #leaving = new Set<string>();
  readonly #reports: ReportBook;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(hooks: RegistryHooks, store: RegistryStore, options: RegistryOptions = {}) {
    this.#hooks = hooks;
    this.#store = store;
    this.#storageQuota = options.storageQuota ?? DEFAULT_STORAGE_QUOTA;
    this.#reports = new ReportBook(store, options.reportLimits, (app, project) => this.#assertKeeping(app, project), options.reportQuota);
    this.ready = store.load().then(({ apps, installations }) => {
      for (const record of apps) this.#addVersion(record);
      for (const installation of installations) this.#installs.set(key(installation.app, installation.project), installation);
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
    this.#storageBytes.clear();
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
      if (!old || old.version !== installation.version || old.grant.join() !== installation.grant.join()) this.#hooks.emit('app:installed', installation);
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
      return this.#publishNow(pkg.manifest, options, pkg.assets);
    });
  }

  /**
   * The URL of an app's asset: for a packaged app, a blob URL of a passive
   * type (an image, a font, text), or a `data:` URL for a document type (SVG,
   * HTML); else `<baseUrl>/assets/<file>`. `undefined` for a file the package
   * lacks. A blob URL has the platform's origin: a document that could run
   * script, opened from one, would run as the platform. A `data:` URL has no
   * origin, and browsers refuse to open one as a page.
   */
  assetUrl(record: AppRecord, file: string): string | undefined {
    if (!record.assets) return new URL(`assets/${file.split('/').map(encodeURIComponent).join('/')}`, record.baseUrl).href;
    const bytes = record.assets[file];
    if (!bytes) return undefined;
    const cacheKey = `${record.name}@${record.version}/${file}`;
    let url = this.#blobUrls.get(cacheKey);
    if (!url) {
      const type = mediaType(file);
      url = ACTIVE_TYPES.has(type) ? dataUrl(bytes, type) : URL.createObjectURL(new Blob([bytes as BlobPart], { type }));
      this.#blobUrls.set(cacheKey, url);
    }
    return url;
  }

  /** Checks and writes a new version; runs inside #change. */
  async #publishNow(manifestInput: unknown, options: PublishOptions, assets: Record<string, Uint8Array> | undefined): Promise<AppRecord> {
    // The validator loads on the first publish: a host that only mounts what is installed never needs it.
    const { parseManifest } = await import('../manifest/validate.js');
    const manifest = parseManifest(manifestInput);
    if (!options || typeof options.baseUrl !== 'string' || !isAbsoluteUrl(options.baseUrl)) {
      throw new SlotbridgeError(ErrorCode.BAD_INPUT, "publish needs { baseUrl }: the absolute URL where the app's files are served.");
    }
    const versions = this.#versions.get(manifest.name) ?? [];
    const provider = typeof manifest.provider === 'string' ? manifest.provider : undefined;
    const owner = versions[0]?.provider;
    if (versions.length > 0 && owner !== provider) {
      throw new SlotbridgeError(ErrorCode.NAME_TAKEN, `The name "${manifest.name}" belongs to ${owner ?? 'another provider'}; pick another name.`);
    }
    if (versions.some((v) => v.version === manifest.version)) {
      throw new SlotbridgeError(ErrorCode.VERSION_EXISTS, `${manifest.name}@${manifest.version} is already published and cannot change; raise the version.`);
    }
    const scope = options.scope ?? manifest.scope;
    const record: AppRecord = {
      name: manifest.name,
      version: manifest.version,
      manifest,
      baseUrl: options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`,
      scope,
      project: scope === 'project' ? (options.project ?? this.#hooks.project()) : undefined,
      provider,
      publishedAt: Date.now(),
      ...(assets ? { assets } : {}),
    };
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
      if (query && !`${latest.name} ${latest.manifest.displayName} ${latest.manifest.description ?? ''}`.toLowerCase().includes(query)) continue;
      out.push(latest);
    }
    return out.sort((a, b) => a.manifest.featured - b.manifest.featured || a.name.localeCompare(b.name));
  }

  /** Another published app with a version served from `origin` (its baseUrl, or an absolute page URL), if any. */
  appServedFrom(origin: string, except: string): string | undefined {
    for (const [name, versions] of this.#versions) {
      if (name === except) continue;
      for (const { baseUrl, manifest } of versions) {
        const pages = [baseUrl, ...manifest.components.panels.map((p) => p.url), ...manifest.components.modules.map((m) => m.url)];
        if (pages.some((page) => page !== undefined && originOf(page, baseUrl) === origin)) return name;
      }
    }
    return undefined;
  }

  /** A published version: the given one, or the latest. */
  app(name: string, version?: string): AppRecord | undefined {
    const versions = this.#versions.get(name);
    return version === undefined ? versions?.at(-1) : versions?.find((v) => v.version === version);
  }

  install(name: string, options: InstallOptions = {}): Promise<Installation> {
    return this.#change(async () => {
      const project = options.project ?? this.#hooks.project();
      const record = this.app(name, options.version);
      if (!record) {
        const known = this.#versions.get(name);
        throw new SlotbridgeError(
          ErrorCode.APP_NOT_FOUND,
          known ? `${name} has no version ${options.version}; published: ${known.map((v) => v.version).join(', ')}.` : `No app named "${name}" is published; publish it first.`,
        );
      }
      if (record.scope === 'project' && record.project !== project) {
        throw new SlotbridgeError(ErrorCode.SCOPE_VIOLATION, `${name} is published for project "${record.project}" only; publish it with scope "organization" to use it in "${project}".`);
      }
      const asked = record.manifest.permissions;
      const grant = options.grant ?? asked;
      const extra = grant.filter((p) => !asked.includes(p));
      if (extra.length > 0) {
        throw new SlotbridgeError(ErrorCode.PERMISSION_DENIED, `${name} does not ask for ${extra.join(', ')}; a grant may only hold permissions from the manifest: ${asked.join(', ') || '(none)'}.`);
      }
      const previous = this.#installs.get(key(name, project));
      const installation: Installation = {
        app: name,
        version: record.version,
        project,
        grant: [...new Set(grant)],
        settings: previous?.settings ?? (await wizardRules()).defaultSettings(record.manifest.wizard?.entries ?? []),
        installedAt: Date.now(),
      };
      await this.#store.write([{ type: 'putInstallation', installation }]);
      this.#installs.set(key(name, project), installation);
      this.#hooks.emit('app:installed', installation);
      return installation;
    });
  }

  uninstall(name: string, options: UninstallOptions = {}): Promise<void> {
    return this.#change(async () => {
      const project = options.project ?? this.#hooks.project();
      if (!this.#installs.has(key(name, project))) throw new SlotbridgeError(ErrorCode.NOT_INSTALLED, `${name} is not installed in project "${project}".`);
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
        this.#storageBytes.delete(key(name, project));
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
      (await wizardRules()).saveValues(record?.manifest.wizard?.entries ?? [], values, installation.settings),
    );
  }

  /** Sets one saved setting (`configuration.<name>` or `hyperparams.<section>.<name>`): what a guest reports back, as a ClearML app sets its task's parameters. */
  setSetting(name: string, path: string, value: unknown, options: { project?: string } = {}): Promise<Installation> {
    const target = parseSettingPath(path);
    return this.#updateSettings(name, options.project, (installation) => writeTarget(normalizeSettings(installation.settings), target, value));
  }

  #updateSettings(
    name: string,
    project: string | undefined,
    update: (installation: Installation, record: AppRecord | undefined) => Installation['settings'] | Promise<Installation['settings']>,
  ): Promise<Installation> {
    return this.#change(async () => {
      const where = project ?? this.#hooks.project();
      const installation = this.#installs.get(key(name, where));
      if (!installation) throw new SlotbridgeError(ErrorCode.NOT_INSTALLED, `${name} is not installed in project "${where}"; install it before saving its settings.`);
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
  storage(app: string, project: string) {
    const store = this.#store;
    return {
      get: async (k: string) => (await this.ready, store.storageGet(project, app, k)),
      keys: async () => (await this.ready, store.storageKeys(project, app)),
      set: (k: string, value: unknown) =>
        this.#change(async () => {
          this.#assertKeeping(app, project);
          const used = await this.#storageUsed(app, project);
          const before = entrySize(k, await store.storageGet(project, app, k));
          const after = used - before + entrySize(k, value, this.#storageQuota);
          if (after > this.#storageQuota) {
            throw new SlotbridgeError(
              ErrorCode.STORAGE_FULL,
              `${app} keeps ${used} bytes in this project's storage, and this value would take it past its ${this.#storageQuota}; remove some first, or store less.`,
            );
          }
          // Counted, not listed: the key list is only read when the limit is reached.
          if (before === 0 && (await store.storageCount(project, app)) >= MAX_STORAGE_KEYS && !(await store.storageKeys(project, app)).includes(k)) {
            throw new SlotbridgeError(ErrorCode.STORAGE_FULL, `This app already keeps ${MAX_STORAGE_KEYS} keys in this project; remove some first.`);
          }
          await store.write([{ type: 'putStorage', project, app, key: k, value }]);
          this.#storageBytes.set(key(app, project), after);
        }),
      remove: (k: string) =>
        this.#change(async () => {
          this.#assertKeeping(app, project);
          const used = await this.#storageUsed(app, project);
          const before = entrySize(k, await store.storageGet(project, app, k));
          await store.write([{ type: 'deleteStorage', project, app, key: k }]);
          this.#storageBytes.set(key(app, project), used - before);
        }),
    };
  }

  /** The bytes an app keeps in storage in a project; read from the store once, then kept current by each write. */
  async #storageUsed(app: string, project: string): Promise<number> {
    let used = this.#storageBytes.get(key(app, project));
    if (used === undefined) {
      used = 0;
      for (const entry of await this.#store.storageEntries(project, app)) used += entrySize(entry.key, entry.value);
      this.#storageBytes.set(key(app, project), used);
    }
    return used;
  }

  /**
   * A write for an app must find it installed, and not on its way out: a call
   * queued while `uninstall()` ran would otherwise land after its data was
   * cleared, and be there again after a reinstall.
   */
  #assertKeeping(app: string, project: string): void {
    if (!this.#installs.has(key(app, project)) || this.#leaving.has(key(app, project))) {
      throw new SlotbridgeError(ErrorCode.NOT_INSTALLED, `${app} is not installed in project "${project}" (any more); nothing is kept for it.`);
    }
  }

  /** Closes the store and revokes the blob URLs of packaged assets. */
  close(): void {
    for (const url of this.#blobUrls.values()) URL.revokeObjectURL(url);
    this.#blobUrls.clear();
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
    this.#versions.set(record.name, [...versions, record].sort((a, b) => compareVersions(a.version, b.version)));
  }
}

/** The wizard's rules load with the first install or save: a page that only mounts never needs them. */
function wizardRules() {
  return import('../wizard/wizard-form.js');
}

function key(app: string, project: string): string {
  return `${project}\u0000${app}`;
}

const MEDIA_TYPES: Record<string, string> = { svg: 'image/svg+xml', png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp', json: 'application/json', html: 'text/html', css: 'text/css', txt: 'text/plain' };

/** Types a browser opens as a document that can run script. */
const ACTIVE_TYPES: ReadonlySet<string> = new Set(['image/svg+xml', 'text/html']);

function dataUrl(bytes: Uint8Array, type: string): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return `data:${type};base64,${btoa(binary)}`;
}

function mediaType(file: string): string {
  return MEDIA_TYPES[file.split('.').pop()?.toLowerCase() ?? ''] ?? 'application/octet-stream';
}

/** Bytes of storage an app gets in a project by default (`limits.maxStorageBytes`). */
export const DEFAULT_STORAGE_QUOTA = 16 * 1024 * 1024;

export interface RegistryOptions {
  reportLimits?: Partial<ReportLimits> | undefined;
  artifactQuota?: number | undefined;
  /** Bytes of storage per app and project. */
  storageQuota?: number | undefined;
  /** Bytes of reports per app and project. */
  reportQuota?: number | undefined;
}

/** What a stored key and value count against the quota: the estimate of the payload check (`undefined`, no value, is nothing). */
function entrySize(name: string, value: unknown, limit?: number): number {
  return value === undefined ? 0 : 2 * name.length + payloadSize(value, limit);
}

function originOf(url: string, base: string): string | undefined {
  try {
    return new URL(url, base).origin;
  } catch {
    return undefined;
  }
}

function isAbsoluteUrl(url: string): boolean {
  try {
    return /^https?:$/.test(new URL(url).protocol);
  } catch {
    return false;
  }
}
