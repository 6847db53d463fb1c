/**
 * What the window-like slot elements (`<sb-dialogs>`, `<sb-floating-windows>`)
 * share: they are their host's opener of one slot type (so `host.openPanel`,
 * a guest's `ui.openPanel` and panel toolbars open into them), open a panel
 * in a window of their own, announce its states, drop the window when its
 * panel closes, and close every panel when the element leaves the document.
 * The element draws the windows; this keeps the list.
 */
import { nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { ErrorCode, SlotbridgeError, type Host, type PanelHandle } from '../../src/for-slots.js';
import { fire } from '../events.js';
import { HostController } from './host-controller.js';
import { panelLayout, subjectOf, type PanelLayout } from './panel-layout.js';
import { panelError } from './panel-error.js';

type Element$ = ReactiveControllerHost & HTMLElement & { host: Host | undefined };

export interface WindowsOptions<W extends { readonly id: number }> {
  slot: 'dialog' | 'floatingWindow';
  /** A new window, from its panel's layout. */
  create(id: number, layout: PanelLayout, app: string, panel: string): W;
  /** Where the new window's panel goes: the element has drawn the window already (an iframe moved later would reload). */
  body(window: W): HTMLElement;
  /** After its panel mounted. */
  opened?(window: W): void;
  /** After its panel closed and it left the list. */
  closed?(window: W): void;
}

export class WindowsController<W extends { readonly id: number }> implements ReactiveController {
  readonly hosts: HostController;
  #windows: readonly W[] = [];
  readonly #handles = new Map<number, PanelHandle>();
  readonly #element: Element$;
  readonly #options: WindowsOptions<W>;
  #nextId = 0;
  #registeredWith: Host | undefined;
  #unregister: (() => void) | undefined;

  constructor(element: Element$, options: WindowsOptions<W>) {
    this.#element = element;
    this.#options = options;
    this.hosts = new HostController(element);
    element.addController(this);
  }

  /** The open windows, in the order they opened. */
  get windows(): readonly W[] {
    return this.#windows;
  }

  /** The open windows' panels. */
  get panels(): PanelHandle[] {
    return this.#windows.flatMap((w) => this.#handles.get(w.id) ?? []);
  }

  /** A window's title: its panel's name, and what it shows now (`subjectOf` its context). */
  titleOf(window: W & { readonly title: string }): string {
    const subject = subjectOf(this.#handles.get(window.id)?.context ?? {});
    return subject ? `${window.title} · ${subject}` : window.title;
  }

  /** What a window shows over its panel: why it could not start, and Retry. */
  status(window: W & { readonly title: string }) {
    const handle = this.#handles.get(window.id);
    if (handle?.state !== 'error') return nothing;
    return panelError(window.title, handle.error?.message ?? 'unknown error', () => handle.reload());
  }

  /** Opens a panel in a new window; returns its handle. */
  open(app: string, panel: string, context: Record<string, unknown> = {}): PanelHandle {
    const host = this.hosts.host;
    if (!host) {
      throw new SlotbridgeError(
        ErrorCode.NO_HOST,
        `<${this.#element.localName}> has no host: set its host property, or place it inside an <sb-host> whose host is set.`,
      );
    }
    const window = this.#options.create(++this.#nextId, panelLayout(host, app, panel, this.#options.slot), app, panel);
    this.#set([...this.#windows, window]);
    let handle: PanelHandle;
    try {
      handle = host.mount(app, panel, this.#options.body(window), { slot: this.#options.slot, context });
    } catch (err) {
      this.#set(this.#windows.filter((w) => w.id !== window.id));
      throw err;
    }
    this.#handles.set(window.id, handle);
    // Its own panel's events: its state, and its context (the title names what the window shows).
    handle.addEventListener('state', () => this.#onState(handle));
    handle.addEventListener('context', () => this.#element.requestUpdate());
    this.#options.opened?.(window);
    return handle;
  }

  /** Changes a window (moved, resized, brought to the front). */
  update(id: number, change: (window: W) => W): void {
    this.#set(this.#windows.map((w) => (w.id === id ? change(w) : w)));
  }

  /** Asks the page (a cancelable `sb-request-close`), then closes the window's panel unless it said no. */
  requestClose(id: number): void {
    const handle = this.#handles.get(id);
    if (handle && fire(this.#element, 'sb-request-close', { panel: handle }, true)) handle.close();
  }

  hostUpdated(): void {
    const host = this.hosts.host;
    if (host === this.#registeredWith) return;
    this.#unregister?.();
    this.#registeredWith = host;
    this.#unregister = host?.registerOpener(this.#options.slot, (request) => this.open(request.app, request.panel, request.context));
  }

  hostDisconnected(): void {
    this.#unregister?.();
    this.#unregister = undefined;
    this.#registeredWith = undefined;
    for (const handle of [...this.#handles.values()]) handle.close();
    this.#handles.clear();
    // Drawn again empty if the element comes back.
    this.#set([]);
  }

  #onState(panel: PanelHandle): void {
    const window = this.#windows.find((w) => this.#handles.get(w.id) === panel);
    if (!window) return;
    fire(this.#element, 'sb-panel-state', { panel, state: panel.state });
    if (panel.state !== 'closed') {
      this.#element.requestUpdate();
      return;
    }
    this.#handles.delete(window.id);
    this.#set(this.#windows.filter((w) => w !== window));
    this.#options.closed?.(window);
  }

  #set(windows: readonly W[]): void {
    this.#windows = windows;
    this.#element.requestUpdate();
  }
}
