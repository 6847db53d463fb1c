import { runsOn, isPythonModule, type AppRecord, type Host } from '../../src/for-slots.js';
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { HostController } from '../shared/host-controller.js';
import { themeStyles } from '../shared/theme.js';
import { iconUrl } from '../shared/icon-url.js';
import { marketplaceStyles } from './sb-marketplace.styles.js';
import { moveBetweenTabs, tabStyles } from '../shared/tabs.js';
import { fire } from '../events.js';

const ALL = '';

/**
 * @tag sb-marketplace
 * @summary The apps available to the current project: search, category tabs,
 * install (after the user consents to the permissions, each explained in the
 * platform's words) and uninstall (after the user confirms it: the app's data
 * in the project goes with it); each ends with a line saying what was done.
 * @event sb-install - After an app was installed: `detail` is `{ app, version, grant }`.
 * @event sb-uninstall - After an app was uninstalled: `detail` is `{ app }`.
 * @csspart app - Each app's card.
 * @csspart consent - The consent dialog (install) and the confirmation dialog (uninstall).
 * @cssproperty --sb-color-accent - Buttons, selected tab, icons.
 */
export class SbMarketplace extends LitElement {
  static override styles = [themeStyles, tabStyles, marketplaceStyles];
  static override properties = {
    host: { attribute: false },
    theme: { reflect: true },
    _query: { state: true },
    _category: { state: true },
    _pending: { state: true },
    _error: { state: true },
    _done: { state: true },
  };

  /** The host; else the nearest `<sb-host>`'s. */
  declare host: Host | undefined;
  /** `light` or `dark`; unset, the host's theme (`host.theme`). */
  declare theme: 'light' | 'dark' | undefined;
  declare _query: string;
  declare _category: string;
  /** The app whose install or uninstall waits for the user's answer. */
  declare _pending: { record: AppRecord; action: 'install' | 'uninstall' } | undefined;
  declare _error: string | undefined;
  /** What the last install or uninstall did, for the status line. */
  declare _done: string | undefined;
  readonly #hosts = new HostController(this);

  constructor() {
    super();
    this._query = '';
    this._category = ALL;
    this._pending = undefined;
    this._error = undefined;
    this._done = undefined;
  }

  protected override render() {
    const host = this.#hosts.host;
    if (!host)
      return html`<p class="empty">No host: set the element's <code>host</code>, or put it inside an <code>&lt;sb-host&gt;</code>.</p>`;
    const all = host.registry.available();
    const categories = [
      ...new Set(all.map((a) => a.manifest.category).filter((c): c is string => typeof c === 'string' && c !== '')),
    ].sort();
    const shown = host.registry.available({
      ...(this._query ? { query: this._query } : {}),
      ...(this._category !== ALL ? { category: this._category } : {}),
    });
    const tabs = [ALL, ...categories];
    return html`
      <div class="bar">
        <label
          >Search apps
          <input type="search" .value=${this._query} @input=${(e: Event) => (this._query = (e.target as HTMLInputElement).value)}
        /></label>
      </div>
      <div role="tablist" aria-label="Categories" @keydown=${this.#onTabKey}>
        ${tabs.map(
          (tab) =>
            html`<button
              role="tab"
              id=${`tab-${tabId(tab)}`}
              aria-selected=${tab === this._category ? 'true' : 'false'}
              aria-controls="apps"
              tabindex=${tab === this._category ? 0 : -1}
              @click=${() => (this._category = tab)}
            >
              ${tab === ALL ? 'All' : tab}
            </button>`,
        )}
      </div>
      <div role="tabpanel" id="apps" aria-labelledby=${`tab-${tabId(this._category)}`}>
        ${this._error ? html`<p class="error" role="alert">${this._error}</p>` : nothing}
        <p class="done" role="status">${this._done ?? nothing}</p>
        ${shown.length === 0 ? html`<p class="empty">No app matches.</p>` : nothing}
        <ul class="apps">
          ${shown.map((record) => this.#card(host, record))}
        </ul>
      </div>
      ${this.#consent(host)}
    `;
  }

  #card(host: Host, record: AppRecord) {
    const { manifest } = record;
    const installed = host.registry.installation(record.name);
    const icon = iconUrl(host, record, manifest.icon);
    const { badges } = manifest;
    return html`<li class="app" part="app" data-app=${record.name}>
      ${icon ? html`<img class="icon" src=${icon} alt="" />` : html`<span class="icon" aria-hidden="true">${manifest.displayName.slice(0, 1).toUpperCase()}</span>`}
      <h2>${manifest.displayName}</h2>
      <p class="meta">${manifest.provider ? `${manifest.provider} · ` : ''}v${record.version}</p>
      <p class="description">${manifest.description ?? ''}</p>
      ${
        badges.length
          ? html`<ul class="badges" aria-label="Badges">
              ${badges.map((b) => html`<li>${b}</li>`)}
            </ul>`
          : nothing
      }
      <div class="actions">
        ${
          installed
            ? html`<span class="installed">Installed${installed.version !== record.version ? ` (v${installed.version})` : ''}</span>
                <button @click=${() => this.#ask(record, 'uninstall')} aria-label=${`Uninstall ${manifest.displayName}`}>Uninstall</button>`
            : html`<button class="primary" @click=${() => this.#ask(record, 'install')} aria-label=${`Install ${manifest.displayName}`}>
                Install
              </button>`
        }
      </div>
    </li>`;
  }

  #consent(host: Host) {
    const pending = this._pending;
    return html`<dialog part="consent" aria-labelledby="consent-title" @close=${() => (this._pending = undefined)}>
      ${pending ? (pending.action === 'install' ? this.#installQuestion(host, pending.record) : this.#uninstallQuestion(pending.record)) : nothing}
    </dialog>`;
  }

  #installQuestion(host: Host, record: AppRecord) {
    const { permissions } = record.manifest;
    return html`<h2 id="consent-title">Install ${record.manifest.displayName}?</h2>
      ${
        permissions.length
          ? html`<p>It asks for these permissions:</p>
              <ul class="permissions">
                ${permissions.map((p) => {
                  const meaning = host.describePermission(p);
                  return html`<li><code>${p}</code>${meaning ? html`<span class="meaning">${meaning}</span>` : nothing}</li>`;
                })}
              </ul>`
          : html`<p>It asks for no permissions.</p>`
      }
      ${this.#placesOf(record)}
      <form method="dialog">
        <button value="cancel">Cancel</button>
        <button class="primary" value="install" @click=${(e: Event) => this.#confirm(e, record, 'install')}>Install</button>
      </form>`;
  }

  /** Where the app's functions run (docs/runs.md): what leaves the page is said before it is installed. */
  #placesOf(record: AppRecord) {
    const functions = record.manifest.components.modules.flatMap((m) => m.functions.map((f) => ({ m, f })));
    if (functions.length === 0) return nothing;
    return html`<p>Where its functions run:</p>
      <ul class="places">
        ${functions.map(({ m, f }) => {
          const place = runsOn(m, f, { python: true });
          const where =
            place.on === 'queue'
              ? `on the platform's machines (queue "${place.queue}")`
              : isPythonModule(m)
                ? "in this page (Python), or on the platform's machines where the page runs no Python"
                : 'in this page';
          return html`<li><code>${m.name}.${f.name}</code> ${where}</li>`;
        })}
      </ul>`;
  }

  #uninstallQuestion(record: AppRecord) {
    return html`<h2 id="consent-title">Uninstall ${record.manifest.displayName}?</h2>
      <p>Its settings, storage, reports and artifacts in this project are deleted with it.</p>
      <form method="dialog">
        <button value="cancel">Cancel</button>
        <button class="primary" value="uninstall" @click=${(e: Event) => this.#confirm(e, record, 'uninstall')}>Uninstall</button>
      </form>`;
  }

  protected override updated(changed: PropertyValues): void {
    if (!changed.has('_pending')) return;
    const dialog = this.renderRoot.querySelector('dialog')!;
    if (this._pending && !dialog.open) dialog.showModal();
    if (!this._pending && dialog.open) dialog.close();
  }

  #ask(record: AppRecord, action: 'install' | 'uninstall'): void {
    this._error = undefined;
    this._done = undefined;
    this._pending = { record, action };
  }

  async #confirm(event: Event, record: AppRecord, action: 'install' | 'uninstall'): Promise<void> {
    event.preventDefault();
    this._pending = undefined;
    const host = this.#hosts.host;
    if (!host) return;
    const name = record.manifest.displayName;
    try {
      if (action === 'install') {
        const installation = await host.registry.install(record.name, { grant: record.manifest.permissions });
        this._done = `Installed ${name} ${installation.version}.`;
        fire(this, 'sb-install', { app: record.name, version: installation.version, grant: installation.grant });
      } else {
        await host.registry.uninstall(record.name);
        this._done = `Uninstalled ${name}.`;
        fire(this, 'sb-uninstall', { app: record.name });
      }
    } catch (err) {
      this._error = `Could not ${action} ${name}: ${err instanceof Error ? err.message : String(err)}`;
    }
  }

  #onTabKey = (event: KeyboardEvent): void => moveBetweenTabs(this.renderRoot, event, this.updateComplete);
}

function tabId(category: string): string {
  return category === ALL ? 'all' : category.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}

declare global {
  interface HTMLElementTagNameMap {
    'sb-marketplace': SbMarketplace;
  }
}
