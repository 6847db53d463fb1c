import { html, nothing } from 'lit';
import { PanelSlot, DEFAULT_VIEW, type Contribution } from '../shared/panel-slot.js';
import { themeStyles } from '../shared/theme.js';
import { panelSlotStyles } from '../shared/panel-slot.styles.js';

/**
 * @summary The item side panel: one tab per installed `itemSidePanel` panel.
 * A tab's panel starts when the tab is first shown; with `keep-alive` it keeps
 * running when another tab is shown.
 * @slot - Shown while no app fills the side panel.
 * @csspart frames - The area the panels fill.
 */
export class SbSidePanel extends PanelSlot {
  static override styles = [themeStyles, panelSlotStyles];
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

  /** Arrow keys, Home and End move between tabs (WAI-ARIA tabs, automatic activation). */
  #onKey = (event: KeyboardEvent): void => {
    const tabs = [...this.renderRoot.querySelectorAll<HTMLButtonElement>('[role="tab"]')];
    const current = tabs.findIndex((t) => t.getAttribute('aria-selected') === 'true');
    const next = { ArrowRight: current + 1, ArrowLeft: current - 1, Home: 0, End: tabs.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    const target = tabs[(next + tabs.length) % tabs.length]!;
    target.click();
    void this.updateComplete.then(() => target.focus());
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'sb-side-panel': SbSidePanel;
  }
}
