/**
 * The registry's store on a registry service (`slotbridge serve`): what the
 * page mirrors (apps and the installations of the user's projects) is read
 * from `/v1/registry`, kept current by the change feed's stream, and every
 * write (installations, settings, storage, reports, artifacts) is a request
 * the server checks again with its own rules (who may install, who may
 * grant, each quota). Loaded on first use: a host on IndexedDB never
 * downloads it.
 */
import { ErrorCode, isErrorCode } from '../../errors/error-code.js';
import { SlotbridgeError } from '../../errors/slotbridge-error.js';
import type { AppRecord, ArtifactRecord, Installation, Report } from '../types.js';
import type { RegistryStore, StoreWrite } from './registry-store.js';
import { MirrorCache, tokenIdentity, type Mirror } from './mirror-cache.js';

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

/** How long to wait before opening the change stream again after it broke, ms (doubling up to a minute). */
const RETRY_MS = 500;

export class RemoteStore implements RegistryStore {
  readonly #url: string;
  readonly #token: RemoteRegistryOptions['token'];
  readonly #listeners = new Set<() => void>();
  #current: string | undefined;
  #seq = '0';
  #stream: AbortController | undefined;
  #retry = RETRY_MS;
  #closed = false;
  #pending: ReturnType<typeof setTimeout> | undefined;
  readonly #useCache: boolean;
  #cache: MirrorCache | undefined;
  /** The text of the mirror the registry holds now, to tell a fetch that changed nothing. */
  #held: string | undefined;
  /** A mirror fetched by the revalidation, for the registry's next load. */
  #fresh: Mirror | undefined;
  /** Who waits for a run's next change, by run id. */
  readonly #runWaiters = new Map<string, () => void>();

  constructor(options: RemoteRegistryOptions) {
    this.#url = options.url.replace(/\/+$/, '');
    this.#token = options.token;
    this.#useCache = options.cache !== false;
  }

  async load(): Promise<{ apps: AppRecord[]; installations: Installation[] }> {
    if (this.#held === undefined && this.#useCache) {
      const identity = tokenIdentity(await this.#credentials(false));
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
    if (!this.#stream) this.#follow();
    return this.#view(fresh);
  }

  /** The service's mirror now; kept for the next page. */
  async #fetchMirror(): Promise<Mirror> {
    const { apps, installations, seq } = (await this.#request('GET', '/v1/registry')) as Mirror;
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
    if (!this.#stream) this.#follow();
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
          await this.#request('PUT', `/v1/projects/${enc(project)}/installations/${enc(app)}`, { tracks: version, grant, settings });
          break;
        }
        case 'deleteInstallation':
          // The service removes the app's storage, reports and artifacts with it, in one transaction.
          await this.#request('DELETE', `/v1/projects/${enc(write.project)}/installations/${enc(write.app)}`);
          break;
        case 'clearAppData':
          // Only ever after deleteInstallation, which cleared it already.
          break;
        case 'putStorage':
          await this.#request('PUT', this.#storagePath(write.project, write.app, write.key), { value: write.value });
          break;
        case 'deleteStorage':
          await this.#request('DELETE', this.#storagePath(write.project, write.app, write.key));
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
          await this.#request('PUT', `/v1/projects/${enc(project)}/apps/${enc(app)}/artifacts/${enc(id)}?${query}`, write.data);
          break;
        }
        case 'deleteArtifact':
          await this.#request('DELETE', `/v1/artifacts/${enc(write.id)}`);
          break;
      }
    }
    for (const [key, list] of reports) {
      const [project, app] = key.split('\u0000') as [string, string];
      for (let i = 0; i < list.length; i += 1000)
        await this.#request('POST', `/v1/projects/${enc(project)}/apps/${enc(app)}/reports`, { reports: list.slice(i, i + 1000) });
    }
  }

  async storageGet(project: string, app: string, key: string): Promise<unknown> {
    return ((await this.#request('GET', this.#storagePath(project, app, key))) as { value?: unknown }).value;
  }

  async storageKeys(project: string, app: string): Promise<string[]> {
    return ((await this.#request('GET', `/v1/projects/${enc(project)}/apps/${enc(app)}/storage`)) as { keys: string[] }).keys;
  }

  async storageCount(project: string, app: string): Promise<number> {
    return (await this.storageKeys(project, app)).length;
  }

  async storageEntries(project: string, app: string): Promise<{ key: string; value: unknown }[]> {
    return (
      (await this.#request('GET', `/v1/projects/${enc(project)}/apps/${enc(app)}/storage?values=1`)) as {
        entries: { key: string; value: unknown }[];
      }
    ).entries;
  }

  async reports(project: string, app: string): Promise<Report[]> {
    return ((await this.#request('GET', `/v1/projects/${enc(project)}/apps/${enc(app)}/reports`)) as { reports: Report[] }).reports;
  }

  async artifacts(project: string, app?: string): Promise<ArtifactRecord[]> {
    const query = app !== undefined ? `?app=${enc(app)}` : '';
    return ((await this.#request('GET', `/v1/projects/${enc(project)}/artifacts${query}`)) as { artifacts: ArtifactRecord[] }).artifacts;
  }

  async artifact(id: string): Promise<ArtifactRecord | undefined> {
    return this.#request('GET', `/v1/artifacts/${enc(id)}`).then(
      (record) => record as ArtifactRecord,
      (err: SlotbridgeError) => (err.code === ErrorCode.ARTIFACT_NOT_FOUND ? undefined : Promise.reject(err)),
    );
  }

  async artifactData(id: string): Promise<Uint8Array | undefined> {
    return this.#request('GET', `/v1/artifacts/${enc(id)}/data`).then(
      (bytes) => bytes as Uint8Array,
      (err: SlotbridgeError) => (err.code === ErrorCode.ARTIFACT_NOT_FOUND ? undefined : Promise.reject(err)),
    );
  }

  /**
   * Runs a function on the service's queue (`host.execute` of a module with a
   * computeConfig or a queue, or a Python module on a host without Python):
   * the run is asked for, followed through the change stream (and a read
   * every few seconds, should the stream be away), and cancelled on abort.
   * Resolves with its outputs as the function runner maps them.
   */
  async execute(request: Parameters<NonNullable<RegistryStore['runs']>['execute']>[0]): Promise<unknown> {
    const { app, project, module, function: fn, inputs, signal } = request;
    const run = (await this.#request('POST', `/v1/projects/${enc(project)}/apps/${enc(app)}/runs`, { module, function: fn, inputs })) as RunView;
    const cancel = () => void this.#request('POST', `/v1/runs/${enc(run.id)}/cancel`).catch(() => undefined);
    signal.addEventListener('abort', cancel, { once: true });
    try {
      for (;;) {
        const now = (await this.#request('GET', `/v1/runs/${enc(run.id)}`)) as RunView;
        if (now.status === 'succeeded') {
          const values = Object.values(now.output ?? {});
          // As a function returns them: nothing, its one value, or its values in order.
          return values.length === 0 ? undefined : values.length === 1 ? values[0] : values;
        }
        if (now.status === 'failed' || now.status === 'cancelled') {
          const code = isErrorCode(now.error?.code) ? now.error.code : ErrorCode.EXECUTION_FAILED;
          throw new SlotbridgeError(code, now.error?.message ?? `Run ${run.id} ${now.status}.`, { run: run.id, runner: now.runner, log: now.log.slice(-10_000) });
        }
        if (signal.aborted) throw signal.reason;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, 3000);
          function done() {
            clearTimeout(timer);
            resolve();
          }
          this.#runWaiters.set(run.id, done);
          signal.addEventListener('abort', done, { once: true });
        });
      }
    } finally {
      this.#runWaiters.delete(run.id);
      signal.removeEventListener('abort', cancel);
    }
  }

  onRemoteChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  close(): void {
    this.#closed = true;
    this.#cache?.close();
    this.#stream?.abort();
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

  #storagePath(project: string, app: string, key: string): string {
    return `/v1/projects/${enc(project)}/apps/${enc(app)}/storage/${enc(key)}`;
  }

  async #credentials(fresh: boolean): Promise<string> {
    if (typeof this.#token === 'string') return this.#token;
    if (fresh || this.#current === undefined) this.#current = await this.#token();
    return this.#current;
  }

  /** One request; the answer's JSON, or the service's `{ code, message }` as a SlotbridgeError. A 401 gets one retry with a fresh token. */
  async #request(method: string, path: string, body?: unknown, retried = false): Promise<unknown> {
    const headers: Record<string, string> = { authorization: `Bearer ${await this.#credentials(retried)}` };
    // Bytes go as they are (an artifact); anything else as JSON.
    const bytes = body instanceof Uint8Array;
    if (body !== undefined) headers['content-type'] = bytes ? 'application/octet-stream' : 'application/json';
    let response: Response;
    try {
      response = await fetch(`${this.#url}${path}`, {
        method,
        headers,
        ...(body !== undefined ? { body: bytes ? (body as BodyInit) : JSON.stringify(body) } : {}),
      });
    } catch (err) {
      throw new SlotbridgeError(
        ErrorCode.STORAGE_FAILED,
        `The registry at ${this.#url} cannot be reached (${(err as Error).message}); nothing was changed. Check the connection and try again.`,
      );
    }
    if (response.status === 401 && !retried && typeof this.#token === 'function') return this.#request(method, path, body, true);
    if (response.ok && response.headers.get('content-type') === 'application/octet-stream')
      return new Uint8Array(await response.arrayBuffer());
    const json = (await response.json().catch(() => undefined)) as { code?: unknown; message?: unknown; details?: unknown } | undefined;
    if (!response.ok) {
      const code = isErrorCode(json?.code) ? json.code : ErrorCode.STORAGE_FAILED;
      throw new SlotbridgeError(
        code,
        typeof json?.message === 'string' ? json.message : `The registry answered ${response.status}; nothing was changed.`,
        json?.details,
      );
    }
    return json;
  }

  /** Keeps the change stream open: each change makes the registry mirror the store again. */
  #follow(): void {
    if (this.#closed) return;
    const controller = (this.#stream = new AbortController());
    void this.#read(controller)
      .then(
        () => undefined,
        () => undefined,
      )
      .finally(() => {
        if (this.#closed || controller.signal.aborted) return;
        setTimeout(() => this.#follow(), this.#retry);
        this.#retry = Math.min(this.#retry * 2, 60_000);
      });
  }

  async #read(controller: AbortController, retried = false): Promise<void> {
    const token = await this.#credentials(retried);
    const response = await fetch(`${this.#url}/v1/changes/stream?since=${this.#seq}`, {
      headers: { authorization: `Bearer ${token}` },
      signal: controller.signal,
    });
    if (response.status === 401 && !retried && typeof this.#token === 'function') return this.#read(controller, true);
    if (!response.ok || !response.body) return;
    this.#retry = RETRY_MS;
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const event = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const id = /^id: ?(\d+)$/m.exec(event)?.[1];
        if (!/^event: ?change$/m.test(event) || id === undefined) continue;
        this.#seq = id;
        // A run's progress concerns whoever waits for that run, not the mirror.
        const run = /^data: ?.*"kind":"run:changed".*"run":"([^"]+)"/m.exec(event)?.[1];
        if (run !== undefined) this.#runWaiters.get(run)?.();
        else this.#changed();
      }
      // A stream that sends no blank line is not the feed: it is dropped, not kept in memory.
      if (buffer.length > 1024 * 1024) return controller.abort();
    }
  }
}

/** What the service answers for a run (`GET /v1/runs/{run}`). */
interface RunView {
  id: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  runner: string | null;
  output: Record<string, unknown> | null;
  error: { code: string; message: string } | null;
  log: string;
}

function enc(part: string): string {
  return encodeURIComponent(part);
}
