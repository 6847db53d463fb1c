/**
 * Registers a window-like slot element with its host as the opener of its
 * slot type (so `host.openPanel`, `ui.openPanel` and panel toolbars open
 * into it), follows host changes, and unregisters when the element leaves.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Host, PanelOpener } from '../../src/host/host.js';
import type { PanelHandle } from '../../src/host/panel-handle.js';
import type { HostController } from './host-controller.js';

export class OpenerController implements ReactiveController {
  #unregister: (() => void) | undefined;
  #registeredWith: Host | undefined;
  readonly #hosts: HostController;
  readonly #slot: 'floatingWindow' | 'dialog';
  readonly #open: PanelOpener;

  constructor(element: ReactiveControllerHost, hosts: HostController, slot: 'floatingWindow' | 'dialog', open: PanelOpener) {
    this.#hosts = hosts;
    this.#slot = slot;
    this.#open = open;
    element.addController(this);
  }

  hostUpdated(): void {
    const host = this.#hosts.host;
    if (host === this.#registeredWith) return;
    this.#unregister?.();
    this.#registeredWith = host;
    this.#unregister = host?.registerOpener(this.#slot, this.#open);
  }

  hostDisconnected(): void {
    this.#unregister?.();
    this.#unregister = undefined;
    this.#registeredWith = undefined;
  }
}

/** Asks the page (a cancelable `sb-request-close`), then closes the panel unless it said no. */
export function requestClose(element: HTMLElement, handle: PanelHandle): void {
  const request = new CustomEvent('sb-request-close', { bubbles: true, composed: true, cancelable: true, detail: { panel: handle } });
  if (element.dispatchEvent(request)) handle.close();
}

/** Tells the page a window's or dialog's panel changed state. */
export function announceState(element: HTMLElement, panel: PanelHandle): void {
  element.dispatchEvent(new CustomEvent('sb-panel-state', { bubbles: true, composed: true, detail: { panel, state: panel.state } }));
}
