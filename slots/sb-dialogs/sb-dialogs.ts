import { LitElement, css, html } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { Host, PanelHandle } from '../../src/for-slots.js';
import { clampToViewport } from '../shared/panel-layout.js';
import { WindowsController } from '../shared/windows-controller.js';
import { themeStyles } from '../shared/theme.js';
import { panelErrorStyles } from '../shared/panel-error.js';

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
    panelErrorStyles,
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
  static override properties = { host: { attribute: false }, theme: { reflect: true } };

  /** The host; else the nearest `<sb-host>`'s. */
  declare host: Host | undefined;
  /** `light` or `dark`; unset, the host's theme (`host.theme`). */
  declare theme: 'light' | 'dark' | undefined;
  readonly #dialogs = new WindowsController<OpenDialog>(this, {
    slot: 'dialog',
    create: (id, layout) => {
      const size = clampToViewport({ x: 0, y: 0, width: layout.width, height: layout.height });
      return { id, title: layout.title, width: size.width, height: size.height, opener: deepActiveElement() };
    },
    body: (d) => this.#dialogOf(d).querySelector<HTMLElement>('.body')!,
    opened: (d) => this.#dialogOf(d).showModal(),
    closed: (d) => {
      // Still drawn: closed first, so that what opened it is no longer inert and takes the focus back.
      this.renderRoot.querySelector<HTMLDialogElement>(`[data-dialog="${d.id}"]`)?.close();
      d.opener?.focus();
    },
  });

  /** The open dialogs' panels. */
  get panels(): PanelHandle[] {
    return this.#dialogs.panels;
  }

  /** Opens a panel in a modal dialog; returns its handle. `NO_HOST` without a host. */
  open(app: string, panel: string, context: Record<string, unknown> = {}): PanelHandle {
    return this.#dialogs.open(app, panel, context);
  }

  /** A dialog's element, drawn now if it is new. */
  #dialogOf(d: OpenDialog): HTMLDialogElement {
    if (this.isUpdatePending) this.performUpdate();
    return this.renderRoot.querySelector<HTMLDialogElement>(`[data-dialog="${d.id}"]`)!;
  }

  protected override render() {
    return repeat(
      this.#dialogs.windows,
      (d) => d.id,
      (
        d,
      ) => html`<dialog part="dialog" data-dialog=${d.id} aria-label=${this.#dialogs.titleOf(d)} style="width:${d.width}px;height:${d.height}px" @cancel=${(e: Event) => this.#onCancel(e, d)}>
        <header>
          <h2>${this.#dialogs.titleOf(d)}</h2>
          <button aria-label=${`Close ${d.title}`} @click=${() => this.#dialogs.requestClose(d.id)}>×</button>
        </header>
        ${this.#dialogs.status(d)}
        <div class="body"></div>
      </dialog>`,
    );
  }

  #onCancel(event: Event, d: OpenDialog): void {
    // Escape: the dialog closes only through sb-request-close (which the page may cancel).
    event.preventDefault();
    this.#dialogs.requestClose(d.id);
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
