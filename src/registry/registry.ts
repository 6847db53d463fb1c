/**
 * The registry: publishes app versions and installs them per project. This
 * version keeps everything in memory; the persistent store comes with the
 * registry issue behind the same methods.
 */
import { ErrorCode, SlotbridgeError } from '../errors/index.js';
import { parseManifest } from '../manifest/validate.js';
import { compareVersions } from './semver.js';
import type { AppRecord, Installation, InstallOptions, PublishOptions, Report, UninstallOptions } from './types.js';

/** Reports kept per app and project; the oldest go first. */
const MAX_REPORTS = 10_000;

export interface RegistryHooks {
  project(): string;
  emit(event: 'app:published' | 'app:installed' | 'app:uninstalled' | 'settings:changed', payload: unknown): void;
  /** Closes the app's frames in a project before it is uninstalled. */
  closeApp(app: string, project: string): void;
}

export class Registry {
  readonly #versions = new Map<string, AppRecord[]>();
  readonly #installs = new Map<string, Installation>();
  readonly #storage = new Map<string, Map<string, unknown>>();
  readonly #reports = new Map<string, Report[]>();
  readonly #hooks: RegistryHooks;

  constructor(hooks: RegistryHooks) {
    this.#hooks = hooks;
  }

  /** Validates and publishes a version. `MANIFEST_INVALID`, `VERSION_EXISTS`, `NAME_TAKEN`. */
  async publish(manifestInput: unknown, options: PublishOptions): Promise<AppRecord> {
    const manifest = parseManifest(manifestInput);
    if (!options || typeof options.baseUrl !== 'string' || !isAbsoluteUrl(options.baseUrl)) {
      throw new SlotbridgeError(ErrorCode.BAD_INPUT, 'publish needs { baseUrl }: the absolute URL where the app\'s files are served.');
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
    };
    this.#versions.set(manifest.name, [...versions, record].sort((a, b) => compareVersions(a.version, b.version)));
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

  /** A published version: the given one, or the latest. */
  app(name: string, version?: string): AppRecord | undefined {
    const versions = this.#versions.get(name);
    return version === undefined ? versions?.at(-1) : versions?.find((v) => v.version === version);
  }

  async install(name: string, options: InstallOptions = {}): Promise<Installation> {
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
      settings: previous?.settings ?? wizardDefaults(record),
      installedAt: Date.now(),
    };
    this.#installs.set(key(name, project), installation);
    this.#hooks.emit('app:installed', installation);
    return installation;
  }

  async uninstall(name: string, options: UninstallOptions = {}): Promise<void> {
    const project = options.project ?? this.#hooks.project();
    const installation = this.#installs.get(key(name, project));
    if (!installation) throw new SlotbridgeError(ErrorCode.NOT_INSTALLED, `${name} is not installed in project "${project}".`);
    this.#hooks.closeApp(name, project);
    this.#installs.delete(key(name, project));
    if (!options.keepData) {
      this.#storage.delete(key(name, project));
      this.#reports.delete(key(name, project));
    }
    this.#hooks.emit('app:uninstalled', { app: name, project, keepData: options.keepData === true });
  }

  installed(options: { project?: string } = {}): Installation[] {
    const project = options.project ?? this.#hooks.project();
    return [...this.#installs.values()].filter((i) => i.project === project);
  }

  installation(name: string, project: string = this.#hooks.project()): Installation | undefined {
    return this.#installs.get(key(name, project));
  }

  async saveSettings(name: string, values: Record<string, unknown>, options: { project?: string } = {}): Promise<Installation> {
    const project = options.project ?? this.#hooks.project();
    const installation = this.#installs.get(key(name, project));
    if (!installation) throw new SlotbridgeError(ErrorCode.NOT_INSTALLED, `${name} is not installed in project "${project}"; install it before saving its settings.`);
    if (typeof values !== 'object' || values === null || Array.isArray(values)) {
      throw new SlotbridgeError(ErrorCode.BAD_INPUT, 'Settings are an object of values.');
    }
    const updated = { ...installation, settings: structuredClone(values) };
    this.#installs.set(key(name, project), updated);
    this.#hooks.emit('settings:changed', { app: name, project, settings: updated.settings });
    return updated;
  }

  /** Records a report; returns it. */
  addReport(report: Report): Report {
    const k = key(report.app, report.project);
    const list = this.#reports.get(k) ?? [];
    if (list.length >= MAX_REPORTS) list.shift();
    list.push(report);
    this.#reports.set(k, list);
    return report;
  }

  /** What guests reported for an app in a project, oldest first. */
  reports(app: string, project: string = this.#hooks.project()): Report[] {
    return [...(this.#reports.get(key(app, project)) ?? [])];
  }

  /** Per-app, per-project key-value storage behind the bridge's `storage.*`. */
  storage(app: string, project: string): Map<string, unknown> {
    const k = key(app, project);
    let map = this.#storage.get(k);
    if (!map) this.#storage.set(k, (map = new Map()));
    return map;
  }
}

function key(app: string, project: string): string {
  return `${project}\u0000${app}`;
}

function isAbsoluteUrl(url: string): boolean {
  try {
    return /^https?:$/.test(new URL(url).protocol);
  } catch {
    return false;
  }
}

function wizardDefaults(record: AppRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const entry of record.manifest.wizard?.entries ?? []) if (entry.default !== undefined) out[entry.name] = entry.default;
  return out;
}
