import { LitElement, css, html } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { Host } from '../../src/host/host.js';
import type { PanelHandle } from '../../src/host/panel-handle.js';
import { HostController } from '../shared/host-controller.js';
import { OpenerController, announceState, requestClose } from '../shared/opener-controller.js';
import { clampToViewport, panelLayout } from '../shared/panel-layout.js';
import { themeStyles } from '../shared/theme.js';

interface OpenDialog {
  id: number;
  title: string;
  width: number;
  height: number;
  /** What had focus before: it gets it back. */
  opener: HTMLElement | undefined;
}

/**
 * @tag sb-dialogs
 * @summary Modal dialogs for `dialog` panels: focus stays inside (a native
 * modal `<dialog>`), Escape or the close button ask to close (cancelable
 * `sb-request-close`), and focus returns to what opened it.
 * @event sb-request-close - Cancelable, before a dialog closes: `detail` is `{ panel }`.
 * @csspart dialog - Each dialog.
 */
export class SbDialogs extends LitElement {
  static override styles = [
    themeStyles,
    css`
      dialog {
        box-sizing: border-box;
        padding: 0;
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
        background: var(--_bg);
        color: var(--_fg);
        max-width: 100vw;
        max-height: 100vh;
        overflow: hidden;
      }
      dialog[open] {
        display: flex;
        flex-direction: column;
      }
      dialog::backdrop {
        background: #0006;
      }
      header {
        display: flex;
        align-items: center;
        gap: 8px;
        padding: 6px 6px 6px 12px;
        border-bottom: 1px solid var(--_border);
      }
      h2 {
        flex: 1;
        margin: 0;
        font-size: 1em;
      }
      .body {
        flex: 1;
        position: relative;
      }
      .body iframe {
        display: block;
        width: 100%;
        height: 100% !important;
        border: 0;
      }
    `,
  ];
  static override properties = { host: { attribute: false }, theme: { reflect: true }, _dialogs: { state: true } };

  /** The host; else the nearest `<sb-host>`'s. */
  declare host: Host | undefined;
  /** `light` or `dark`; unset, the host's theme (`host.theme`). */
  declare theme: 'light' | 'dark' | undefined;
  declare _dialogs: OpenDialog[];
  readonly #hosts = new HostController(this);
  readonly #handles = new Map<number, PanelHandle>();
  #nextId = 0;

  constructor() {
    super();
    this._dialogs = [];
    // Registers with the host as the opener of dialog panels (a controller: it keeps itself).
    new OpenerController(this, this.#hosts, 'dialog', (request) => this.open(request.app, request.panel, request.context));
  }

  /** The open dialogs' panels. */
  get panels(): PanelHandle[] {
    return this._dialogs.flatMap((d) => this.#handles.get(d.id) ?? []);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    for (const handle of [...this.#handles.values()]) handle.close();
    this.#handles.clear();
    this._dialogs = [];
  }

  /** Opens a panel in a modal dialog; returns its handle. */
  open(app: string, panel: string, context: Record<string, unknown> = {}): PanelHandle {
    const host = this.#hosts.host;
    if (!host) throw new Error('<sb-dialogs> has no host.');
    const layout = panelLayout(host, app, panel, 'dialog');
    const size = clampToViewport({ x: 0, y: 0, width: layout.width, height: layout.height });
    const entry: OpenDialog = { id: ++this.#nextId, title: layout.title, width: size.width, height: size.height, opener: deepActiveElement() };
    this._dialogs = [...this._dialogs, entry];
    // Render now, so that the frame goes straight into its dialog: an iframe moved later would reload.
    this.performUpdate();
    const dialog = this.renderRoot.querySelector<HTMLDialogElement>(`[data-dialog="${entry.id}"]`)!;
    let handle: PanelHandle;
    try {
      handle = host.mount(app, panel, dialog.querySelector('.body')!, { slot: 'dialog', context });
    } catch (err) {
      this._dialogs = this._dialogs.filter((d) => d.id !== entry.id);
      throw err;
    }
    this.#handles.set(entry.id, handle);
    dialog.showModal();
    const onState = (p: PanelHandle) => {
      if (p !== handle) return;
      announceState(this, p);
      if (p.state !== 'closed') return;
      host.off('panel:state', onState);
      this.#handles.delete(entry.id);
      dialog.close();
      this._dialogs = this._dialogs.filter((d) => d.id !== entry.id);
      entry.opener?.focus();
    };
    host.on('panel:state', onState);
    return handle;
  }

  protected override render() {
    return repeat(
      this._dialogs,
      (d) => d.id,
      (d) => html`<dialog part="dialog" data-dialog=${d.id} aria-label=${d.title} style="width:${d.width}px;height:${d.height}px" @cancel=${(e: Event) => this.#onCancel(e, d)}>
        <header>
          <h2>${d.title}</h2>
          <button aria-label=${`Close ${d.title}`} @click=${() => this.#requestClose(d)}>×</button>
        </header>
        <div class="body"></div>
      </dialog>`,
    );
  }

  #onCancel(event: Event, d: OpenDialog): void {
    // Escape: the dialog closes only through sb-request-close (which the page may cancel).
    event.preventDefault();
    this.#requestClose(d);
  }

  #requestClose(d: OpenDialog): void {
    const handle = this.#handles.get(d.id);
    if (!handle) return;
    requestClose(this, handle);
  }
}

/** The focused element, looking into shadow roots. */
function deepActiveElement(): HTMLElement | undefined {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active instanceof HTMLElement && active !== document.body ? active : undefined;
}

declare global {
  interface HTMLElementTagNameMap {
    'sb-dialogs': SbDialogs;
  }
}
