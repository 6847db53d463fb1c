import { LitElement, css, html, nothing } from 'lit';
import type { BridgeLogEntry } from '../../src/bridge/call-log.js';
import type { Host } from '../../src/host/host.js';
import { HostController } from '../shared/host-controller.js';
import { themeStyles } from '../shared/theme.js';

/**
 * @tag sb-inspector
 * @summary Live bridge traffic, for debugging: every call, event, state
 * change, execution and refused message, with its time, app, panel,
 * duration and outcome (error code included), newest first. Filter by app
 * and outcome, pause, clear. Keeps at most `max-entries` entries (oldest
 * dropped).
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
      td.error {
        color: var(--_danger);
        font-weight: 600;
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
  };

  /** The host; else the nearest `<sb-host>`'s. */
  declare host: Host | undefined;
  /** `light` or `dark`; unset, the host's theme (`host.theme`). */
  declare theme: 'light' | 'dark' | undefined;
  /** Entries kept; the oldest go first. */
  declare maxEntries: number;
  /** While paused, new entries are not recorded. */
  declare paused: boolean;
  declare _entries: BridgeLogEntry[];
  declare _app: string;
  declare _outcome: '' | 'ok' | 'error';

  constructor() {
    super();
    // Records every bridge call of whichever host it works for (a controller: it keeps itself).
    new HostController(this, { call: (entry) => this.#record(entry) });
    this.maxEntries = 500;
    this.paused = false;
    this._entries = [];
    this._app = '';
    this._outcome = '';
  }

  /** The recorded entries, oldest first. */
  get entries(): readonly BridgeLogEntry[] {
    return this._entries;
  }

  /** Empties the log. */
  clear(): void {
    this._entries = [];
  }

  #record = (entry: BridgeLogEntry): void => {
    if (this.paused) return;
    const entries =
      this._entries.length >= this.maxEntries ? this._entries.slice(this._entries.length - this.maxEntries + 1) : this._entries.slice();
    entries.push(entry);
    this._entries = entries;
  };

  protected override render() {
    const apps = [...new Set(this._entries.map((e) => e.app).filter((a): a is string => !!a))].sort();
    const shown = this._entries.filter((e) => (!this._app || e.app === this._app) && (!this._outcome || e.outcome === this._outcome));
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
        <button aria-pressed=${this.paused ? 'true' : 'false'} @click=${() => (this.paused = !this.paused)}>${this.paused ? 'Resume' : 'Pause'}</button>
        <button @click=${() => this.clear()}>Clear</button>
        <span role="status">${shown.length} of ${this._entries.length} entries</span>
      </div>
      <div class="scroll" tabindex="0" role="region" aria-label="Bridge log">
        <table part="table">
          <thead>
            <tr><th scope="col">Time</th><th scope="col">App</th><th scope="col">Panel</th><th scope="col">What</th><th scope="col">Duration</th><th scope="col">Outcome</th></tr>
          </thead>
          <tbody>
            ${shown.reverse().map(
              (e) => html`<tr data-kind=${e.kind}>
                <td>${new Date(e.time).toLocaleTimeString()}</td>
                <td>${e.app ?? '—'}</td>
                <td>${e.panel ?? '—'}</td>
                <td class="what">${e.kind} ${e.name}</td>
                <td>${e.duration === undefined ? nothing : `${e.duration.toFixed(1)} ms`}</td>
                <td class=${e.outcome === 'error' ? 'error' : ''}>${e.outcome === 'error' ? (e.code ?? 'error') : 'ok'}</td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sb-inspector': SbInspector;
  }
}
