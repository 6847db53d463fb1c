/**
 * What apps made for an item, drawn over its image: every raster image
 * artifact stored for the item, newest of each app and type, as the
 * platform's own overlay. The bytes are shown through an object URL in an
 * <img>. Raster types only: an SVG is a document that runs script when
 * opened on its own, and an object URL has the platform's origin.
 */
import type { ArtifactRecord, Host } from '../../src/index.js';

const RASTER = new Set(['image/png', 'image/jpeg', 'image/webp', 'image/gif', 'image/avif']);

export interface Overlay {
  artifact: string;
  app: string;
  type: string;
  url: string;
}

export class ItemOverlays {
  readonly #host: Host;
  readonly #changed: () => void;
  /** Object URLs by artifact id, for the item shown; revoked when it changes. */
  #shown = new Map<string, Overlay>();
  #item: string | undefined;
  #loading = 0;

  constructor(host: Host, changed: () => void) {
    this.#host = host;
    this.#changed = changed;
    const reload = (record: ArtifactRecord) => {
      if (record.item !== undefined && record.item === this.#item) void this.#load(this.#item);
    };
    host.on('artifact:stored', reload).on('artifact:deleted', reload);
    host.on('project:changed', () => this.#forget());
  }

  /** The overlays of `item`: loads them when the item is another than last time (the page re-renders when they are there). */
  of(item: string): Overlay[] {
    if (item !== this.#item) void this.#load(item);
    return [...this.#shown.values()];
  }

  async #load(item: string): Promise<void> {
    if (item !== this.#item) this.#forget();
    this.#item = item;
    const loading = ++this.#loading;
    const records = (await this.#host.artifacts.list()).filter((r) => r.item === item && RASTER.has(r.mediaType));
    // Newest of each app and type: a new mask replaces the last one.
    const newest = new Map(records.map((r) => [`${r.app}\u0000${r.type}`, r]));
    const next = new Map<string, Overlay>();
    for (const record of newest.values()) {
      const kept = this.#shown.get(record.id);
      if (kept) next.set(record.id, kept);
      else {
        const bytes = await this.#host.artifacts.read(record.id);
        const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: record.mediaType }));
        next.set(record.id, { artifact: record.id, app: record.app, type: record.type, url });
      }
    }
    if (loading !== this.#loading) {
      for (const [id, overlay] of next) if (!this.#shown.has(id)) URL.revokeObjectURL(overlay.url);
      return;
    }
    for (const [id, overlay] of this.#shown) if (!next.has(id)) URL.revokeObjectURL(overlay.url);
    this.#shown = next;
    this.#changed();
  }

  #forget(): void {
    for (const overlay of this.#shown.values()) URL.revokeObjectURL(overlay.url);
    this.#shown = new Map();
    this.#item = undefined;
    this.#loading++;
  }
}
