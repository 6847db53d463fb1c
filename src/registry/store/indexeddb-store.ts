/**
 * The default RegistryStore: IndexedDB, through idb. Versioned schema with
 * an upgrade step per version; each batch of writes is one transaction over
 * the stores it touches, so it lands whole or not at all.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { AppRecord, ArtifactRecord, Installation, Report } from '../types.js';
import { storeError, type RegistryStore, type StoreWrite } from './registry-store.js';
import { seriesKey } from '../report-book.js';

interface StorageRow {
  project: string;
  app: string;
  key: string;
  value: unknown;
}

/** Reports of one series stored by one write: ordinals `first` to `last`, oldest first. */
interface ReportRow {
  seq?: number;
  project: string;
  app: string;
  series: string;
  first: number;
  last: number;
  reports: Report[];
}

interface Schema extends DBSchema {
  apps: { key: [string, string]; value: AppRecord };
  installations: { key: [string, string]; value: Installation };
  storage: { key: [string, string, string]; value: StorageRow; indexes: { byApp: [string, string] } };
  reports: { key: number; value: ReportRow; indexes: { byApp: [string, string]; bySeries: [string, string, string] } };
  artifacts: { key: string; value: ArtifactRecord; indexes: { byApp: [string, string]; byProject: string } };
  artifactData: { key: string; value: { id: string; data: Uint8Array } };
}

const STORES = ['apps', 'installations', 'storage', 'reports', 'artifacts', 'artifactData'] as const;

/** Schema version; each version's step in `upgrade` runs once, in order. */
export const STORE_VERSION = 3;

/** A store of an older version, as its upgrade reads and rewrites it (its rows are of that version's shape). */
interface UpgradingStore {
  createIndex(name: string, keyPath: string[]): unknown;
  openCursor(): Promise<UpgradingCursor | null>;
}
interface UpgradingCursor {
  readonly value: unknown;
  update(value: unknown): Promise<unknown>;
  continue(): Promise<UpgradingCursor | null>;
}

/**
 * Version 2 keeps reports in series, a row per series and write (version 1's
 * one-report rows become one-report chunks, each report given its ordinal);
 * version 1's settings by field name move to `configuration`.
 */
async function upgradeToSeries(reports: UpgradingStore, installations: UpgradingStore): Promise<void> {
  reports.createIndex('bySeries', ['project', 'app', 'series']);
  const counts = new Map<string, number>();
  for (let cursor = await reports.openCursor(); cursor; cursor = await cursor.continue()) {
    const { project, app, report } = cursor.value as { project: string; app: string; report: Report };
    const series = seriesKey(report);
    const k = JSON.stringify([project, app, series]);
    const n = (counts.get(k) ?? 0) + 1;
    counts.set(k, n);
    await cursor.update({
      seq: (cursor.value as { seq: number }).seq,
      project,
      app,
      series,
      first: n,
      last: n,
      reports: [{ ...report, series, n }],
    } satisfies ReportRow);
  }
  for (let cursor = await installations.openCursor(); cursor; cursor = await cursor.continue()) {
    const installation = cursor.value as Installation;
    const old = installation.settings as unknown as Record<string, unknown>;
    if (!('hyperparams' in old) && !('configuration' in old))
      await cursor.update({ ...installation, settings: { hyperparams: {}, configuration: { ...old } } });
  }
}

export class IndexedDbStore implements RegistryStore {
  readonly #db: Promise<IDBPDatabase<Schema>>;
  /** Tells the other tabs of this origin that the data changed; they reload what they mirror. */
  readonly #channel: BroadcastChannel;
  readonly #listeners = new Set<() => void>();

  /** `name`: the database; one per platform (hosts of one platform in several tabs share it). */
  constructor(readonly name = 'slotbridge') {
    this.#channel = new BroadcastChannel(`slotbridge-store:${name}`);
    this.#channel.onmessage = () => {
      for (const listener of this.#listeners) listener();
    };
    this.#db = openDB<Schema>(name, STORE_VERSION, {
      // idb keeps the upgrade's transaction open while it awaits that transaction's own requests.
      // eslint-disable-next-line @typescript-eslint/no-misused-promises
      async upgrade(db, oldVersion, _newVersion, tx) {
        if (oldVersion < 1) {
          db.createObjectStore('apps', { keyPath: ['name', 'version'] });
          db.createObjectStore('installations', { keyPath: ['project', 'app'] });
          db.createObjectStore('storage', { keyPath: ['project', 'app', 'key'] }).createIndex('byApp', ['project', 'app']);
          db.createObjectStore('reports', { keyPath: 'seq', autoIncrement: true }).createIndex('byApp', ['project', 'app']);
        }
        if (oldVersion < 2) await upgradeToSeries(tx.objectStore('reports'), tx.objectStore('installations'));
        if (oldVersion < 3) {
          const artifacts = db.createObjectStore('artifacts', { keyPath: 'id' });
          artifacts.createIndex('byApp', ['project', 'app']);
          artifacts.createIndex('byProject', 'project');
          db.createObjectStore('artifactData', { keyPath: 'id' });
        }
      },
    });
  }

  async load() {
    const db = await this.#db;
    const tx = db.transaction(['apps', 'installations'], 'readonly');
    const [apps, installations] = await Promise.all([tx.objectStore('apps').getAll(), tx.objectStore('installations').getAll(), tx.done]);
    return { apps, installations };
  }

  async write(writes: readonly StoreWrite[]): Promise<void> {
    const db = await this.#db;
    const tx = db.transaction(STORES, 'readwrite');
    const run = async () => {
      for (const w of writes) {
        switch (w.type) {
          case 'putApp':
            await tx.objectStore('apps').put(w.record);
            break;
          case 'putInstallation':
            await tx.objectStore('installations').put(w.installation);
            break;
          case 'deleteInstallation':
            await tx.objectStore('installations').delete([w.project, w.app]);
            break;
          case 'putStorage':
            await tx.objectStore('storage').put({ project: w.project, app: w.app, key: w.key, value: w.value });
            break;
          case 'deleteStorage':
            await tx.objectStore('storage').delete([w.project, w.app, w.key]);
            break;
          case 'clearAppData':
            for (const name of ['storage', 'reports'] as const) {
              let cursor = await tx.objectStore(name).index('byApp').openCursor([w.project, w.app]);
              while (cursor) {
                await cursor.delete();
                cursor = await cursor.continue();
              }
            }
            for (
              let cursor = await tx.objectStore('artifacts').index('byApp').openCursor([w.project, w.app]);
              cursor;
              cursor = await cursor.continue()
            ) {
              await tx.objectStore('artifactData').delete(cursor.value.id);
              await cursor.delete();
            }
            break;
          case 'putArtifact':
            await tx.objectStore('artifacts').put(w.record);
            await tx.objectStore('artifactData').put({ id: w.record.id, data: w.data });
            break;
          case 'deleteArtifact':
            await tx.objectStore('artifacts').delete(w.id);
            await tx.objectStore('artifactData').delete(w.id);
            break;
          case 'addReports': {
            // One row per series and write: a thousand reports cost one put, not a thousand.
            const store = tx.objectStore('reports');
            const groups = new Map<string, Report[]>();
            for (const report of w.reports) {
              const k = JSON.stringify([report.project, report.app, report.series]);
              const group = groups.get(k);
              if (group) group.push(report);
              else groups.set(k, [report]);
            }
            for (const group of groups.values()) {
              const { project, app, series, kind } = group[0];
              const last = group.at(-1)!.n;
              await store.add({ project, app, series, first: group[0].n, last, reports: group });
              const keepFrom = last - (w.limits[kind] ?? 100) + 1;
              for (
                let cursor = await store.index('bySeries').openCursor([project, app, series]);
                cursor && cursor.value.first < keepFrom;
                cursor = await cursor.continue()
              ) {
                const row = cursor.value;
                if (row.last < keepFrom) await cursor.delete();
                else await cursor.update({ ...row, first: keepFrom, reports: row.reports.filter((r) => r.n >= keepFrom) });
              }
            }
            break;
          }
        }
      }
    };
    try {
      await Promise.all([run(), tx.done]);
      this.#channel.postMessage('changed');
    } catch (err) {
      // A request that failed aborts the transaction; make sure nothing of this batch remains.
      try {
        tx.abort();
      } catch {
        // already aborted or finished
      }
      throw storeError(err);
    }
  }

  async storageGet(project: string, app: string, key: string): Promise<unknown> {
    return (await (await this.#db).get('storage', [project, app, key]))?.value;
  }

  async storageKeys(project: string, app: string): Promise<string[]> {
    const rows = await (await this.#db).getAllFromIndex('storage', 'byApp', [project, app]);
    return rows.map((row) => row.key);
  }

  async storageEntries(project: string, app: string): Promise<{ key: string; value: unknown }[]> {
    const rows = await (await this.#db).getAllFromIndex('storage', 'byApp', [project, app]);
    return rows.map((row) => ({ key: row.key, value: row.value }));
  }

  async storageCount(project: string, app: string): Promise<number> {
    return (await this.#db).countFromIndex('storage', 'byApp', [project, app]);
  }

  async reports(project: string, app: string): Promise<Report[]> {
    const rows = await (await this.#db).getAllFromIndex('reports', 'byApp', [project, app]);
    return rows.flatMap((row) => row.reports);
  }

  async artifacts(project: string, app?: string): Promise<ArtifactRecord[]> {
    const db = await this.#db;
    const records =
      app === undefined
        ? await db.getAllFromIndex('artifacts', 'byProject', project)
        : await db.getAllFromIndex('artifacts', 'byApp', [project, app]);
    // Ids are random: order by time.
    return records.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
  }

  async artifact(id: string): Promise<ArtifactRecord | undefined> {
    return (await this.#db).get('artifacts', id);
  }

  async artifactData(id: string): Promise<Uint8Array | undefined> {
    return (await (await this.#db).get('artifactData', id))?.data;
  }

  onRemoteChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  close(): void {
    this.#listeners.clear();
    this.#channel.close();
    void this.#db.then(
      (db) => db.close(),
      () => {},
    );
  }
}
