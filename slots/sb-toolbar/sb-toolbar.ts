import { LitElement, html, nothing } from 'lit';
import type { Host, PanelHandle, ExecutionStage, ToolbarDefinition as Toolbar } from '../../src/for-slots.js';
import { describeOutputs } from './describe-outputs.js';
import { artifactDisplayName, declaredFunction, ItemArtifacts, itemOf, savedArtifacts } from './item-artifacts.js';
import { ArtifactViewer, artifactViewerStyles } from '../shared/artifact-viewer.js';
import { HostController } from '../shared/host-controller.js';
import { themeStyles } from '../shared/theme.js';
import { iconUrl } from '../shared/icon-url.js';
import { toolbarStyles } from './sb-toolbar.styles.js';
import { fire } from '../events.js';

export interface ToolbarButton {
  /** `app/index`. */
  id: string;
  app: string;
  toolbar: Toolbar;
  label: string;
  icon: string | undefined;
}

/** What the status says while a function has not answered yet, by how far it got. */
const STAGES: Record<ExecutionStage, string> = {
  'starting-module': 'starting…',
  'starting-python': 'starting Python (the first run loads it: a few seconds)…',
  queued: 'waiting for a runner…',
};

/**
 * @tag sb-toolbar
 * @summary The installed apps' toolbars whose `location` matches (a toolbar
 * without one goes everywhere; an element without one shows every toolbar),
 * rendered by the host: no extension code runs in the page. Clicking runs the
 * toolbar's `invoke`: opens a panel, runs a function with the slot's context
 * as inputs (an `Artifact:<type>` input the context lacks gets the artifact
 * of that type this toolbar made for the context's item, or, when the context
 * has no item, the app's newest of that type in the project; progress, then
 * the outputs in words or the error, shown while the context keeps its item),
 * or sends an event to the app's open frames. Buttons that do not fit the
 * element's width (or come past `max-visible`) go into a "More" menu.
 * @event sb-invoke - Cancelable, before a toolbar runs: `detail` is `{ app, toolbar, type, namespace }`.
 * @csspart button - Each toolbar button.
 */
export class SbToolbar extends LitElement {
  static override styles = [themeStyles, toolbarStyles, artifactViewerStyles];
  static override properties = {
    host: { attribute: false },
    context: { attribute: false },
    location: { reflect: true },
    app: { reflect: true },
    maxVisible: { type: Number, attribute: 'max-visible' },
    disabled: { type: Boolean, reflect: true },
    theme: { reflect: true },
    _menuOpen: { state: true },
    _status: { state: true },
    _focus: { state: true },
    _fit: { state: true },
  };

  /** The host; else the nearest `<sb-host>`'s. */
  declare host: Host | undefined;
  /** The slot's context: a function toolbar's inputs, an event toolbar's payload. */
  declare context: Record<string, unknown>;
  /** Which toolbars to show, by their manifest `location` (`itemMenu`, `datasetMenu`...); unset, every one. */
  declare location: string | undefined;
  /** Only this app's toolbars (an app's own page); every installed app's when unset. */
  declare app: string | undefined;
  /** Buttons shown before the rest collapse into the "More" menu. */
  declare maxVisible: number;
  /** Every button disabled (the page holds them off: settings not saved yet, say). */
  declare disabled: boolean;
  /** `light` or `dark`; unset, the host's theme (`host.theme`). */
  declare theme: 'light' | 'dark' | undefined;
  declare _menuOpen: boolean;
  /** The windows its panel buttons opened, while they are open. */
  readonly #windows = new Set<PanelHandle>();
  /** The last run's result: its text, and the artifacts it saved, each viewable. */
  declare _status: { text: string; error: boolean; artifacts?: { id: string; name: string }[] } | undefined;
  declare _focus: number;
  /** How many buttons fit in the element's width (measured). */
  declare _fit: number;
  readonly #hosts = new HostController(this);
  /** Measured widths of the buttons, kept for when they are in the menu. */
  readonly #widths = new Map<string, number>();
  // Measured in the next frame: measuring inside the observer's callback would resize it again in the same frame.
  readonly #resize = new ResizeObserver(() => this.#scheduleMeasure());
  #frame = 0;
  /** Artifacts this toolbar's functions made, by the item they were made for. */
  readonly #made = new ItemArtifacts();
  readonly #viewer = new ArtifactViewer(this);

  constructor() {
    super();
    this.context = {};
    this.maxVisible = 4;
    this.disabled = false;
    this._menuOpen = false;
    this._status = undefined;
    this._focus = 0;
    this._fit = Number.POSITIVE_INFINITY;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#resize.observe(this);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#resize.disconnect();
    cancelAnimationFrame(this.#frame);
    this.#frame = 0;
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (!changed.has('context')) return;
    // A result belongs to the item it was computed for: another item clears it.
    if (itemOf(changed.get('context') as Record<string, unknown> | undefined) !== itemOf(this.context)) this._status = undefined;
    // The windows this toolbar opened follow its context (the page's next item), as its docked panels do.
    for (const window of this.#windows) {
      if (window.state === 'closed') this.#windows.delete(window);
      else window.context = { ...this.context };
    }
  }

  protected override updated(): void {
    this.#scheduleMeasure();
  }

  #scheduleMeasure(): void {
    this.#frame ||= requestAnimationFrame(() => {
      this.#frame = 0;
      this.#measure();
    });
  }

  /** Buttons that do not fit the element's width go into the "More" menu. */
  #measure(): void {
    for (const button of this.renderRoot.querySelectorAll<HTMLElement>('[part="button"]'))
      this.#widths.set(button.dataset['toolbar']!, button.offsetWidth);
    const buttons = this.buttons.slice(0, this.maxVisible);
    const available = this.clientWidth;
    if (available === 0 || buttons.some((b) => !this.#widths.has(b.id))) return;
    const gap = 6;
    const more = (this.renderRoot.querySelector<HTMLElement>('.more-button')?.offsetWidth ?? 60) + gap;
    let used = 0;
    let fit = 0;
    for (const [i, b] of buttons.entries()) {
      const width = this.#widths.get(b.id)! + gap;
      const needsMore = i < buttons.length - 1 || this.buttons.length > buttons.length;
      if (used + width + (needsMore ? more : 0) > available && !(i === buttons.length - 1 && !needsMore && used + width <= available))
        break;
      used += width;
      fit++;
    }
    if (fit === buttons.length) fit = Number.POSITIVE_INFINITY;
    if (fit !== this._fit) this._fit = fit;
  }

  /** The toolbars this element shows, in install order. */
  get buttons(): ToolbarButton[] {
    const host = this.#hosts.host;
    if (!host) return [];
    return host.registry.installed().flatMap((installation) => {
      const record = host.registry.installedApp(installation.app);
      if (!record || (this.app !== undefined && this.app !== installation.app)) return [];
      return record.manifest.components.toolbars.flatMap((toolbar, index) => {
        if (toolbar.invoke.type === 'script') return [];
        if (this.location && toolbar.location && toolbar.location !== this.location) return [];
        return [
          {
            id: `${installation.app}/${index}`,
            app: installation.app,
            toolbar,
            label: toolbar.displayName,
            icon: iconUrl(host, record, toolbar.icon),
          },
        ];
      });
    });
  }

  protected override render() {
    const buttons = this.buttons;
    if (buttons.length === 0) return nothing;
    const shown = Math.min(this.maxVisible, this._fit);
    const visible = buttons.slice(0, shown);
    const overflow = buttons.slice(shown);
    const focusable = Math.min(this._focus, visible.length - (overflow.length ? 0 : 1));
    return html`<div role="toolbar" aria-label=${this.location ? `${this.location} tools` : 'App tools'} @keydown=${this.#onToolbarKey}>
        ${visible.map((b, i) => this.#button(b, i === focusable))}
        ${
          overflow.length
            ? html`<div class="more">
              <button
                class="more-button"
                aria-haspopup="menu"
                aria-expanded=${this._menuOpen ? 'true' : 'false'}
                tabindex=${focusable === visible.length ? 0 : -1}
                @click=${() => this.#toggleMenu()}
              >
                More
              </button>
              ${
                this._menuOpen
                  ? html`<ul role="menu" aria-label="More tools" @keydown=${this.#onMenuKey}>
                    ${overflow.map((b) => html`<li role="none"><button role="menuitem" tabindex="-1" title=${b.toolbar.tooltip ?? b.label} ?disabled=${this.disabled} @click=${() => this.#invoke(b)}>${b.label}</button></li>`)}
                  </ul>`
                  : nothing
              }
            </div>`
            : nothing
        }
      </div>
      ${
        this._status
          ? html`<p class="status ${this._status.error ? 'error' : ''}" role="status">
              <span class="text">${this._status.text}</span>
              ${(this._status.artifacts ?? []).map(
                (a) =>
                  html`<button type="button" class="view" @click=${() => this.#hosts.host && void this.#viewer.open(this.#hosts.host, a.id, a.name)}>
                    View ${a.name}
                  </button>`,
              )}
            </p>`
          : nothing
      }
      ${this.#viewer.render()}`;
  }

  #button(b: ToolbarButton, focusable: boolean) {
    return html`<button part="button" data-toolbar=${b.id} title=${b.toolbar.tooltip ?? b.label} tabindex=${focusable ? 0 : -1} ?disabled=${this.disabled} @click=${() => this.#invoke(b)}>
      ${b.icon ? html`<img src=${b.icon} alt="" />` : nothing}${b.label}
    </button>`;
  }

  async #invoke(b: ToolbarButton): Promise<void> {
    this._menuOpen = false;
    if (this.disabled) return;
    const host = this.#hosts.host;
    if (!host) return;
    const { type, namespace } = b.toolbar.invoke;
    if (!fire(this, 'sb-invoke', { app: b.app, toolbar: b.toolbar, type, namespace }, true)) return;
    try {
      if (type === 'panel') {
        this.#windows.add(host.openPanel(b.app, namespace, { context: { ...this.context } }));
        this._status = undefined;
      } else if (type === 'event') {
        host.emit(namespace, { ...this.context }, { app: b.app });
        this._status = { text: `${b.label}: sent.`, error: false };
      } else {
        this._status = { text: `${b.label}: running…`, error: false };
        const item = itemOf(this.context);
        const declared = declaredFunction(host, b.app, namespace);
        const outputs = declared?.output ?? [];
        const execution = await host.execute(b.app, namespace, await this.#made.inputs(host, b.app, declared?.input ?? [], this.context), {
          context: { ...this.context },
          // A cold start or a queue takes seconds: the status says which, while the context keeps its item.
          progress: (stage) => {
            if (itemOf(this.context) === item) this._status = { text: `${b.label}: ${STAGES[stage]}`, error: false };
          },
        });
        if (execution.status === 'success') this.#made.remember(item, outputs, execution.outputs);
        // Shown only while the context keeps the item it ran for.
        if (itemOf(this.context) !== item) return;
        const artifactName = (type: string) => artifactDisplayName(host, b.app, type);
        this._status =
          execution.status === 'success'
            ? {
                text: `${b.label}: ${describeOutputs(execution.outputs, outputs, artifactName)}`,
                error: false,
                artifacts: savedArtifacts(execution.outputs, outputs).map(({ id, type }) => ({ id, name: artifactName(type) })),
              }
            : { text: `${b.label} failed: ${execution.error?.message ?? 'unknown error'}`, error: true };
      }
    } catch (err) {
      this._status = { text: `${b.label} failed: ${err instanceof Error ? err.message : String(err)}`, error: true };
    }
  }

  #toggleMenu(): void {
    this._menuOpen = !this._menuOpen;
    if (this._menuOpen) void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('[role="menuitem"]')?.focus());
  }

  /** Arrow keys move between the toolbar's buttons (roving tabindex). */
  #onToolbarKey = (event: KeyboardEvent): void => {
    if ((event.target as HTMLElement).getAttribute('role') === 'menuitem') return;
    const items = [...this.renderRoot.querySelectorAll<HTMLButtonElement>('[role="toolbar"] > button, .more-button')];
    const current = items.indexOf(event.target as HTMLButtonElement);
    const next = { ArrowRight: current + 1, ArrowLeft: current - 1, Home: 0, End: items.length - 1 }[event.key];
    if (next === undefined || current < 0) return;
    event.preventDefault();
    this._focus = (next + items.length) % items.length;
    void this.updateComplete.then(() => items[this._focus]?.focus());
  };

  /** Arrow keys move in the menu; Escape closes it and returns to its button. */
  #onMenuKey = (event: KeyboardEvent): void => {
    const items = [...this.renderRoot.querySelectorAll<HTMLButtonElement>('[role="menuitem"]')];
    const current = items.indexOf(event.target as HTMLButtonElement);
    if (event.key === 'Escape') {
      event.preventDefault();
      this._menuOpen = false;
      void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLButtonElement>('.more-button')?.focus());
      return;
    }
    const next = { ArrowDown: current + 1, ArrowUp: current - 1, Home: 0, End: items.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    items[(next + items.length) % items.length]?.focus();
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'sb-toolbar': SbToolbar;
  }
}
