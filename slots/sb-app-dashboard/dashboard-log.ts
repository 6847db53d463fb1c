import { LitElement, css, html } from 'lit';

const ROW = 20;
const OVERSCAN = 10;

/**
 * @summary A streaming log: only the rows in view are in the DOM, so 100,000
 * lines cost what 50 do. Follows new lines while scrolled to the end; stays
 * put once the user scrolls up.
 */
export class SbDashboardLog extends LitElement {
  static override properties = {
    // The array grows in place: every render of the dashboard passes it again.
    lines: { attribute: false, hasChanged: () => true },
    label: {},
    _top: { state: true },
  };
  static override styles = css`
    :host {
      display: block;
    }
    .viewport {
      height: 240px;
      overflow: auto;
      position: relative;
      font: 12px/${ROW}px ui-monospace, monospace;
      border: 1px solid var(--_border, #d5dbe6);
      border-radius: var(--_radius, 6px);
    }
    .viewport:focus-visible {
      outline: none;
      box-shadow: var(--_focus);
    }
    .rows {
      position: absolute;
      left: 0;
      right: 0;
    }
    .row {
      height: ${ROW}px;
      padding: 0 8px;
      white-space: pre;
      overflow: hidden;
      text-overflow: ellipsis;
    }
  `;

  /** The lines, oldest first. Replace or append and call `requestUpdate()`. */
  declare lines: string[];
  declare label: string;
  declare _top: number;
  #follow = true;
  #height = 240;

  constructor() {
    super();
    this.lines = [];
    this.label = 'Log';
    this._top = 0;
  }

  protected override render() {
    const first = Math.max(0, Math.floor(this._top / ROW) - OVERSCAN);
    const count = Math.ceil(this.#height / ROW) + 2 * OVERSCAN;
    const shown = this.lines.slice(first, first + count);
    return html`<div class="viewport" tabindex="0" role="log" aria-label=${`${this.label}, ${this.lines.length} lines`} @scroll=${this.#onScroll}>
      <div style="height:${this.lines.length * ROW}px"></div>
      <div class="rows" style="top:${first * ROW}px">${shown.map((line) => html`<div class="row">${line}</div>`)}</div>
    </div>`;
  }

  protected override willUpdate(): void {
    if (this.#follow) this._top = Math.max(0, this.lines.length * ROW - this.#height);
  }

  protected override updated(): void {
    const viewport = this.renderRoot.querySelector('.viewport') as HTMLElement;
    const height = viewport.clientHeight;
    if (height > 0 && height !== this.#height) {
      this.#height = height;
      this.requestUpdate();
    }
    if (this.#follow && viewport.scrollTop !== this._top) viewport.scrollTop = this._top;
  }

  #onScroll = (event: Event): void => {
    const viewport = event.target as HTMLElement;
    this.#follow = viewport.scrollTop + viewport.clientHeight >= viewport.scrollHeight - ROW;
    this._top = viewport.scrollTop;
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'sb-dashboard-log': SbDashboardLog;
  }
}
