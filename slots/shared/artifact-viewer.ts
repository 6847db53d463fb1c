/**
 * An artifact shown to people in a modal dialog of the element that asked
 * (a toolbar's result, a dashboard's artifact list): JSON as tables (a list
 * of records as rows, a record as name and value, a record's records each as
 * a table of its own), text as text. Only text reaches the page: the bytes
 * are parsed here and rendered by lit, never loaded as a document.
 */
import { messageOf, textOf, type Host, type ArtifactRecord } from '../../src/for-slots.js';
import { css, html, nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';

/** What is read to be shown; a larger artifact is for downloading. */
const MAX_SHOWN_BYTES = 1024 * 1024;
const MAX_ROWS = 200;
const MAX_COLUMNS = 12;
const MAX_CELL = 200;

type Shown = { title: string } & ({ tables: Table[] } | { text: string } | { note: string });
interface Table {
  caption?: string;
  columns: string[];
  rows: string[][];
  more: number;
}

export class ArtifactViewer implements ReactiveController {
  readonly #element: ReactiveControllerHost & HTMLElement;
  #shown: Shown | undefined;
  #opening = 0;

  constructor(element: ReactiveControllerHost & HTMLElement) {
    this.#element = element;
    element.addController(this);
  }

  hostDisconnected(): void {
    this.#shown = undefined;
  }

  /** Reads the artifact and shows it; `title` names it (its type's display name, say). */
  async open(host: Host, id: string, title?: string): Promise<void> {
    const opening = ++this.#opening;
    const record = await host.artifacts.get(id).catch(() => undefined);
    let shown: Shown;
    if (!record) shown = { title: title ?? 'Artifact', note: 'This artifact is no longer stored.' };
    else if (record.size > MAX_SHOWN_BYTES)
      shown = { title: title ?? record.type, note: `${record.type} is ${record.size.toLocaleString()} bytes: download it to read it.` };
    else {
      shown = await host.artifacts.read(id).then(
        (bytes) => ({ title: title ?? record.type, ...present(record, bytes) }),
        (err: unknown) => ({ title: title ?? record.type, note: `${record.type} could not be read: ${messageOf(err)}` }),
      );
    }
    if (opening !== this.#opening) return;
    this.#shown = shown;
    this.#element.requestUpdate();
    await this.#element.updateComplete;
    const dialog = this.#element.shadowRoot?.querySelector<HTMLDialogElement>('dialog.artifact-view');
    if (dialog && !dialog.open) dialog.showModal();
  }

  // Escape: closed here, the one way it closes.
  #onCancel = (event: Event): void => {
    event.preventDefault();
    this.close();
  };

  close(): void {
    this.#element.shadowRoot?.querySelector<HTMLDialogElement>('dialog.artifact-view')?.close();
    this.#shown = undefined;
    this.#element.requestUpdate();
  }

  render(): TemplateResult | typeof nothing {
    const shown = this.#shown;
    if (!shown) return nothing;
    return html`<dialog class="artifact-view" aria-label=${shown.title} @cancel=${this.#onCancel}>
      <header>
        <h2>${shown.title}</h2>
        <button type="button" aria-label=${`Close ${shown.title}`} @click=${() => this.close()}>×</button>
      </header>
      <div class="content">
        ${'tables' in shown ? shown.tables.map(renderTable) : 'text' in shown ? html`<pre>${shown.text}</pre>` : html`<p>${shown.note}</p>`}
      </div>
    </dialog>`;
  }
}

function renderTable(table: Table): TemplateResult {
  return html`<table>
    ${table.caption ? html`<caption>${table.caption}</caption>` : nothing}
    <thead>
      <tr>
        ${table.columns.map((c) => html`<th scope="col">${c}</th>`)}
      </tr>
    </thead>
    <tbody>
      ${table.rows.map((row) => html`<tr>${row.map((cell) => html`<td>${cell}</td>`)}</tr>`)}
    </tbody>
    ${table.more > 0 ? html`<tfoot><tr><td colspan=${table.columns.length}>and ${table.more.toLocaleString()} more</td></tr></tfoot>` : nothing}
  </table>`;
}

/** The artifact as tables, text or a note. */
function present(record: ArtifactRecord, bytes: Uint8Array): { tables: Table[] } | { text: string } | { note: string } {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  if (record.encoding === 'json' || /[/+]json$/i.test(record.mediaType)) {
    try {
      return { tables: tablesOf(JSON.parse(text) as unknown) };
    } catch {
      return { text };
    }
  }
  if (/^text\//i.test(record.mediaType)) return { text };
  return { note: `${record.type} is ${record.mediaType}: download it to open it.` };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A JSON value as tables: rows of a list of records, or a record's fields, its nested records each a table of their own. */
export function tablesOf(value: unknown): Table[] {
  if (Array.isArray(value)) {
    const records = value.filter(isRecord);
    if (records.length === value.length && records.length > 0) {
      const columns = [...new Set(records.slice(0, MAX_ROWS).flatMap((r) => Object.keys(r)))].slice(0, MAX_COLUMNS);
      return [{ columns, rows: records.slice(0, MAX_ROWS).map((r) => columns.map((c) => cell(r[c]))), more: records.length - MAX_ROWS }];
    }
    return [{ columns: ['value'], rows: value.slice(0, MAX_ROWS).map((v) => [cell(v)]), more: value.length - MAX_ROWS }];
  }
  if (!isRecord(value)) return [{ columns: ['value'], rows: [[cell(value)]], more: 0 }];
  const entries = Object.entries(value);
  const flat = entries.filter(([, v]) => !isRecord(v));
  const nested = entries.filter((e): e is [string, Record<string, unknown>] => isRecord(e[1]));
  const fields = (rows: [string, unknown][], caption?: string): Table => ({
    ...(caption ? { caption } : {}),
    columns: ['name', 'value'],
    rows: rows.slice(0, MAX_ROWS).map(([k, v]) => [k, cell(v)]),
    more: rows.length - MAX_ROWS,
  });
  return [...(flat.length ? [fields(flat)] : []), ...nested.slice(0, MAX_COLUMNS).map(([k, v]) => fields(Object.entries(v), k))];
}

/** One value as a cell's text: numbers and text as they are, anything else as short JSON. */
function cell(value: unknown): string {
  const text = typeof value === 'string' ? value : typeof value === 'number' ? value.toLocaleString() : textOf(value);
  return text.length > MAX_CELL ? `${text.slice(0, MAX_CELL)}…` : text;
}

export const artifactViewerStyles = css`
  dialog.artifact-view {
    box-sizing: border-box;
    padding: 0;
    width: min(560px, 100vw);
    max-height: min(80vh, 100vh);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_bg);
    color: var(--_fg);
  }
  dialog.artifact-view::backdrop {
    background: #0006;
  }
  dialog.artifact-view header {
    display: flex;
    align-items: center;
    gap: 8px;
    padding: 6px 6px 6px 12px;
    border-bottom: 1px solid var(--_border);
  }
  dialog.artifact-view h2 {
    flex: 1;
    margin: 0;
    font-size: 1em;
  }
  dialog.artifact-view .content {
    padding: 8px 12px 12px;
    overflow: auto;
  }
  dialog.artifact-view table {
    border-collapse: collapse;
    margin: 0 0 12px;
    min-width: 50%;
  }
  dialog.artifact-view caption {
    text-align: start;
    font-weight: 600;
    padding: 4px 0;
  }
  dialog.artifact-view th,
  dialog.artifact-view td {
    text-align: start;
    padding: 3px 12px 3px 0;
    border-bottom: 1px solid var(--_border);
    overflow-wrap: anywhere;
  }
  dialog.artifact-view th {
    color: var(--_muted);
    font-weight: 500;
  }
  dialog.artifact-view pre {
    white-space: pre-wrap;
    margin: 0;
  }
`;
