import type { Manifest } from '../manifest/normalize.js';
import type { AppSettings } from '../wizard/app-settings.js';

export type ReportKind = 'scalar' | 'log' | 'plot' | 'image';

/** Points kept per series, by kind. */
export type ReportLimits = Record<ReportKind, number>;

export type AppScope = 'project' | 'organization' | 'public';

/** A published version of an app. */
export interface AppRecord {
  name: string;
  version: string;
  manifest: Manifest;
  /** Where the app's files are served; panel, module and asset URLs resolve against it. */
  baseUrl: string;
  scope: AppScope;
  /** The project a `project`-scoped app belongs to. */
  project: string | undefined;
  provider: string | undefined;
  publishedAt: number;
  /** For an app published as a package: its `assets/` files, by path inside `assets/`. */
  assets?: Record<string, Uint8Array>;
}

/** An app installed in a project. */
export interface Installation {
  app: string;
  version: string;
  project: string;
  /** Permissions the user granted: the bridge enforces exactly these. */
  grant: string[];
  /** Saved settings, by target: `{ hyperparams: { <section>: { <name>: value } }, configuration: { <name>: value } }`. */
  settings: AppSettings;
  installedAt: number;
}

export interface PublishOptions {
  baseUrl: string;
  /** The protocol the app's frames speak (sets the manifest's `bridge`): "slotbridge", or an adapter the host was given. */
  bridge?: string;
  /** The permissions the app may ask for (replaces the manifest's), for a manifest that cannot name them, such as a real `dataloop.json`. */
  permissions?: string[];
  scope?: AppScope;
  project?: string;
}

export interface InstallOptions {
  project?: string;
  /** A published version; the latest otherwise. */
  version?: string;
  /** Permissions to grant; all the manifest asks for otherwise. */
  grant?: string[];
}

export interface UninstallOptions {
  project?: string;
  /** Keep settings, storage, reports and artifacts. */
  keepData?: boolean;
}

/** Something a guest reported for the dashboard (`report.scalar`, `log`, `plot`, `image`). */
export interface Report {
  app: string;
  project: string;
  panel: string;
  kind: string;
  time: number;
  /** The series it belongs to (kind, metric and variant), given by the registry. */
  series: string;
  /** Its ordinal in the series, from 1; the first kept point's `n - 1` were dropped. */
  n: number;
  [key: string]: unknown;
}

/** A stored artifact: a function output of an `Artifact:<type>` type, encoded by the type's `serialize`. */
export interface ArtifactRecord {
  /** `art-<uuid>`; function inputs take it as `{ artifact: id }`. */
  id: string;
  /** The artifact type's name in its app's `components.artifacts`. */
  type: string;
  app: string;
  project: string;
  /** The id of the Execution that produced it. */
  execution: string;
  /** The item it was made for, when its function had one: an `Item` input's id, else the item an artifact input was made for, else the context's item. */
  item?: string;
  mediaType: string;
  /** Bytes stored. */
  size: number;
  /** `Date.now()` when it was stored. */
  createdAt: number;
  /** What `serialize` returned: bytes, or a JSON value (stored as UTF-8 JSON text). `deserialize` gets the same kind back. */
  encoding: 'bytes' | 'json';
}

/** Which artifacts `artifacts.list` returns: those of a project (the current one by default), of an app, of an execution. */
export interface ArtifactFilter {
  project?: string;
  app?: string;
  execution?: string;
}

/** What the registry needs from its host. */
export interface RegistryHooks {
  project: () => string;
  emit: (
    event: 'app:published' | 'app:installed' | 'app:uninstalled' | 'settings:changed' | 'report' | 'artifact:stored' | 'artifact:deleted',
    payload: unknown,
  ) => void;
  /** Closes the app's frames in a project before it is uninstalled. */
  closeApp: (app: string, project: string) => void;
}

export interface RegistryOptions {
  reportLimits?: Partial<ReportLimits> | undefined;
  artifactQuota?: number | undefined;
  /** Bytes of storage per app and project. */
  storageQuota?: number | undefined;
  /** Bytes of reports per app and project. */
  reportQuota?: number | undefined;
}
