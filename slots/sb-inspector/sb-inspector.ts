import { LitElement, css, html, nothing } from 'lit';
import type { BridgeLogEntry, Host } from '../../src/for-slots.js';
import { HostController } from '../shared/host-controller.js';
import { themeStyles } from '../shared/theme.js';

/** A line an app printed or logged (`report.log`, Python's `print`), kept beside the bridge's entries. */
export interface PrintedLine {
  time: number;
  kind: 'log';
  app: string;
  panel: string | undefined;
  frame: undefined;
  /** The line, at most 2,000 characters. */
  name: string;
  outcome: 'ok';
}

export type InspectorEntry = BridgeLogEntry | PrintedLine;

/** Entries in a row: one, or a run of the same one (a flood of refusals), shown once with its count. */
interface Row {
  entry: InspectorEntry;
  count: number;
  first: number;
}

const MAX_LINE = 2000;

/**
 * @tag sb-inspector
 * @summary Live bridge traffic, for debugging: every call, event, state
 * change, execution and refused message, and the lines apps print or log,
 * with its time, app, panel, duration and outcome (error code included),
 * newest first. A row opens to its detail (arguments, result, message); the
 * same entry repeated is one row with its count. Filter by app, outcome and
 * code, pause, clear. Keeps at most `max-entries` entries (oldest dropped).
 * @csspart table - The log table.
 * @cssproperty --sb-inspector-height - Height of the scrolling table (default 320px).
 */
export class SbInspector extends LitElement {
  static override styles = [
    themeStyles,
    css`
      :host {
        display: block;
      }
      .bar {
        display: flex;
        gap: 8px;
        align-items: center;
        flex-wrap: wrap;
        margin-bottom: 8px;
      }
      .scroll {
        max-height: var(--sb-inspector-height, 320px);
        overflow: auto;
      }
      table {
        border-collapse: collapse;
        width: 100%;
        font-size: 0.9em;
      }
      th,
      td {
        text-align: left;
        padding: 2px 8px;
        border-bottom: 1px solid var(--_border);
        white-space: nowrap;
      }
      td.what {
        /* The one long column wraps, so that the outcome stays in view however narrow the element. */
        white-space: normal;
        overflow-wrap: anywhere;
        width: 100%;
      }
      td.what button {
        all: unset;
        cursor: pointer;
      }
      td.what button:focus-visible {
        box-shadow: var(--_focus);
      }
      tr[data-kind='log'] td.what {
        font-family: ui-monospace, monospace;
      }
      .count {
        margin-left: 6px;
        padding: 0 6px;
        border-radius: 8px;
        background: var(--_border);
        font-size: 0.85em;
      }
      td.error {
        color: var(--_danger);
        font-weight: 600;
      }
      tr.detail td {
        white-space: normal;
      }
      tr.detail dl {
        display: grid;
        grid-template-columns: auto 1fr;
        gap: 2px 12px;
        margin: 4px 0;
      }
      tr.detail dt {
        color: var(--_muted);
      }
      tr.detail dd {
        margin: 0;
        font-family: ui-monospace, monospace;
        overflow-wrap: anywhere;
        white-space: pre-wrap;
      }
    `,
  ];
  static override properties = {
    host: { attribute: false },
    theme: { reflect: true },
    maxEntries: { type: Number, attribute: 'max-entries' },
    paused: { type: Boolean, reflect: true },
    _entries: { state: true },
    _app: { state: true },
    _outcome: { state: true },
    _code: { state: true },
    _open: { state: true },
  };

  /** The host; else the nearest `<sb-host>`'s. */
  declare host: Host | undefined;
  /** `light` or `dark`; unset, the host's theme (`host.theme`). */
  declare theme: 'light' | 'dark' | undefined;
  /** Entries kept; the oldest go first. */
  declare maxEntries: number;
  /** While paused, new entries are not recorded. */
  declare paused: boolean;
  declare _entries: InspectorEntry[];
  declare _app: string;
  declare _outcome: '' | 'ok' | 'error';
  declare _code: string;
  /** The entries whose row is open to its detail. */
  declare _open: ReadonlySet<InspectorEntry>;

  constructor() {
    super();
    // Records every bridge call of whichever host it works for, and the lines its apps print (a controller: it keeps itself).
    new HostController(this, {
      call: (entry) => this.#record(entry),
      report: (report) => {
        if (report.kind !== 'log') return;
        const text = typeof report['text'] === 'string' ? report['text'] : '';
        this.#record({
          time: report.time,
          kind: 'log',
          app: report.app,
          panel: report.panel || undefined,
          frame: undefined,
          name: text.length > MAX_LINE ? `${text.slice(0, MAX_LINE)}…` : text,
          outcome: 'ok',
        });
      },
    });
    this.maxEntries = 500;
    this.paused = false;
    this._entries = [];
    this._app = '';
    this._outcome = '';
    this._code = '';
    this._open = new Set();
  }

  /** The recorded entries, oldest first. */
  get entries(): readonly InspectorEntry[] {
    return this._entries;
  }

  /** Empties the log. */
  clear(): void {
    this._entries = [];
    this._open = new Set();
  }

  #record = (entry: InspectorEntry): void => {
    if (this.paused) return;
    const entries =
      this._entries.length >= this.maxEntries ? this._entries.slice(this._entries.length - this.maxEntries + 1) : this._entries.slice();
    entries.push(entry);
    this._entries = entries;
  };

  /** The shown entries, newest first, a run of the same entry folded into one row. */
  #rows(): Row[] {
    const rows: Row[] = [];
    // A refusal repeated anywhere in the log is one row (a flood between other traffic); anything else, when it repeats in a run.
    const refusals = new Map<string, Row>();
    for (let i = this._entries.length - 1; i >= 0; i--) {
      const e = this._entries[i];
      if (this._app && e.app !== this._app) continue;
      if (this._outcome && e.outcome !== this._outcome) continue;
      if (this._code && (e.kind === 'log' || e.code !== this._code)) continue;
      const key =
        e.kind !== 'log' && e.outcome === 'error'
          ? `${e.kind}\u0000${e.app}\u0000${e.panel}\u0000${e.name}\u0000${e.code}\u0000${e.message}`
          : undefined;
      const last = key === undefined ? rows.at(-1) : refusals.get(key);
      if (last && (key !== undefined || same(last.entry, e))) {
        last.count++;
        last.first = e.time;
        continue;
      }
      const row = { entry: e, count: 1, first: e.time };
      rows.push(row);
      if (key !== undefined) refusals.set(key, row);
    }
    return rows;
  }

  #toggle(entry: InspectorEntry): void {
    const open = new Set(this._open);
    if (!open.delete(entry)) open.add(entry);
    this._open = open;
  }

  protected override render() {
    const apps = [...new Set(this._entries.map((e) => e.app).filter((a): a is string => !!a))].sort();
    const codes = [...new Set(this._entries.flatMap((e) => (e.kind !== 'log' && e.code ? [e.code] : [])))].sort();
    const rows = this.#rows();
    const shown = rows.reduce((n, r) => n + r.count, 0);
    return html`<div class="bar">
        <label
          >App
          <select @change=${(e: Event) => (this._app = (e.target as HTMLSelectElement).value)}>
            <option value="">All apps</option>
            ${apps.map((a) => html`<option value=${a} ?selected=${a === this._app}>${a}</option>`)}
          </select></label
        >
        <label
          >Outcome
          <select @change=${(e: Event) => (this._outcome = (e.target as HTMLSelectElement).value as '' | 'ok' | 'error')}>
            <option value="">All</option>
            <option value="ok">OK</option>
            <option value="error">Errors</option>
          </select></label
        >
        <label
          >Code
          <select @change=${(e: Event) => (this._code = (e.target as HTMLSelectElement).value)}>
            <option value="">All codes</option>
            ${codes.map((c) => html`<option value=${c} ?selected=${c === this._code}>${c}</option>`)}
          </select></label
        >
        <button aria-pressed=${this.paused ? 'true' : 'false'} @click=${() => (this.paused = !this.paused)}>${this.paused ? 'Resume' : 'Pause'}</button>
        <button @click=${() => this.clear()}>Clear</button>
        <span role="status">${shown} of ${this._entries.length} entries</span>
      </div>
      <div class="scroll" tabindex="0" role="region" aria-label="Bridge log">
        <table part="table">
          <thead>
            <tr><th scope="col">Time</th><th scope="col">App</th><th scope="col">Panel</th><th scope="col">What</th><th scope="col">Duration</th><th scope="col">Outcome</th></tr>
          </thead>
          <tbody>
            ${rows.map((row) => this.#row(row))}
          </tbody>
        </table>
      </div>`;
  }

  #row({ entry: e, count, first }: Row) {
    const open = this._open.has(e);
    return html`<tr data-kind=${e.kind}>
        <td>${new Date(e.time).toLocaleTimeString()}</td>
        <td>${e.app ?? '—'}</td>
        <td>${e.panel ?? '—'}</td>
        <td class="what">
          <button aria-expanded=${open ? 'true' : 'false'} @click=${() => this.#toggle(e)}>${e.kind} ${e.name}</button>${
            count > 1
              ? html`<span class="count" title=${`${count} times since ${new Date(first).toLocaleTimeString()}`}>×${count}</span>`
              : nothing
          }
        </td>
        <td>${e.kind !== 'log' && e.duration !== undefined ? `${e.duration.toFixed(1)} ms` : nothing}</td>
        <td class=${e.outcome === 'error' ? 'error' : ''}>${e.outcome === 'error' ? (e.code ?? 'error') : 'ok'}</td>
      </tr>
      ${open ? html`<tr class="detail"><td colspan="6">${detail(e, count, first)}</td></tr>` : nothing}`;
  }
}

/** The same entry again, right after: one call made over and over, one line printed over and over. */
function same(a: InspectorEntry, b: InspectorEntry): boolean {
  return a.kind === b.kind && a.app === b.app && a.panel === b.panel && a.name === b.name && a.outcome === b.outcome;
}

function detail(e: InspectorEntry, count: number, first: number) {
  const facts: [string, string | undefined][] =
    e.kind === 'log'
      ? [['Printed', e.name]]
      : [
          [e.kind === 'call' ? 'Method' : e.kind === 'event' ? 'Event' : 'What', e.name],
          ['Frame', e.frame],
          ['Arguments', e.args],
          ['Result', e.result],
          ['Error', e.code ? `${e.code}: ${e.message ?? ''}` : undefined],
        ];
  if (count > 1) facts.push(['Repeated', `${count} times, from ${new Date(first).toLocaleTimeString()}`]);
  return html`<dl>
    ${facts.filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}
  </dl>`;
}

declare global {
  interface HTMLElementTagNameMap {
    'sb-inspector': SbInspector;
  }
}
