import { html, nothing } from 'lit';
import { PanelSlot, DEFAULT_VIEW, type Contribution } from '../shared/panel-slot.js';
import { themeStyles } from '../shared/theme.js';
import { panelSlotStyles } from '../shared/panel-slot.styles.js';
import { moveBetweenTabs, tabStyles } from '../shared/tabs.js';

/**
 * @tag sb-side-panel
 * @summary The item side panel: one tab per installed `itemSidePanel` panel.
 * A tab's panel starts when the tab is first shown; with `keep-alive` it keeps
 * running when another tab is shown.
 * @slot - Shown while no app fills the side panel.
 * @csspart frames - The area the panels fill.
 */
export class SbSidePanel extends PanelSlot {
  static override styles = [themeStyles, tabStyles, panelSlotStyles];
  protected readonly slotType: string = 'itemSidePanel';

  protected override fallbackSelection(contributions: Contribution[]): string {
    return contributions[0]?.id ?? DEFAULT_VIEW;
  }

  protected renderChooser(contributions: Contribution[]) {
    if (contributions.length === 0) return nothing;
    return html`<div role="tablist" aria-label="Side panels" @keydown=${this.#onKey}>
      ${contributions.map(
        (c) => html`<button
          role="tab"
          id=${`tab-${c.id}`}
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
