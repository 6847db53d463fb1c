import { html, nothing } from 'lit';
import { PanelSlot, DEFAULT_VIEW, type Contribution } from '../shared/panel-slot.js';
import { themeStyles } from '../shared/theme.js';
import { panelSlotStyles } from '../shared/panel-slot.styles.js';
import { moveBetweenTabs, tabStyles } from '../shared/tabs.js';

/**
 * @tag sb-side-panel
 * @summary The item side panel: the platform's own content (its children)
 * stays its first tab and the default, and each installed `itemSidePanel`
 * panel adds a tab. A tab's panel starts when the tab is first shown; with
 * `keep-alive` it keeps running when another tab is shown.
 * @slot - The platform's own side panel: the first tab (`default-label`), or the whole panel while no app adds one.
 * @csspart frames - The area the panels fill.
 */
export class SbSidePanel extends PanelSlot {
  static override styles = [themeStyles, tabStyles, panelSlotStyles];
  static override properties = { ...PanelSlot.properties, defaultLabel: { attribute: 'default-label' } };
  protected readonly slotType: string = 'itemSidePanel';
  /** The name of the tab of the platform's own content. */
  declare defaultLabel: string;

  constructor() {
    super();
    this.defaultLabel = 'Details';
  }

  /** Whether the platform gave it content of its own (children). */
  get #hasOwn(): boolean {
    return this.childNodes.length > 0 && [...this.childNodes].some((n) => n.nodeType === Node.ELEMENT_NODE || n.textContent!.trim());
  }

  protected override fallbackSelection(contributions: Contribution[]): string {
    return this.#hasOwn ? DEFAULT_VIEW : (contributions[0]?.id ?? DEFAULT_VIEW);
  }

  protected renderChooser(contributions: Contribution[]) {
    if (contributions.length === 0) return nothing;
    const tabs = this.#hasOwn ? [{ id: DEFAULT_VIEW, label: this.defaultLabel }, ...contributions] : contributions;
    return html`<div role="tablist" aria-label="Side panels" @keydown=${this.#onKey}>
      ${tabs.map(
        (c) => html`<button
          role="tab"
          id=${`tab-${c.id || 'default'}`}
          aria-selected=${c.id === this.selected ? 'true' : 'false'}
          tabindex=${c.id === this.selected ? 0 : -1}
          @click=${() => (this.selected = c.id)}
        >
          ${c.label}
        </button>`,
      )}
    </div>`;
  }

  #onKey = (event: KeyboardEvent): void => moveBetweenTabs(this.renderRoot, event, this.updateComplete);
}

declare global {
  interface HTMLElementTagNameMap {
    'sb-side-panel': SbSidePanel;
  }
}
