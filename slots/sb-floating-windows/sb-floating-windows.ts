import { LitElement, css, html } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { Host, PanelHandle } from '../../src/for-slots.js';
import { clampToViewport } from '../shared/panel-layout.js';
import { WindowsController } from '../shared/windows-controller.js';
import { themeStyles } from '../shared/theme.js';
import { panelErrorStyles } from '../shared/panel-error.js';

interface FloatingWindow {
  id: number;
  app: string;
  panel: string;
  title: string;
  resizable: boolean;
  x: number;
  y: number;
  width: number;
  height: number;
  z: number;
}

const STEP = 10;
const MIN_SIZE = 120;

/**
 * @tag sb-floating-windows
 * @summary Floating windows for `floatingWindow` panels, opened by a toolbar,
 * `host.openPanel` or a guest's `ui.openPanel`: title bar, drag to move, a
 * resize handle when the layout allows it, close, bring to front on focus,
 * always inside the viewport, and movable with the keyboard (focus the title
 * bar: arrow keys move, Shift+arrows resize).
 * @event sb-request-close - Cancelable, before a window closes: `detail` is `{ panel }`.
 * @csspart window - Each window. @csspart title-bar - Its title bar.
 */
export class SbFloatingWindows extends LitElement {
  static override styles = [
    themeStyles,
    panelErrorStyles,
    css`
      :host {
        position: fixed;
        inset: 0;
        pointer-events: none;
        z-index: var(--sb-floating-z, 1000);
      }
      section {
        box-sizing: border-box;
        position: fixed;
        pointer-events: auto;
        display: flex;
        flex-direction: column;
        background: var(--_bg);
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
        box-shadow: 0 6px 24px #0004;
        overflow: hidden;
      }
      header {
        display: flex;
        align-items: center;
        gap: 8px;
        padding: 4px 4px 4px 10px;
        border-bottom: 1px solid var(--_border);
        cursor: move;
        user-select: none;
        touch-action: none;
      }
      header:focus-visible {
        outline: none;
        box-shadow: var(--_focus);
      }
      h2 {
        flex: 1;
        margin: 0;
        font-size: 1em;
        white-space: nowrap;
        overflow: hidden;
        text-overflow: ellipsis;
      }
      .body {
        flex: 1;
        position: relative;
        overflow: hidden;
      }
      .body iframe {
        display: block;
        width: 100%;
        height: 100% !important;
        border: 0;
      }
      .resize {
        position: absolute;
        right: 0;
        bottom: 0;
        width: 14px;
        height: 14px;
        cursor: nwse-resize;
        background: linear-gradient(135deg, transparent 50%, var(--_border) 50%);
        touch-action: none;
      }
    `,
  ];
  static override properties = { host: { attribute: false }, theme: { reflect: true } };

  /** The host; else the nearest `<sb-host>`'s. */
  declare host: Host | undefined;
  /** `light` or `dark`; unset, the host's theme (`host.theme`). */
  declare theme: 'light' | 'dark' | undefined;
  #top = 1;
  readonly #windows = new WindowsController<FloatingWindow>(this, {
    slot: 'floatingWindow',
    create: (id, layout, app, panel) => {
      const origin =
        layout.position === 'center' ? { x: (innerWidth - layout.width) / 2, y: (innerHeight - layout.height) / 2 } : layout.position;
      const box = clampToViewport({ ...origin, width: layout.width, height: layout.height });
      return { id, app, panel, title: layout.title, resizable: layout.resizable, ...box, z: ++this.#top };
    },
    body: (w) => {
      if (this.isUpdatePending) this.performUpdate();
      return this.renderRoot.querySelector<HTMLElement>(`[data-window="${w.id}"] .body`)!;
    },
  });

  /** The open windows' panels. */
  get panels(): PanelHandle[] {
    return this.#windows.panels;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    addEventListener('resize', this.#onViewportResize);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    removeEventListener('resize', this.#onViewportResize);
  }

  /** Opens a panel in a new window; returns its handle. `NO_HOST` without a host. */
  open(app: string, panel: string, context: Record<string, unknown> = {}): PanelHandle {
    return this.#windows.open(app, panel, context);
  }

  protected override render() {
    return repeat(
      this.#windows.windows,
      (w) => w.id,
      (w) => this.#window(w, clampToViewport(w)),
    );
  }

  /** A window drawn inside the viewport: a smaller viewport shrinks it for now, and it gets its size back when there is room. */
  #window(w: FloatingWindow, box: { x: number; y: number; width: number; height: number }) {
    return html`<section
        part="window"
        role="dialog"
        aria-label=${this.#windows.titleOf(w)}
        data-window=${w.id}
        style="left:${box.x}px;top:${box.y}px;width:${box.width}px;height:${box.height}px;z-index:${w.z}"
        @pointerdown=${() => this.#front(w)}
        @focusin=${() => this.#front(w)}
      >
        <header part="title-bar" tabindex="0" aria-label=${`${w.title}: move with the arrow keys, resize with Shift and the arrow keys`} @pointerdown=${(e: PointerEvent) => this.#drag(e, w, 'move')} @keydown=${(e: KeyboardEvent) => this.#key(e, w)}>
          <h2>${this.#windows.titleOf(w)}</h2>
          <button aria-label=${`Close ${w.title}`} @click=${() => this.#windows.requestClose(w.id)} @pointerdown=${(e: Event) => e.stopPropagation()}>×</button>
        </header>
        ${this.#windows.status(w)}
        <div class="body"></div>
        ${w.resizable ? html`<div class="resize" aria-hidden="true" @pointerdown=${(e: PointerEvent) => this.#drag(e, w, 'resize')}></div>` : ''}
      </section>`;
  }

  #front(w: FloatingWindow): void {
    if (w.z === this.#top) return;
    this.#update(w.id, { z: ++this.#top });
  }

  #update(id: number, change: Partial<FloatingWindow>): void {
    this.#windows.update(id, (w) => {
      const next = { ...w, ...change };
      const size = { width: Math.max(MIN_SIZE, next.width), height: Math.max(MIN_SIZE, next.height) };
      return { ...next, ...clampToViewport({ x: next.x, y: next.y, ...size }) };
    });
  }

  #drag(start: PointerEvent, w: FloatingWindow, mode: 'move' | 'resize'): void {
    if (start.button !== 0) return;
    start.preventDefault();
    const target = start.currentTarget as HTMLElement;
    target.setPointerCapture(start.pointerId);
    const from = { x: start.clientX, y: start.clientY, w: this.#windows.windows.find((x) => x.id === w.id)! };
    const move = (e: PointerEvent) => {
      const dx = e.clientX - from.x;
      const dy = e.clientY - from.y;
      if (mode === 'move') this.#update(w.id, { x: from.w.x + dx, y: from.w.y + dy });
      else this.#update(w.id, { width: from.w.width + dx, height: from.w.height + dy });
    };
    const up = () => {
      target.removeEventListener('pointermove', move);
      target.removeEventListener('pointerup', up);
      target.removeEventListener('pointercancel', up);
    };
    target.addEventListener('pointermove', move);
    target.addEventListener('pointerup', up);
    target.addEventListener('pointercancel', up);
  }

  #key(e: KeyboardEvent, w: FloatingWindow): void {
    const delta = { ArrowLeft: [-STEP, 0], ArrowRight: [STEP, 0], ArrowUp: [0, -STEP], ArrowDown: [0, STEP] }[e.key];
    if (!delta) return;
    e.preventDefault();
    const current = this.#windows.windows.find((x) => x.id === w.id)!;
    if (e.shiftKey && current.resizable) this.#update(w.id, { width: current.width + delta[0], height: current.height + delta[1] });
    else this.#update(w.id, { x: current.x + delta[0], y: current.y + delta[1] });
  }

  // Drawn again inside the new viewport; what each window keeps is its own size and place.
  #onViewportResize = (): void => this.requestUpdate();
}

declare global {
  interface HTMLElementTagNameMap {
    'sb-floating-windows': SbFloatingWindows;
  }
}
