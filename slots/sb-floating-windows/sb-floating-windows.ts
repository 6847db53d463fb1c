import { LitElement, css, html } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { Host } from '../../src/host/host.js';
import type { PanelHandle } from '../../src/host/panel-handle.js';
import { HostController } from '../shared/host-controller.js';
import { OpenerController, announceState, requestClose } from '../shared/opener-controller.js';
import { clampToViewport, panelLayout } from '../shared/panel-layout.js';
import { themeStyles } from '../shared/theme.js';

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
  static override properties = { host: { attribute: false }, theme: { reflect: true }, _windows: { state: true } };

  /** The host; else the nearest `<sb-host>`'s. */
  declare host: Host | undefined;
  /** `light` or `dark`; unset, the host's theme (`host.theme`). */
  declare theme: 'light' | 'dark' | undefined;
  declare _windows: FloatingWindow[];
  readonly #hosts = new HostController(this);
  readonly #handles = new Map<number, PanelHandle>();
  #nextId = 0;
  #top = 1;

  constructor() {
    super();
    this._windows = [];
    // Registers with the host as the opener of floatingWindow panels (a controller: it keeps itself).
    new OpenerController(this, this.#hosts, 'floatingWindow', (request) => this.open(request.app, request.panel, request.context));
  }

  /** The open windows' panels. */
  get panels(): PanelHandle[] {
    return this._windows.flatMap((w) => this.#handles.get(w.id) ?? []);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    addEventListener('resize', this.#onViewportResize);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    removeEventListener('resize', this.#onViewportResize);
    for (const handle of [...this.#handles.values()]) handle.close();
    this.#handles.clear();
    this._windows = [];
  }

  /** Opens a panel in a new window; returns its handle. */
  open(app: string, panel: string, context: Record<string, unknown> = {}): PanelHandle {
    const host = this.#hosts.host;
    if (!host) throw new Error('<sb-floating-windows> has no host.');
    const layout = panelLayout(host, app, panel, 'floatingWindow');
    const origin = layout.position === 'center' ? { x: (innerWidth - layout.width) / 2, y: (innerHeight - layout.height) / 2 } : layout.position;
    const box = clampToViewport({ ...origin, width: layout.width, height: layout.height });
    const win: FloatingWindow = { id: ++this.#nextId, app, panel, title: layout.title, resizable: layout.resizable, ...box, z: ++this.#top };
    this._windows = [...this._windows, win];
    // Render now, so that the frame goes straight into its window: an iframe moved later would reload.
    this.performUpdate();
    const body = this.renderRoot.querySelector<HTMLElement>(`[data-window="${win.id}"] .body`)!;
    let handle: PanelHandle;
    try {
      handle = host.mount(app, panel, body, { slot: 'floatingWindow', context });
    } catch (err) {
      this._windows = this._windows.filter((w) => w.id !== win.id);
      throw err;
    }
    this.#handles.set(win.id, handle);
    const onState = (p: PanelHandle) => {
      if (p !== handle) return;
      announceState(this, p);
      if (p.state === 'closed') {
        host.off('panel:state', onState);
        this.#handles.delete(win.id);
        this._windows = this._windows.filter((w) => w.id !== win.id);
      }
    };
    host.on('panel:state', onState);
    return handle;
  }


  protected override render() {
    return repeat(
      this._windows,
      (w) => w.id,
      (w) => html`<section
        part="window"
        role="dialog"
        aria-label=${w.title}
        data-window=${w.id}
        style="left:${w.x}px;top:${w.y}px;width:${w.width}px;height:${w.height}px;z-index:${w.z}"
        @pointerdown=${() => this.#front(w)}
        @focusin=${() => this.#front(w)}
      >
        <header part="title-bar" tabindex="0" aria-label=${`${w.title}: move with the arrow keys, resize with Shift and the arrow keys`} @pointerdown=${(e: PointerEvent) => this.#drag(e, w, 'move')} @keydown=${(e: KeyboardEvent) => this.#key(e, w)}>
          <h2>${w.title}</h2>
          <button aria-label=${`Close ${w.title}`} @click=${() => this.#requestClose(w)} @pointerdown=${(e: Event) => e.stopPropagation()}>×</button>
        </header>
        <div class="body"></div>
        ${w.resizable ? html`<div class="resize" aria-hidden="true" @pointerdown=${(e: PointerEvent) => this.#drag(e, w, 'resize')}></div>` : ''}
      </section>`,
    );
  }

  #front(w: FloatingWindow): void {
    if (w.z === this.#top) return;
    this.#update(w.id, { z: ++this.#top });
  }

  #requestClose(w: FloatingWindow): void {
    const handle = this.#handles.get(w.id);
    if (!handle) return;
    requestClose(this, handle);
  }

  #update(id: number, change: Partial<FloatingWindow>): void {
    this._windows = this._windows.map((w) => {
      if (w.id !== id) return w;
      const next = { ...w, ...change };
      const size = { width: Math.max(MIN_SIZE, next.width), height: Math.max(MIN_SIZE, next.height) };
      return { ...next, ...clampToViewport({ x: next.x, y: next.y, ...size }) };
    });
  }

  #drag(start: PointerEvent, w: FloatingWindow, mode: 'move' | 'resize'): void {
    if (start.button !== 0) return;
    start.preventDefault();
    const target = start.currentTarget as HTMLElement;
    target.setPointerCapture?.(start.pointerId);
    const from = { x: start.clientX, y: start.clientY, w: this._windows.find((x) => x.id === w.id)! };
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
    const current = this._windows.find((x) => x.id === w.id)!;
    if (e.shiftKey && current.resizable) this.#update(w.id, { width: current.width + delta[0]!, height: current.height + delta[1]! });
    else this.#update(w.id, { x: current.x + delta[0]!, y: current.y + delta[1]! });
  }

  #onViewportResize = (): void => {
    for (const w of this._windows) this.#update(w.id, {});
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'sb-floating-windows': SbFloatingWindows;
  }
  interface HTMLElementEventMap {
    'sb-request-close': CustomEvent<{ panel: PanelHandle }>;
    'sb-panel-state': CustomEvent<{ panel: PanelHandle; state: PanelHandle['state'] }>;
  }
}
