/**
 * The `artifacts` box of a dashboard: the app's stored artifacts in the
 * current project, kept current by the host's artifact events (the element
 * passes them to `changed`), each with a
 * download. Bytes are read only when the user asks for them.
 */
import { html, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import { passiveBlob, messageOf, type ArtifactRecord, type Host } from '../../src/for-slots.js';
import { ArtifactViewer } from '../shared/artifact-viewer.js';

const EXTENSIONS: Record<string, string> = {
  'application/json': 'json',
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/webp': 'webp',
  'text/plain': 'txt',
  'text/csv': 'csv',
};

export class ArtifactList implements ReactiveController {
  readonly #element: ReactiveControllerHost;
  #records: ArtifactRecord[] | undefined;
  #key = '';
  #loading = 0;
  #host: Host | undefined;
  #app: string | undefined;
  /** Object URLs of the downloads made, by artifact id; revoked when the list changes or the element goes. */
  readonly #urls = new Map<string, string>();
  #error: string | undefined;
  readonly #viewer: ArtifactViewer;

  constructor(element: ReactiveControllerHost & HTMLElement) {
    this.#element = element;
    this.#viewer = new ArtifactViewer(element);
    element.addController(this);
  }

  /** Shows the artifacts of `app` in the host's current project; loads them when either changed. */
  follow(host: Host, app: string): void {
    const key = `${app}\u0000${host.project}`;
    if (host === this.#host && key === this.#key) return;
    this.#host = host;
    this.#app = app;
    this.#key = key;
    this.#load();
  }

  hostDisconnected(): void {
    this.#host = undefined;
    this.#key = '';
    this.#records = undefined;
    this.#revoke();
  }

  /** The table; `describeItem` names an artifact's item (its id otherwise). */
  render(describeItem?: (item: string) => { label: string; href?: string } | undefined): TemplateResult {
    if (!this.#records) return html`<p class="empty">Loading…</p>`;
    if (this.#records.length === 0) return html`<p class="empty">No artifacts yet.</p>`;
    // Wider than a narrow window: it scrolls within itself, never the page.
    return html`<div class="table-scroll" tabindex="0" role="region" aria-label="Artifacts">
      <table>
        <thead>
          <tr>
            <th scope="col">Type</th>
            <th scope="col">Item</th>
            <th scope="col">Size</th>
            <th scope="col">Created</th>
            <th scope="col">Execution</th>
            <th scope="col">File</th>
          </tr>
        </thead>
        <tbody>
          ${this.#records.map((r) => {
            const url = this.#urls.get(r.id);
            return html`<tr data-artifact=${r.id}>
              <td class="nowrap">${r.type}</td>
              <td>${itemCell(r.item, describeItem)}</td>
              <td class="nowrap">${formatSize(r.size)}</td>
              <td><time datetime=${new Date(r.createdAt).toISOString()}>${new Date(r.createdAt).toLocaleString()}</time></td>
              <td title=${r.execution}>${r.execution.slice(0, 13)}…</td>
              <td class="nowrap">
                <button type="button" aria-label=${`View ${r.type} artifact`} @click=${() => void this.#viewer.open(this.#host!, r.id, r.type)}>View</button>
                ${
                  url
                    ? html`<a href=${url} download=${fileName(r)}>Save ${r.type}</a>`
                    : html`<button
                        type="button"
                        aria-label=${`Download ${r.type} artifact, ${formatSize(r.size)}`}
                        @click=${() => void this.#download(r)}
                      >
                        Download
                      </button>`
                }
              </td>
            </tr>`;
          })}
        </tbody>
      </table>
      </div>
      ${this.#error ? html`<p class="note" role="alert">${this.#error}</p>` : ''} ${this.#viewer.render()}`;
  }

  /** An artifact was stored or deleted (the element's host events): the list loads again when it is one it shows. */
  changed(record: ArtifactRecord): void {
    if (`${record.app}\u0000${record.project}` === this.#key) this.#load();
  }

  #load(): void {
    const host = this.#host;
    if (!host || !this.#app) return;
    const loading = ++this.#loading;
    host.artifacts.list({ app: this.#app }).then(
      (records) => {
        if (loading !== this.#loading) return;
        this.#records = records;
        // A deleted artifact's download goes with it.
        const ids = new Set(records.map((r) => r.id));
        for (const [id, url] of this.#urls)
          if (!ids.has(id)) {
            URL.revokeObjectURL(url);
            this.#urls.delete(id);
          }
        this.#element.requestUpdate();
      },
      (err: unknown) => {
        this.#records = [];
        this.#error = `The artifacts could not be listed: ${messageOf(err)}`;
        this.#element.requestUpdate();
      },
    );
  }

  /** Reads the bytes, makes them a link that saves the file, and follows it once. */
  async #download(record: ArtifactRecord): Promise<void> {
    try {
      const bytes = await this.#host!.artifacts.read(record.id);
      // Never the declared type as such: a blob URL is the platform's origin, and an HTML or SVG artifact opened from it would run as the platform.
      const url = URL.createObjectURL(passiveBlob(bytes, record.mediaType));
      this.#urls.set(record.id, url);
      this.#error = undefined;
      this.#element.requestUpdate();
      await this.#element.updateComplete;
      (this.#element as unknown as HTMLElement).shadowRoot
        ?.querySelector<HTMLAnchorElement>(`tr[data-artifact="${CSS.escape(record.id)}"] a`)
        ?.click();
    } catch (err) {
      this.#error = `${record.type} could not be read: ${(err as Error).message}`;
      this.#element.requestUpdate();
    }
  }

  #revoke(): void {
    for (const url of this.#urls.values()) URL.revokeObjectURL(url);
    this.#urls.clear();
  }
}

function itemCell(item: string | undefined, describe?: (item: string) => { label: string; href?: string } | undefined) {
  if (item === undefined) return html`<span class="muted">none</span>`;
  const described = describe?.(item);
  if (!described) return item;
  return described.href ? html`<a href=${described.href}>${described.label}</a>` : described.label;
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

function fileName(record: ArtifactRecord): string {
  return `${record.app}-${record.type}-${record.id.slice(4, 12)}.${EXTENSIONS[record.mediaType] ?? 'bin'}`;
}
