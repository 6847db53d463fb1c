/**
 * The demo platform's own data: projects, datasets, items and annotations,
 * kept in IndexedDB (with `idb`) and seeded on first run from the sample
 * images. Reads come from memory; writes go to IndexedDB first.
 */
import { openDB, type IDBPDatabase } from 'idb';

export interface Project {
  id: string;
  name: string;
  /** Place in the project switcher. */
  order: number;
}
export interface Dataset {
  id: string;
  project: string;
  name: string;
  description: string;
}
export interface Item {
  id: string;
  dataset: string;
  project: string;
  name: string;
  /** The image, an absolute URL. */
  url: string;
  width: number;
  height: number;
  metadata: Record<string, unknown>;
}
export interface Annotation {
  id: string;
  item: string;
  project: string;
  label: string;
  data: Record<string, unknown>;
  /** The app that made it. */
  app: string;
  createdAt: number;
}

interface SampleImage {
  file: string;
  width: number;
  height: number;
  background: 'light' | 'dark';
  objects: number;
}

type Rows = { projects: Project; datasets: Dataset; items: Item; annotations: Annotation };
const STORES = ['projects', 'datasets', 'items', 'annotations'] as const;

export class DataStore {
  readonly #db: IDBPDatabase;
  readonly #rows: { [K in keyof Rows]: Map<string, Rows[K]> } = {
    projects: new Map(),
    datasets: new Map(),
    items: new Map(),
    annotations: new Map(),
  };

  private constructor(db: IDBPDatabase) {
    this.#db = db;
  }

  /** Opens (and on first run seeds) the database `name`; `seed` gives the rows for an empty one. */
  static async open(name: string, seed: () => Promise<{ [K in keyof Rows]: Rows[K][] }>): Promise<DataStore> {
    const db = await openDB(name, 1, {
      upgrade(db) {
        for (const store of STORES) db.createObjectStore(store, { keyPath: 'id' });
      },
    });
    const store = new DataStore(db);
    if ((await db.count('projects')) === 0) {
      const rows = await seed();
      const tx = db.transaction(STORES, 'readwrite');
      await Promise.all([...STORES.flatMap((s) => rows[s].map((row) => tx.objectStore(s).put(row))), tx.done]);
    }
    for (const s of STORES) {
      const rows = store.#rows[s] as Map<string, Rows[keyof Rows]>;
      for (const row of (await db.getAll(s)) as Rows[keyof Rows][]) rows.set(row.id, row);
    }
    return store;
  }

  projects(): Project[] {
    return [...this.#rows.projects.values()].sort((a, b) => a.order - b.order);
  }
  project(id: string): Project | undefined {
    return this.#rows.projects.get(id);
  }
  datasets(project: string): Dataset[] {
    return [...this.#rows.datasets.values()].filter((d) => d.project === project);
  }
  dataset(id: string): Dataset | undefined {
    return this.#rows.datasets.get(id);
  }
  items(dataset: string): Item[] {
    return [...this.#rows.items.values()].filter((i) => i.dataset === dataset);
  }
  itemsOfProject(project: string): Item[] {
    return [...this.#rows.items.values()].filter((i) => i.project === project);
  }
  item(id: string): Item | undefined {
    return this.#rows.items.get(id);
  }
  annotations(item: string): Annotation[] {
    return [...this.#rows.annotations.values()].filter((a) => a.item === item).sort((a, b) => a.createdAt - b.createdAt);
  }

  async putItem(item: Item): Promise<Item> {
    await this.#db.put('items', item);
    this.#rows.items.set(item.id, item);
    return item;
  }

  async addAnnotation(annotation: Annotation): Promise<Annotation> {
    await this.#db.put('annotations', annotation);
    this.#rows.annotations.set(annotation.id, annotation);
    return annotation;
  }

  close(): void {
    this.#db.close();
  }
}

/** The demo's seed: three projects (one named so that a wizard filter hides it), datasets of the sample images. */
export async function demoSeed(imagesUrl: URL, mode: 'demo' | 'dev'): Promise<{ [K in keyof Rows]: Rows[K][] }> {
  const images = (await (await fetch(new URL('index.json', imagesUrl))).json()) as SampleImage[];
  const projects: Project[] =
    mode === 'dev'
      ? [{ id: 'scratch', name: 'Scratch', order: 0 }]
      : [
          { id: 'vision', name: 'Vision demo', order: 0 },
          { id: 'sandbox', name: 'Sandbox', order: 1 },
          { id: 'example-robots', name: 'example robots', order: 2 },
        ];
  const groups: [Dataset, SampleImage[]][] =
    mode === 'dev'
      ? [
          [
            { id: 'ds-scratch', project: 'scratch', name: 'Mock shapes', description: 'Sample images for trying an app.' },
            images.slice(0, 12),
          ],
        ]
      : [
          [
            { id: 'ds-light', project: 'vision', name: 'Shapes by day', description: 'Shapes on light backgrounds.' },
            images.filter((i) => i.background === 'light'),
          ],
          [
            { id: 'ds-night', project: 'vision', name: 'Shapes at night', description: 'Shapes on dark backgrounds.' },
            images.filter((i) => i.background === 'dark'),
          ],
          [
            { id: 'ds-sandbox', project: 'sandbox', name: 'Scratch set', description: 'A few images to try things on.' },
            images.slice(0, 8),
          ],
          [
            {
              id: 'ds-examples',
              project: 'example-robots',
              name: 'Example set',
              description:
                'A project named so that Simple app\'s settings leave it out: its project list drops names that start with "example".',
            },
            images.slice(8, 14),
          ],
        ];
  const items: Item[] = groups.flatMap(([dataset, list]) =>
    list.map((image) => ({
      id: `${dataset.id}-${image.file.replace(/\.svg$/, '')}`,
      dataset: dataset.id,
      project: dataset.project,
      name: image.file.replace(/\.svg$/, '').replace('shapes-', 'Shapes #'),
      url: new URL(image.file, imagesUrl).href,
      width: image.width,
      height: image.height,
      metadata: { background: image.background, objects: image.objects, source: 'drawn' },
    })),
  );
  return { projects, datasets: groups.map(([d]) => d), items, annotations: [] };
}
