/**
 * Finds the host a slot element works for (its own `host` property, else the
 * nearest ancestor `<sb-host>` with one, across shadow roots), listens to the
 * host events that change what the element shows, and stops listening when
 * the element leaves the document.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Host } from '../../src/host/host.js';
import type { HostEvents } from '../../src/host/host-events.js';

type Element$ = ReactiveControllerHost & HTMLElement & { host: Host | undefined };

/** Host events after which a slot element shows something else. */
const REFRESHING: (keyof HostEvents)[] = ['app:published', 'app:installed', 'app:uninstalled', 'project:changed', 'settings:changed', 'theme:changed'];

export class HostController implements ReactiveController {
  #subscribed: Host | undefined;
  readonly #element: Element$;

  constructor(element: Element$) {
    this.#element = element;
    element.addController(this);
  }

  /** The host in use: the element's own, else its nearest `<sb-host>`'s. */
  get host(): Host | undefined {
    return this.#element.host ?? findAncestorHost(this.#element);
  }

  hostConnected(): void {
    this.#element.addEventListener('sb-host-change', this.#refresh);
    document.addEventListener('sb-host-change', this.#refresh);
    this.#resubscribe();
  }

  hostUpdate(): void {
    this.#resubscribe();
    // The host's theme, for the styles (an explicit `theme` attribute wins).
    const theme = this.host?.theme;
    if (theme) this.#element.setAttribute('data-host-theme', theme);
    else this.#element.removeAttribute('data-host-theme');
  }

  hostDisconnected(): void {
    document.removeEventListener('sb-host-change', this.#refresh);
    this.#element.removeEventListener('sb-host-change', this.#refresh);
    this.#unsubscribe();
  }

  #refresh = (): void => {
    this.#element.requestUpdate();
  };

  #resubscribe(): void {
    const host = this.host;
    if (host === this.#subscribed) return;
    this.#unsubscribe();
    this.#subscribed = host;
    for (const event of REFRESHING) host?.on(event, this.#refresh);
  }

  #unsubscribe(): void {
    for (const event of REFRESHING) this.#subscribed?.off(event, this.#refresh);
    this.#subscribed = undefined;
  }
}

function findAncestorHost(start: Node): Host | undefined {
  let node: Node | null = start.parentNode ?? (start as unknown as ShadowRoot).host ?? null;
  while (node) {
    if (node instanceof HTMLElement && node.localName === 'sb-host' && (node as HTMLElement & { host?: Host }).host) {
      return (node as HTMLElement & { host: Host }).host;
    }
    node = node.parentNode ?? (node instanceof ShadowRoot ? node.host : null);
  }
  return undefined;
}
