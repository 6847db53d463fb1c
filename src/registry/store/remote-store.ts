/**
 * The registry's store on a registry service (`slotbridge serve`): what the
 * page mirrors (apps and the installations of the user's projects) is read
 * from `/v1/registry`, kept current by the change feed's stream, and every
 * write (installations, settings, storage, reports, artifacts) is a request
 * the server checks again with its own rules (who may install, who may
 * grant, each quota). Loaded on first use: a host on IndexedDB never
 * downloads it.
 */
import { ErrorCode } from '../../errors/error-code.js';
import { SlotbridgeError } from '../../errors/slotbridge-error.js';
import type { AppRecord, ArtifactRecord, Installation, Report } from '../types.js';
import type { RegistryStore, StoreWrite } from './registry-store.js';
import { MirrorCache, tokenIdentity, type Mirror } from './mirror-cache.js';
import { executeOnQueue, type RunRequest } from './remote-runs.js';
import { ServiceClient } from './service-client.js';
import { ChangeStream } from './change-stream.js';
import { codeOf } from '../../errors/caught.js';

export interface RemoteRegistryOptions {
  /** The service's URL, `https://registry.example.com`. */
  url: string;
  /** The user's token (the platform's backend signs it), or a function the host calls for one, and again when the server answers 401. */
  token: string | (() => string | Promise<string>);
  /**
   * Keep the last mirror in the page's IndexedDB and start the next page on it
   * (revalidated at once): `host.ready` without waiting for the network. On
   * unless `false`; turn it off where installations' settings must not be kept
   * in the browser.
   */
  cache?: boolean;
}

export class RemoteStore implements RegistryStore {
  readonly #url: string;
  readonly #client: ServiceClient;
  readonly #listeners = new Set<() => void>();
  #seq = '0';
  #stream: ChangeStream | undefined;
  #closed = false;
  #pending: ReturnType<typeof setTimeout> | undefined;
  readonly #useCache: boolean;
  #cache: MirrorCache | undefined;
  /** The text of the mirror the registry holds now, to tell a fetch that changed nothing. */
  #held: string | undefined;
  /** A mirror fetched by the revalidation, for the registry's next load. */
  #fresh: Mirror | undefined;
  /** Who waits for a run's next change, by run id. */
  readonly #runWaiters = new Map<string, (status?: string) => void>();

  constructor(options: RemoteRegistryOptions) {
    this.#url = options.url.replace(/\/+$/, '');
    this.#client = new ServiceClient(this.#url, options.token);
    this.#useCache = options.cache !== false;
  }

  async load(): Promise<{ apps: AppRecord[]; installations: Installation[] }> {
    if (this.#held === undefined && this.#useCache) {
      const identity = tokenIdentity(await this.#client.credentials(false));
      this.#cache = identity === undefined ? undefined : new MirrorCache(JSON.stringify([this.#url, identity]));
      const cached = await this.#cache?.read();
      if (cached) {
        this.#held = cached.text;
        this.#seq = cached.mirror.seq;
        void this.#revalidate();
        return this.#view(cached.mirror);
      }
    }
    const fresh = this.#fresh ?? (await this.#fetchMirror());
    this.#fresh = undefined;
    this.#follow();
    return this.#view(fresh);
  }

  /** The service's mirror now; kept for the next page. */
  async #fetchMirror(): Promise<Mirror> {
    const { apps, installations, seq } = (await this.#client.request('GET', '/v1/registry')) as Mirror;
    const mirror = { apps, installations, seq };
    const text = JSON.stringify(mirror);
    this.#seq = seq;
    this.#held = text;
    void this.#cache?.write(text);
    return mirror;
  }

  /** After a start on the cached mirror: the service's, and a reload when it differs. */
  async #revalidate(): Promise<void> {
    const held = this.#held;
    try {
      const mirror = await this.#fetchMirror();
      if (this.#closed) return;
      if (this.#held !== held) {
        this.#fresh = mirror;
        this.#changed();
      }
    } catch {
      // The service cannot be reached: the page goes on with the cached mirror; the stream retries.
    }
    this.#follow();
  }

  #view({ apps, installations }: { apps: AppRecord[]; installations: Installation[] }): {
    apps: AppRecord[];
    installations: Installation[];
  } {
    return {
      apps: apps.map((a) => ({
        name: a.name,
        version: a.version,
        manifest: a.manifest,
        baseUrl: a.baseUrl,
        scope: a.scope,
        project: a.project,
        provider: a.provider,
        publishedAt: a.publishedAt,
      })),
      installations: installations.map((i) => ({
        app: i.app,
        version: i.version,
        project: i.project,
        grant: i.grant,
        settings: i.settings,
        installedAt: i.installedAt,
      })),
    };
  }

  async write(writes: readonly StoreWrite[]): Promise<void> {
    void this.#cache?.forget();
    const reports = new Map<string, Report[]>();
    for (const write of writes) {
      switch (write.type) {
        case 'putApp':
          throw new SlotbridgeError(
            ErrorCode.FORBIDDEN,
            'A host on a registry service does not publish: publish with slotbridge publish (a publish token), from a terminal or CI.',
          );
        case 'putInstallation': {
          const { app, project, version, grant, settings } = write.installation;
          await this.#client.request('PUT', `/v1/projects/${enc(project)}/installations/${enc(app)}`, { tracks: version, grant, settings });
          break;
        }
        case 'deleteInstallation':
          // The service removes the app's storage, reports and artifacts with it, in one transaction.
          await this.#client.request('DELETE', `/v1/projects/${enc(write.project)}/installations/${enc(write.app)}`);
          break;
        case 'clearAppData':
          // Only ever after deleteInstallation, which cleared it already.
          break;
        case 'putStorage':
          await this.#client.request('PUT', this.#storagePath(write.project, write.app, write.key), { value: write.value });
          break;
        case 'deleteStorage':
          await this.#client.request('DELETE', this.#storagePath(write.project, write.app, write.key));
          break;
        case 'addReports':
          for (const report of write.reports) {
            const key = `${report.project}\u0000${report.app}`;
            reports.set(key, [...(reports.get(key) ?? []), report]);
          }
          break;
        case 'putArtifact': {
          const { id, project, app, type, execution, item, mediaType, encoding } = write.record;
          const query = new URLSearchParams({ type, execution, mediaType, encoding, ...(item !== undefined ? { item } : {}) });
          await this.#client.request('PUT', `/v1/projects/${enc(project)}/apps/${enc(app)}/artifacts/${enc(id)}?${query}`, write.data);
          break;
        }
        case 'deleteArtifact':
          await this.#client.request('DELETE', `/v1/artifacts/${enc(write.id)}`);
          break;
      }
    }
    for (const [key, list] of reports) {
      const [project, app] = key.split('\u0000') as [string, string];
      for (let i = 0; i < list.length; i += 1000)
        await this.#client.request('POST', `/v1/projects/${enc(project)}/apps/${enc(app)}/reports`, { reports: list.slice(i, i + 1000) });
    }
  }

  async storageGet(project: string, app: string, key: string): Promise<unknown> {
    return ((await this.#client.request('GET', this.#storagePath(project, app, key))) as { value?: unknown }).value;
  }

  async storageKeys(project: string, app: string): Promise<string[]> {
    return ((await this.#client.request('GET', `/v1/projects/${enc(project)}/apps/${enc(app)}/storage`)) as { keys: string[] }).keys;
  }

  async storageCount(project: string, app: string): Promise<number> {
    return (await this.storageKeys(project, app)).length;
  }

  async storageEntries(project: string, app: string): Promise<{ key: string; value: unknown }[]> {
    return (
      (await this.#client.request('GET', `/v1/projects/${enc(project)}/apps/${enc(app)}/storage?values=1`)) as {
        entries: { key: string; value: unknown }[];
      }
    ).entries;
  }

  async reports(project: string, app: string): Promise<Report[]> {
    return ((await this.#client.request('GET', `/v1/projects/${enc(project)}/apps/${enc(app)}/reports`)) as { reports: Report[] }).reports;
  }

  async artifacts(project: string, app?: string): Promise<ArtifactRecord[]> {
    const query = app !== undefined ? `?app=${enc(app)}` : '';
    return ((await this.#client.request('GET', `/v1/projects/${enc(project)}/artifacts${query}`)) as { artifacts: ArtifactRecord[] })
      .artifacts;
  }

  async artifact(id: string): Promise<ArtifactRecord | undefined> {
    return this.#client.request('GET', `/v1/artifacts/${enc(id)}`).then(
      (record) => record as ArtifactRecord,
      (err: unknown) => (codeOf(err) === ErrorCode.ARTIFACT_NOT_FOUND ? undefined : Promise.reject(err)),
    );
  }

  async artifactData(id: string): Promise<Uint8Array | undefined> {
    return this.#client.request('GET', `/v1/artifacts/${enc(id)}/data`).then(
      (bytes) => bytes as Uint8Array,
      (err: unknown) => (codeOf(err) === ErrorCode.ARTIFACT_NOT_FOUND ? undefined : Promise.reject(err)),
    );
  }

  /** Runs a function on the service's queue (see remote-runs.ts), its changes heard on this store's stream. */
  execute(request: RunRequest): Promise<unknown> {
    return executeOnQueue(this.#client, request, (run, wake) => {
      if (wake) this.#runWaiters.set(run, wake);
      else this.#runWaiters.delete(run);
    });
  }

  onRemoteChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  close(): void {
    this.#closed = true;
    this.#cache?.close();
    this.#stream?.close();
    clearTimeout(this.#pending);
    this.#listeners.clear();
  }

  /** Tells the registry to mirror the store again: once for a burst of changes, not once each. */
  #changed(): void {
    if (this.#pending) return;
    this.#pending = setTimeout(() => {
      this.#pending = undefined;
      for (const listener of this.#listeners) listener();
    }, 50);
  }

  /** Keeps the change stream open from the mirror's seq: a run's change wakes who waits for it, any other reloads the mirror. */
  #follow(): void {
    if (this.#closed || this.#stream) return;
    this.#stream = new ChangeStream(this.#url, this.#client, this.#seq, (change) => {
      if (change.run !== undefined) this.#runWaiters.get(change.run)?.(change.status);
      else this.#changed();
    });
  }

  #storagePath(project: string, app: string, key: string): string {
    return `/v1/projects/${enc(project)}/apps/${enc(app)}/storage/${enc(key)}`;
  }
}

function enc(part: string): string {
  return encodeURIComponent(part);
}
