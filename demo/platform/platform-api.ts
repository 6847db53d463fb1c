/**
 * The demo platform's SDK for apps (`defineApi`): items, datasets and
 * annotations of the current project, each call behind a permission. Writes
 * are announced to every app that listens (`item:updated`, `annotation:created`).
 */
import { defineApi, method, ErrorCode, SlotbridgeError, type CallContext } from '../../src/index.js';
import * as z from 'zod/mini';
import type { Annotation, DataStore, Item } from './data-store.js';

export const Id = z.string().check(z.minLength(1), z.maxLength(200));
/** Metadata an app may set: a flat record of JSON-like values, small. */
export const MetadataPatch = z.record(
  z.string().check(z.regex(/^[A-Za-z][\w-]{0,63}$/)),
  z.union([
    z.string().check(z.maxLength(2000)),
    z.number(),
    z.boolean(),
    z.null(),
    z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  ]),
);
const NewAnnotation = z.object({
  label: z.string().check(z.minLength(1), z.maxLength(200)),
  data: z._default(z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])), {}),
});

/** A row of the caller's project. Another project's rows are as good as missing: an app sees its own project only. */
export function inProject<T extends { project: string }>(row: T | undefined, what: string, id: string, call: CallContext): T {
  if (!row || row.project !== call.project)
    throw new SlotbridgeError(ErrorCode.INVALID_ARGUMENTS, `No ${what} "${id}" in project "${call.project}"; list them first.`);
  return row;
}

export function platformApi(store: DataStore, announce: (event: string, payload: unknown) => void) {
  return defineApi({
    projects: {
      /** Every project with its counts (a dashboard may report on any of them). */
      list: method({ input: z.tuple([]), permission: 'datasets:read' }, () => store.projects().map((p) => summary(store, p.id))),
      get: method({ input: z.tuple([Id]), permission: 'datasets:read' }, (id) => {
        if (!store.project(id)) throw new SlotbridgeError(ErrorCode.INVALID_ARGUMENTS, `No project "${id}"; projects.list() names them.`);
        return summary(store, id);
      }),
    },
    datasets: {
      list: method({ input: z.tuple([]), permission: 'datasets:read' }, (call) =>
        store.datasets(call.project).map((d) => ({ ...d, items: store.items(d.id).length })),
      ),
      get: method({ input: z.tuple([Id]), permission: 'datasets:read' }, (id, call) => inProject(store.dataset(id), 'dataset', id, call)),
    },
    items: {
      list: method({ input: z.tuple([Id]), permission: 'items:read' }, (dataset, call) => {
        inProject(store.dataset(dataset), 'dataset', dataset, call);
        return store.items(dataset);
      }),
      get: method({ input: z.tuple([Id]), permission: 'items:read' }, (id, call) => inProject(store.item(id), 'item', id, call)),
      /** Merges `metadata` into the item's (a key set to null is removed). */
      update: method({ input: z.tuple([Id, z.object({ metadata: MetadataPatch })]), permission: 'items:write' }, (id, patch, call) =>
        patchMetadata(store, inProject(store.item(id), 'item', id, call), patch.metadata, announce),
      ),
    },
    annotations: {
      list: method({ input: z.tuple([Id]), permission: 'annotations:read' }, (item, call) => {
        inProject(store.item(item), 'item', item, call);
        return store.annotations(item);
      }),
      create: method({ input: z.tuple([Id, NewAnnotation]), permission: 'annotations:write' }, async (item, annotation, call) => {
        inProject(store.item(item), 'item', item, call);
        const saved: Annotation = { id: annotationId(), item, project: call.project, app: call.app, createdAt: Date.now(), ...annotation };
        await store.addAnnotation(saved);
        announce('annotation:created', saved);
        return saved;
      }),
    },
  });
}

export type PlatformApi = ReturnType<typeof platformApi>;

/** Merges `patch` into the item's metadata (a key set to null is removed), saves it and announces it. */
export async function patchMetadata(
  store: DataStore,
  item: Item,
  patch: z.infer<typeof MetadataPatch>,
  announce: (event: string, payload: unknown) => void,
): Promise<Item> {
  const metadata: Item['metadata'] = { ...item.metadata };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) Reflect.deleteProperty(metadata, key);
    else metadata[key] = value;
  }
  const saved = await store.putItem({ ...item, metadata });
  announce('item:updated', saved);
  return saved;
}

function summary(store: DataStore, project: string) {
  const datasets = store.datasets(project);
  return {
    id: project,
    name: store.project(project)!.name,
    datasets: datasets.length,
    items: datasets.reduce((n, d) => n + store.items(d.id).length, 0),
  };
}

/** A fresh annotation id (without crypto.randomUUID, which pages on plain HTTP at an intranet name lack). */
function annotationId(): string {
  return `ann-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}
