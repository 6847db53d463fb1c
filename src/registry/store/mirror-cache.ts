/**
 * The last mirror a page had of a registry service, kept in the page's
 * IndexedDB so that the next page's `host.ready` does not wait for the
 * network: the host starts on it and the store revalidates at once. One
 * record per service and user (as the token names them), so a second user
 * of the same browser never starts on the first one's installations.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { AppRecord, Installation } from '../types.js';

export interface Mirror {
  apps: AppRecord[];
  installations: Installation[];
  seq: string;
}

interface Schema extends DBSchema {
  mirrors: { key: string; value: { key: string; text: string } };
}

const DATABASE = 'slotbridge-registry-mirror';

export class MirrorCache {
  readonly #db: Promise<IDBPDatabase<Schema> | undefined>;
  readonly #key: string;

  /** `identity` names the caller: the service's URL and the token's user, org and projects. */
  constructor(identity: string) {
    this.#key = identity;
    // A browser without IndexedDB (or one that refuses it) just has no cache.
    this.#db = openDB<Schema>(DATABASE, 1, { upgrade: (db) => void db.createObjectStore('mirrors', { keyPath: 'key' }) }).catch(
      () => undefined,
    );
  }

  /** The mirror last kept, and its text (to tell a revalidation that changed nothing). */
  async read(): Promise<{ mirror: Mirror; text: string } | undefined> {
    const db = await this.#db;
    const row = await db?.get('mirrors', this.#key).catch(() => undefined);
    if (!row) return undefined;
    try {
      return { mirror: JSON.parse(row.text) as Mirror, text: row.text };
    } catch {
      return undefined;
    }
  }

  async write(text: string): Promise<void> {
    const db = await this.#db;
    await db?.put('mirrors', { key: this.#key, text }).catch(() => undefined);
  }

  /** After a write of this page: the service's mirror has moved on, and the next page fetches it. */
  async forget(): Promise<void> {
    const db = await this.#db;
    await db?.delete('mirrors', this.#key).catch(() => undefined);
  }

  close(): void {
    void this.#db.then((db) => db?.close());
  }
}

/**
 * Who a token speaks for, read from its payload (not verified: the key only
 * sorts cached mirrors; the service checks the token on every request).
 * Undefined for a token that is not a JWT: then nothing is cached.
 */
export function tokenIdentity(token: string): string | undefined {
  const payload = token.split('.').at(1);
  if (payload === undefined || payload.length > 8192) return undefined;
  try {
    const claims = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as Record<string, unknown>;
    const { sub, org, projects, role } = claims;
    if (typeof sub !== 'string') return undefined;
    return JSON.stringify([sub, org ?? null, projects ?? null, role ?? null]);
  } catch {
    return undefined;
  }
}
