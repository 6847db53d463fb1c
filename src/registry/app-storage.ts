/**
 * Each app's key-value storage in each project, behind the bridge's
 * `storage.*`: at most `MAX_STORAGE_KEYS` keys and the byte quota, counted as
 * the payload check counts them.
 */
import { ErrorCode } from '../errors/error-code.js';
import { SlotbridgeError } from '../errors/slotbridge-error.js';
import { payloadSize } from '../bridge/payload-size.js';
import type { RegistryStore } from './store/registry-store.js';

/** Storage keys per app and project. */
const MAX_STORAGE_KEYS = 10_000;

/** Bytes of storage an app gets in a project by default (`limits.maxStorageBytes`). */
export const DEFAULT_STORAGE_QUOTA = 16 * 1024 * 1024;

/** An app's key-value storage in one project. */
export interface AppStorage {
  get(key: string): Promise<unknown>;
  keys(): Promise<string[]>;
  /** `STORAGE_FULL` past the key limit or the quota. */
  set(key: string, value: unknown): Promise<void>;
  remove(key: string): Promise<void>;
}

export interface StorageShelfDeps {
  store: RegistryStore;
  ready: Promise<void>;
  /** Runs a change after the registry's changes before it. */
  change: <T>(fn: () => Promise<T>) => Promise<T>;
  /** Throws `NOT_INSTALLED` unless the app is installed and not on its way out. */
  assertKeeping: (app: string, project: string) => void;
  quota: number;
}

export class StorageShelf {
  /** Bytes each app keeps in a project, by `key(app, project)`: counted from the store on its first write. */
  readonly #bytes = new Map<string, number>();
  readonly #deps: StorageShelfDeps;

  constructor(deps: StorageShelfDeps) {
    this.#deps = deps;
  }

  of(app: string, project: string): AppStorage {
    const { store, ready, change, assertKeeping, quota } = this.#deps;
    return {
      get: async (k) => (await ready, store.storageGet(project, app, k)),
      keys: async () => (await ready, store.storageKeys(project, app)),
      set: (k, value) =>
        change(async () => {
          assertKeeping(app, project);
          const used = await this.#used(app, project);
          const before = entrySize(k, await store.storageGet(project, app, k));
          const after = used - before + entrySize(k, value, quota);
          if (after > quota) {
            throw new SlotbridgeError(
              ErrorCode.STORAGE_FULL,
              `${app} keeps ${used} bytes in this project's storage, and this value would take it past its ${quota}; remove some first, or store less.`,
            );
          }
          // Counted, not listed: the key list is only read when the limit is reached.
          if (
            before === 0 &&
            (await store.storageCount(project, app)) >= MAX_STORAGE_KEYS &&
            !(await store.storageKeys(project, app)).includes(k)
          ) {
            throw new SlotbridgeError(
              ErrorCode.STORAGE_FULL,
              `This app already keeps ${MAX_STORAGE_KEYS} keys in this project; remove some first.`,
            );
          }
          await store.write([{ type: 'putStorage', project, app, key: k, value }]);
          this.#bytes.set(key(app, project), after);
        }),
      remove: (k) =>
        change(async () => {
          assertKeeping(app, project);
          const used = await this.#used(app, project);
          const before = entrySize(k, await store.storageGet(project, app, k));
          await store.write([{ type: 'deleteStorage', project, app, key: k }]);
          this.#bytes.set(key(app, project), used - before);
        }),
    };
  }

  /** Forgets the counts (another tab wrote, or an app's data was cleared): they are read again on the next write. */
  forget(app?: string, project?: string): void {
    if (app === undefined || project === undefined) this.#bytes.clear();
    else this.#bytes.delete(key(app, project));
  }

  /** The bytes an app keeps in a project; read from the store once, then kept current by each write. */
  async #used(app: string, project: string): Promise<number> {
    let used = this.#bytes.get(key(app, project));
    if (used === undefined) {
      used = 0;
      for (const entry of await this.#deps.store.storageEntries(project, app)) used += entrySize(entry.key, entry.value);
      this.#bytes.set(key(app, project), used);
    }
    return used;
  }
}

/** What a stored key and value count against the quota: the estimate of the payload check (`undefined`, no value, is nothing). */
function entrySize(name: string, value: unknown, limit?: number): number {
  return value === undefined ? 0 : 2 * name.length + payloadSize(value, limit);
}

function key(app: string, project: string): string {
  return `${project}\u0000${app}`;
}
