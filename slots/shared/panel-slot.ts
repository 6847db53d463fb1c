/**
 * The behaviour every panel slot shares: find the panels of the installed
 * apps that target this slot type, let the user pick one (the element's
 * children are the platform's own default view), mount it through the host,
 * show its state (loading, error with Retry, not responding), pass the
 * slot's `context` on, and close what it mounted when it goes.
 */
import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { declaredLayout, panelTitle } from './panel-layout.js';
import { panelError } from './panel-error.js';
import { repeat } from 'lit/directives/repeat.js';
import type { Host, PanelHandle } from '../../src/for-slots.js';
import { HostController } from './host-controller.js';
import { fire } from '../events.js';

export interface Contribution {
  /** `app/panel`. */
  id: string;
  app: string;
  panel: string;
  label: string;
}

/** Where the user chose the platform's default view. */
export const DEFAULT_VIEW = '';

/**
 * @event sb-panel-state - A panel it mounted changed state: `detail` is `{ panel, state }` (a PanelHandle and its new state).
 */
export abstract class PanelSlot extends LitElement {
  static override properties = {
    host: { attribute: false },
    context: { attribute: false },
    theme: { reflect: true },
    keepAlive: { type: Boolean, attribute: 'keep-alive' },
    notRespondingAfter: { type: Number, attribute: 'not-responding-after' },
    minHeight: { type: Number, attribute: 'min-height' },
    initialHeight: { type: Number, attribute: 'initial-height' },
    height: { type: Number },
    maxHeight: { type: Number, attribute: 'max-height' },
    selected: { reflect: true },
  };

  /** The host; else the nearest `<sb-host>`'s. */
  declare host: Host | undefined;
  /** The current item, dataset, selection...: sent to the mounted panels as a `context` event. */
  declare context: Record<string, unknown>;
  /** `light` or `dark`; unset, the host's theme (`host.theme`). */
  declare theme: 'light' | 'dark' | undefined;
  /** Keep a panel running while another is shown (default: closed when left). */
  declare keepAlive: boolean;
  /** Milliseconds without `ready` before a "not responding" notice (Atlassian Connect uses 12 s). */
  declare notRespondingAfter: number;
  /** Lower bound for a panel's own height (`ui.resize`), in CSS pixels. */
  declare minHeight: number;
  /**
   * A panel's height until it says its own (`ui.resize`; Dataloop's
   * `app:setHeight`): its manifest layout's `height` for this slot, else this.
   * A panel that never says one keeps it, rather than a bare iframe's 150 px.
   */
  declare initialHeight: number;
  /** Upper bound for a panel's own height (`ui.resize`), in CSS pixels. */
  declare maxHeight: number;
  /** A fixed height for the panels, in CSS pixels: `ui.resize` is then ignored. */
  declare height: number | undefined;
  /** The shown contribution, `app/panel`; empty for the default view. */
  declare selected: string;

  /** The slot type this element shows (`itemViewer`, `itemSidePanel`...). */
  protected abstract readonly slotType: string;
  protected readonly hosts = new HostController(this);
  readonly #handles = new Map<string, PanelHandle>();
  readonly #slowTimers = new Map<string, ReturnType<typeof setTimeout>>();
  readonly #slow = new Set<string>();
  /** Panels the host refused to mount (not installed any more, bad slot...), with why. */
  readonly #refused = new Map<string, Error>();
  #mountedFor: Host | undefined;
  #project: string | undefined;

  constructor() {
    super();
    this.context = {};
    this.keepAlive = false;
    this.notRespondingAfter = 12_000;
    this.minHeight = 80;
    this.initialHeight = 360;
    this.maxHeight = 4000;
    this.selected = DEFAULT_VIEW;
  }

  /** The panels of the installed apps that target this slot, in install order. */
  get contributions(): Contribution[] {
    const host = this.hosts.host;
    if (!host) return [];
    return host.registry.installed().flatMap((installation) => {
      const record = host.registry.installedApp(installation.app);
      return (record?.manifest.components.panels ?? [])
        .filter((panel) => panel.supportedSlots.some((s) => s.type === this.slotType))
        .map((panel) => ({
          id: `${installation.app}/${panel.name}`,
          app: installation.app,
          panel: panel.name,
          label: panelTitle(record!.manifest.displayName, panel.displayName),
        }));
    });
  }

  /** The mounted panel of a contribution, if any. */
  handleOf(id: string): PanelHandle | undefined {
    return this.#handles.get(id);
  }

  /** The chooser (a select, tabs...) for these contributions. */
  protected abstract renderChooser(contributions: Contribution[]): TemplateResult | typeof nothing;

  protected override render() {
    const contributions = this.contributions;
    // Keyed and in a stable order: an iframe that moved in the DOM would reload.
    const shownIds = new Set([...this.#handles.keys()]);
    if (this.selected !== DEFAULT_VIEW) shownIds.add(this.selected);
    return html`
      ${this.renderChooser(contributions)}
      <div class="frames" part="frames">
        <div class="frame" ?hidden=${this.selected !== DEFAULT_VIEW}><slot></slot></div>
        ${repeat(
          [...shownIds],
          (id) => id,
          (id) => this.#frame(id),
        )}
      </div>
    `;
  }

  #frame(id: string) {
    const handle = this.#handles.get(id);
    const label = this.contributions.find((c) => c.id === id)?.label ?? id;
    const refused = this.#refused.get(id);
    const state = refused ? 'error' : (handle?.state ?? 'loading');
    return html`<div class="frame" data-panel=${id} ?hidden=${id !== this.selected} role="region" aria-label=${label}>
      ${
        state === 'loading' || state === 'connecting'
          ? html`<p class="state" role="status">${this.#slow.has(id) ? `${label} is not responding yet.` : `Loading ${label}…`}</p>`
          : nothing
      }
      ${
        state === 'error'
          ? panelError(label, refused?.message ?? handle?.error?.message ?? 'unknown error', () => this.#retry(id))
          : nothing
      }
      <div class="mount" data-mount=${id}></div>
    </div>`;
  }

  /** The selection to show when the chosen one is gone (default view, or the first tab). */
  protected fallbackSelection(_contributions: Contribution[]): string {
    return DEFAULT_VIEW;
  }

  protected override willUpdate(): void {
    // Without a host the contributions are unknown: keep the choice (an attribute, say) until there is one.
    if (!this.hosts.host) return;
    const contributions = this.contributions;
    if (this.selected === DEFAULT_VIEW || !contributions.some((c) => c.id === this.selected))
      this.selected = this.fallbackSelection(contributions);
  }

  protected override updated(changed: PropertyValues): void {
    const host = this.hosts.host;
    if (host !== this.#mountedFor || (host && host.project !== this.#project)) this.#closeAll();
    this.#mountedFor = host;
    this.#project = host?.project;
    if (!host) return;
    const available = new Set(this.contributions.map((c) => c.id));
    // Panels of apps that went away are closed by the registry; forget them here.
    for (const [id, handle] of this.#handles) if (!available.has(id) || handle.state === 'closed') this.#forget(id);
    if (!this.keepAlive) for (const id of [...this.#handles.keys()]) if (id !== this.selected) this.#close(id);
    if (this.selected !== DEFAULT_VIEW && !this.#handles.has(this.selected) && !this.#refused.has(this.selected))
      this.#mount(host, this.selected);
    if (changed.has('context'))
      for (const handle of this.#handles.values()) if (handle.state !== 'closed') handle.context = { ...this.context };
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#closeAll();
  }

  #mount(host: Host, id: string): void {
    const contribution = this.contributions.find((c) => c.id === id);
    const mount = this.renderRoot.querySelector<HTMLElement>(`[data-mount="${CSS.escape(id)}"]`);
    if (!contribution || !mount) return;
    let handle: PanelHandle;
    try {
      handle = host.mount(contribution.app, contribution.panel, mount, { slot: this.slotType, context: { ...this.context } });
    } catch (err) {
      this.#refused.set(id, err as Error);
      this.requestUpdate();
      return;
    }
    const declared = declaredLayout(host, contribution.app, contribution.panel, this.slotType).layout?.height;
    handle.element.style.height = `${this.height ?? this.#bounded(declared ?? this.initialHeight)}px`;
    this.#handles.set(id, handle);
    // Its own panel's events only: no other panel of the page reaches this element.
    handle.addEventListener('state', () => this.#onState(id, handle));
    handle.addEventListener('resize', (event) => this.#onResize(id, handle, event.detail.height));
    this.#watch(id);
  }

  #bounded(height: number): number {
    return Math.min(this.maxHeight, Math.max(this.minHeight, height));
  }

  #onState(id: string, panel: PanelHandle): void {
    // A panel this element let go of (closed, its app gone) is no longer its to announce.
    if (this.#handles.get(id) !== panel) return;
    if (panel.state === 'ready' || panel.state === 'error' || panel.state === 'closed') this.#clearSlow(id);
    fire(this, 'sb-panel-state', { panel, state: panel.state });
    this.requestUpdate();
  }

  #onResize(id: string, panel: PanelHandle, height: number): void {
    if (this.#handles.get(id) !== panel) return;
    panel.element.style.height = `${this.height ?? this.#bounded(height)}px`;
  }

  /** Starts the "not responding yet" clock of a panel (mounted or reloaded). */
  #watch(id: string): void {
    this.#clearSlow(id);
    this.#slowTimers.set(
      id,
      setTimeout(() => {
        this.#slow.add(id);
        this.requestUpdate();
      }, this.notRespondingAfter),
    );
  }

  #retry(id: string): void {
    const handle = this.#handles.get(id);
    if (this.#refused.delete(id)) {
      this.requestUpdate();
      return;
    }
    if (!handle) return;
    handle.reload();
    this.#watch(id);
    this.requestUpdate();
  }

  #clearSlow(id: string): void {
    clearTimeout(this.#slowTimers.get(id));
    this.#slowTimers.delete(id);
    this.#slow.delete(id);
  }

  #close(id: string): void {
    this.#handles.get(id)?.close();
    this.#forget(id);
  }

  #forget(id: string): void {
    this.#refused.delete(id);
    this.#clearSlow(id);
    this.#handles.delete(id);
  }

  #closeAll(): void {
    for (const id of [...this.#handles.keys()]) this.#close(id);
  }
}
