/** A RegistryStore in memory: for tests, and for hosts that keep nothing. Same all-or-nothing writes. */
import type { AppRecord, ArtifactRecord, Installation, Report } from '../types.js';
import { storeError, type RegistryStore, type StoreWrite } from './registry-store.js';

interface State {
  apps: Map<string, AppRecord>;
  installations: Map<string, Installation>;
  storage: Map<string, Map<string, unknown>>;
  reports: Map<string, Report[]>;
  artifacts: Map<string, { record: ArtifactRecord; data: Uint8Array }>;
}

const key = (...parts: string[]) => parts.join('\u0000');

export class MemoryStore implements RegistryStore {
  #state: State = { apps: new Map(), installations: new Map(), storage: new Map(), reports: new Map(), artifacts: new Map() };

  async load() {
    return { apps: [...this.#state.apps.values()].map(clone), installations: [...this.#state.installations.values()].map(clone) };
  }

  async write(writes: readonly StoreWrite[]): Promise<void> {
    try {
      this.#state = this.#apply(writes);
    } catch (err) {
      throw storeError(err);
    }
  }

  /** Works on a copy, swapped in by the caller only when every write applied: a failure midway leaves the old state whole. */
  #apply(writes: readonly StoreWrite[]): State {
    const next: State = {
      apps: new Map(this.#state.apps),
      installations: new Map(this.#state.installations),
      storage: new Map([...this.#state.storage].map(([k, v]) => [k, new Map(v)])),
      reports: new Map([...this.#state.reports].map(([k, v]) => [k, [...v]])),
      artifacts: new Map(this.#state.artifacts),
    };
    for (const w of writes) {
      switch (w.type) {
        case 'putApp':
          next.apps.set(key(w.record.name, w.record.version), clone(w.record));
          break;
        case 'putInstallation':
          next.installations.set(key(w.installation.project, w.installation.app), clone(w.installation));
          break;
        case 'deleteInstallation':
          next.installations.delete(key(w.project, w.app));
          break;
        case 'putStorage': {
          const k = key(w.project, w.app);
          const map = next.storage.get(k) ?? new Map<string, unknown>();
          map.set(w.key, clone(w.value));
          next.storage.set(k, map);
          break;
        }
        case 'deleteStorage':
          next.storage.get(key(w.project, w.app))?.delete(w.key);
          break;
        case 'clearAppData':
          next.storage.delete(key(w.project, w.app));
          next.reports.delete(key(w.project, w.app));
          for (const [id, { record }] of next.artifacts)
            if (record.project === w.project && record.app === w.app) next.artifacts.delete(id);
          break;
        case 'putArtifact':
          next.artifacts.set(w.record.id, { record: clone(w.record), data: clone(w.data) });
          break;
        case 'deleteArtifact':
          next.artifacts.delete(w.id);
          break;
        case 'addReports': {
          const touched = new Set<string>();
          for (const report of w.reports) {
            const k = key(report.project, report.app);
            const list = next.reports.get(k) ?? [];
            list.push(clone(report));
            next.reports.set(k, list);
            touched.add(k);
          }
          for (const k of touched) next.reports.set(k, trimSeries(next.reports.get(k)!, w.limits));
          break;
        }
      }
    }
    return next;
  }

  async storageGet(project: string, app: string, k: string): Promise<unknown> {
    return clone(this.#state.storage.get(key(project, app))?.get(k));
  }

  async storageKeys(project: string, app: string): Promise<string[]> {
    return [...(this.#state.storage.get(key(project, app))?.keys() ?? [])];
  }

  async storageEntries(project: string, app: string): Promise<{ key: string; value: unknown }[]> {
    return [...(this.#state.storage.get(key(project, app)) ?? [])].map(([k, value]) => ({ key: k, value: clone(value) }));
  }

  async storageCount(project: string, app: string): Promise<number> {
    return this.#state.storage.get(key(project, app))?.size ?? 0;
  }

  async reports(project: string, app: string): Promise<Report[]> {
    return (this.#state.reports.get(key(project, app)) ?? []).map(clone);
  }

  async artifacts(project: string, app?: string): Promise<ArtifactRecord[]> {
    const records = [...this.#state.artifacts.values()].map((a) => a.record);
    return records.filter((r) => r.project === project && (app === undefined || r.app === app)).map(clone);
  }

  async artifact(id: string): Promise<ArtifactRecord | undefined> {
    return clone(this.#state.artifacts.get(id)?.record);
  }

  async artifactData(id: string): Promise<Uint8Array | undefined> {
    return clone(this.#state.artifacts.get(id)?.data);
  }

  close(): void {}
}

/** Keeps each series' newest points within its kind's limit. */
function trimSeries(list: Report[], limits: Readonly<Record<string, number>>): Report[] {
  const left = new Map<string, number>();
  const kept: Report[] = [];
  for (let i = list.length - 1; i >= 0; i--) {
    const report = list[i];
    const room = left.get(report.series) ?? (limits as Partial<Record<string, number>>)[report.kind] ?? 100;
    if (room > 0) kept.push(report);
    left.set(report.series, room - 1);
  }
  return kept.reverse();
}

/** What goes in or out is a copy, as with IndexedDB: nobody can change the store behind its back. */
function clone<T>(value: T): T {
  return value === undefined ? value : structuredClone(value);
}
