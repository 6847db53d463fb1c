/**
 * The demo platform's answers to Dataloop panels (`slotbridge/dataloop`),
 * keyed by xFrame scope and verb: the current project, its datasets and items
 * in the shapes `@dataloop-ai/jssdk` returns, behind the same permissions as
 * the platform's own api. An item's user metadata (`metadata.user`) is the
 * demo item's metadata, so what a Dataloop panel writes, every app sees.
 */
import { defineApi, method, ErrorCode, SlotbridgeError } from '../../src/index.js';
import * as z from 'zod/mini';
import type { Dataset, DataStore, Item } from './data-store.js';
import { Id, inProject, MetadataPatch, patchMetadata } from './platform-api.js';

/** `dl.items.get(id)` sends `{ id, options }`; an id alone is taken too. */
const ItemRef = z.union([Id, z.object({ id: Id })]);
const ItemUpdate = z.object({ id: Id, metadata: z.optional(z.object({ user: z.optional(MetadataPatch) })) });

export function dataloopApi(store: DataStore, announce: (event: string, payload: unknown) => void) {
  return defineApi({
    project: {
      read: method({ input: z.tuple([Id]), permission: 'datasets:read' }, (id, call) => {
        if (id !== call.project)
          throw new SlotbridgeError(ErrorCode.INVALID_ARGUMENTS, `No project "${id}" here; dl.projects.get() reads the active one.`);
        const project = store.project(id)!;
        return { id: project.id, name: project.name, org: { id: 'shapes-lab', name: 'Shapes Lab' } };
      }),
    },
    dataset: {
      read: method({ input: z.tuple([Id]), permission: 'datasets:read' }, (id, call) =>
        dataloopDataset(store, inProject(store.dataset(id), 'dataset', id, call)),
      ),
    },
    item: {
      read: method({ input: z.tuple([ItemRef]), permission: 'items:read' }, (ref, call) => {
        const id = typeof ref === 'string' ? ref : ref.id;
        return dataloopItem(inProject(store.item(id), 'item', id, call));
      }),
      /** `dl.items.update({ id, metadata: { user } })`: merges the user metadata (a key set to null is removed). */
      update: method({ input: z.tuple([ItemUpdate]), permission: 'items:write' }, async (update, call) => {
        const item = inProject(store.item(update.id), 'item', update.id, call);
        return dataloopItem(await patchMetadata(store, item, update.metadata?.user ?? {}, announce));
      }),
    },
  });
}

/** An item as the jssdk's `SDKItem` has it. */
export function dataloopItem(item: Item) {
  return {
    id: item.id,
    name: item.name,
    filename: `/${item.name}`,
    type: 'file',
    datasetId: item.dataset,
    stream: item.url,
    thumbnail: item.url,
    metadata: { system: { mimetype: 'image/svg+xml', width: item.width, height: item.height }, user: item.metadata },
  };
}

function dataloopDataset(store: DataStore, dataset: Dataset) {
  return { id: dataset.id, name: dataset.name, projects: [dataset.project], itemsCount: store.items(dataset.id).length };
}
