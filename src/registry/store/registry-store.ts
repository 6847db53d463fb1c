/**
 * Where the registry keeps everything: published apps, installations (with
 * their grants and settings), app storage and reports. Writes come in
 * batches that land whole or not at all.
 */
import { ErrorCode } from '../../errors/error-code.js';
import { SlotbridgeError } from '../../errors/slotbridge-error.js';
import type { AppRecord, ArtifactRecord, Installation, Report } from '../types.js';
import type { FunctionExecutor } from '../../bridge/execution.js';

export type StoreWrite =
  | { type: 'putApp'; record: AppRecord }
  | { type: 'putInstallation'; installation: Installation }
  | { type: 'deleteInstallation'; project: string; app: string }
  | { type: 'putStorage'; project: string; app: string; key: string; value: unknown }
  | { type: 'deleteStorage'; project: string; app: string; key: string }
  /** An app's storage, reports and artifacts in a project. */
  | { type: 'clearAppData'; project: string; app: string }
  /** An artifact's record and its bytes, kept apart so that listing never reads the bytes. */
  | { type: 'putArtifact'; record: ArtifactRecord; data: Uint8Array }
  | { type: 'deleteArtifact'; id: string }
  /** Adds reports and drops each touched series' oldest points past the limit for its kind (100 for an unknown kind). */
  | { type: 'addReports'; reports: readonly Report[]; limits: Readonly<Record<string, number>> };

export interface RegistryStore {
  /** What the registry keeps in memory for synchronous reads: apps and installations. */
  load(): Promise<{ apps: AppRecord[]; installations: Installation[] }>;
  /** Applies every write, or none (the error says why: `STORAGE_FULL` when out of quota). */
  write(writes: readonly StoreWrite[]): Promise<void>;
  storageGet(project: string, app: string, key: string): Promise<unknown>;
  storageKeys(project: string, app: string): Promise<string[]>;
  storageCount(project: string, app: string): Promise<number>;
  /** Every key and value an app keeps in a project (read once, to count its bytes against its quota). */
  storageEntries(project: string, app: string): Promise<{ key: string; value: unknown }[]>;
  /** An app's reports in a project, oldest first within each series. */
  reports(project: string, app: string): Promise<Report[]>;
  /** The artifact records of a project (of one app when given), oldest first. */
  artifacts(project: string, app?: string): Promise<ArtifactRecord[]>;
  artifact(id: string): Promise<ArtifactRecord | undefined>;
  /** An artifact's bytes. */
  artifactData(id: string): Promise<Uint8Array | undefined>;
  /** Where the store runs functions that do not run in the page (a registry service's queue), for `host.execute`. */
  runs?: FunctionExecutor;
  /** Calls `listener` when another instance of the same store (another tab) changed it. Returns the unsubscribe. */
  onRemoteChange?(listener: () => void): () => void;
  close(): void;
}

/** The browser's failure, as a SlotbridgeError a caller can act on. */
export function storeError(err: unknown): SlotbridgeError {
  if (err instanceof SlotbridgeError) return err;
  const name = (err as { name?: string } | null)?.name;
  if (name === 'QuotaExceededError') {
    return new SlotbridgeError(
      ErrorCode.STORAGE_FULL,
      'The browser refused to store more for this site (quota exceeded); remove data or ask the user to free space. Nothing of this change was saved.',
    );
  }
  if (name === 'DataCloneError') {
    return new SlotbridgeError(
      ErrorCode.BAD_INPUT,
      'A value could not be stored (it cannot be cloned: functions, DOM nodes...); store plain data. Nothing of this change was saved.',
    );
  }
  const message = err instanceof Error ? err.message : String(err);
  return new SlotbridgeError(
    ErrorCode.STORAGE_FAILED,
    `The store refused the change (${name ?? 'error'}: ${message.slice(0, 500)}); nothing of it was saved. Try again; if it keeps failing, the browser's storage for this site may be damaged or blocked.`,
    { cause: name },
  );
}
