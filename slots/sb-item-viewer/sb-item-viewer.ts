import { html, nothing } from 'lit';
import { PanelSlot, DEFAULT_VIEW, type Contribution } from '../shared/panel-slot.js';
import { themeStyles } from '../shared/theme.js';
import { panelSlotStyles } from '../shared/panel-slot.styles.js';

/**
 * @tag sb-item-viewer
 * @summary Shows an item with the platform's own view (the children) or with
 * an installed app's `itemViewer` panel, chosen under "Open with".
 * @slot - The platform's default view of the item.
 * @csspart frames - The area the view or panel fills.
 * @cssproperty --sb-color-accent - Focus rings and the selected choice.
 */
export class SbItemViewer extends PanelSlot {
  static override styles = [themeStyles, panelSlotStyles];
  protected readonly slotType: string = 'itemViewer';

  /** "Open with": the platform's default view, or one of the apps' panels. */
  protected renderChooser(contributions: Contribution[]) {
    if (contributions.length === 0) return nothing;
    return html`<div class="chooser">
      <label
        >Open with
        <select @change=${(e: Event) => (this.selected = (e.target as HTMLSelectElement).value)}>
          <option value=${DEFAULT_VIEW} ?selected=${this.selected === DEFAULT_VIEW}>Default view</option>
          ${contributions.map((c) => html`<option value=${c.id} ?selected=${this.selected === c.id}>${c.label}</option>`)}
        </select>
      </label>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sb-item-viewer': SbItemViewer;
  }
}
