/**
 * Artifacts kept by the registry: a record and its bytes in the store, per
 * app and project, bounded by a quota. Changes run in the registry's queue,
 * so a quota check and its write never interleave with another change.
 */
import { ErrorCode } from '../errors/error-code.js';
import { SlotbridgeError } from '../errors/slotbridge-error.js';
import type { RegistryStore, StoreWrite } from './store/registry-store.js';
import type { ArtifactFilter, ArtifactRecord } from './types.js';
import { randomUuid } from '../bridge/random-id.js';
import { isObject } from '../errors/untrusted.js';

/** Bytes of artifacts one app may keep in one project, unless the host sets `limits.maxArtifactBytes`. */
export const DEFAULT_ARTIFACT_QUOTA = 256 * 1024 * 1024;

/** An artifact to store: its record comes from the shelf (id, size, time). */
export interface NewArtifact {
  type: string;
  app: string;
  project: string;
  execution: string;
  item?: string;
  mediaType: string;
  encoding: ArtifactRecord['encoding'];
  data: Uint8Array;
}

export interface ArtifactShelfHooks {
  project(): string;
  emit(event: 'artifact:stored' | 'artifact:deleted', record: ArtifactRecord): void;
  /** Runs a change after the registry's earlier ones. */
  change<T>(fn: () => Promise<T>): Promise<T>;
  ready: Promise<void>;
}

export class ArtifactShelf {
  readonly #store: RegistryStore;
  readonly #hooks: ArtifactShelfHooks;
  /** Bytes per app and project. */
  readonly quota: number;

  constructor(store: RegistryStore, hooks: ArtifactShelfHooks, quota = DEFAULT_ARTIFACT_QUOTA) {
    this.#store = store;
    this.#hooks = hooks;
    this.quota = quota;
  }

  /**
   * Stores the artifacts of one execution: all of them or none. `STORAGE_FULL`
   * when an app would keep more than the quota in a project.
   */
  add(artifacts: readonly NewArtifact[]): Promise<ArtifactRecord[]> {
    return this.#hooks.change(async () => {
      const createdAt = Date.now();
      const records = artifacts.map(({ data, ...rest }): ArtifactRecord => ({
        id: `art-${randomUuid()}`,
        ...rest,
        size: data.byteLength,
        createdAt,
      }));
      const added = new Map<string, { project: string; app: string; bytes: number }>();
      for (const r of records) {
        const k = `${r.project}\u0000${r.app}`;
        const entry = added.get(k) ?? { project: r.project, app: r.app, bytes: 0 };
        entry.bytes += r.size;
        added.set(k, entry);
      }
      for (const { project, app, bytes } of added.values()) {
        const used = (await this.#store.artifacts(project, app)).reduce((sum, r) => sum + r.size, 0);
        if (used + bytes > this.quota) {
          throw new SlotbridgeError(
            ErrorCode.STORAGE_FULL,
            `${app} keeps ${used} bytes of artifacts in project "${project}"; ${bytes} more would pass its quota of ${this.quota}. Delete artifacts it no longer needs (host.artifacts.delete) first.`,
            { used, adding: bytes, quota: this.quota },
          );
        }
      }
      await this.#store.write(records.map((record, i): StoreWrite => ({ type: 'putArtifact', record, data: artifacts[i].data })));
      for (const record of records) this.#hooks.emit('artifact:stored', record);
      return records;
    });
  }

  /** The records of a project's artifacts (the current project by default), of one app or execution when given; oldest first. */
  async list(filter: ArtifactFilter = {}): Promise<ArtifactRecord[]> {
    const given: unknown = filter;
    if (!isObject(given) || Object.values(given).some((v) => v !== undefined && typeof v !== 'string')) {
      throw new SlotbridgeError(ErrorCode.BAD_INPUT, 'artifacts.list takes { app, project, execution }, each a string, all optional.');
    }
    await this.#hooks.ready;
    const records = await this.#store.artifacts(filter.project ?? this.#hooks.project(), filter.app);
    return filter.execution === undefined ? records : records.filter((r) => r.execution === filter.execution);
  }

  /** An artifact's record, or `undefined` when there is none with this id. */
  async get(id: string): Promise<ArtifactRecord | undefined> {
    checkId(id);
    await this.#hooks.ready;
    return this.#store.artifact(id);
  }

  /** An artifact's bytes (a JSON artifact's are its UTF-8 JSON text). `ARTIFACT_NOT_FOUND` when there is none. */
  async read(id: string): Promise<Uint8Array> {
    checkId(id);
    await this.#hooks.ready;
    const data = await this.#store.artifactData(id);
    if (!data) throw notFound(id);
    return data;
  }

  /** Deletes an artifact's record and bytes. `ARTIFACT_NOT_FOUND` when there is none. */
  delete(id: string): Promise<void> {
    checkId(id);
    return this.#hooks.change(async () => {
      const record = await this.#store.artifact(id);
      if (!record) throw notFound(id);
      await this.#store.write([{ type: 'deleteArtifact', id }]);
      this.#hooks.emit('artifact:deleted', record);
    });
  }
}

function checkId(id: unknown): void {
  if (typeof id !== 'string' || id === '')
    throw new SlotbridgeError(ErrorCode.BAD_INPUT, 'An artifact id is a non-empty string, as in an Execution output { artifact: id }.');
}

export function notFound(id: string): SlotbridgeError {
  return new SlotbridgeError(
    ErrorCode.ARTIFACT_NOT_FOUND,
    `No artifact "${id.slice(0, 100)}" is stored (it may have been deleted, or its app uninstalled); list them with artifacts.list().`,
  );
}
