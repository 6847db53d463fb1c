/**
 * Gives a slot element its host (its own `host` property, else the one the
 * nearest `<sb-host>` provides through `@lit/context`), keeps the element's
 * host subscriptions on whichever host that is, and drops them when the
 * element leaves the document. Every host event a slot element listens to
 * goes through here.
 */
import { ContextConsumer } from '@lit/context';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Host, HostEvents } from '../../src/for-slots.js';
import { hostContext } from './host-context.js';

type Element$ = ReactiveControllerHost & HTMLElement & { host: Host | undefined };

/** Handlers of host events, by name. */
export type HostListeners = { [E in keyof HostEvents]?: (...args: HostEvents[E]) => void };

/** Host events after which a slot element shows something else: each asks for an update. */
const REFRESHING = ['app:published', 'app:installed', 'app:uninstalled', 'project:changed', 'settings:changed', 'theme:changed'] as const;

export class HostController implements ReactiveController {
  #subscribed: Host | undefined;
  readonly #element: Element$;
  readonly #provided: ContextConsumer<typeof hostContext, Element$>;
  readonly #listeners: [keyof HostEvents, (...args: never[]) => void][];

  /** `listeners`: what the element does on host events besides updating. */
  constructor(element: Element$, listeners: HostListeners = {}) {
    this.#element = element;
    this.#provided = new ContextConsumer(element, { context: hostContext, subscribe: true, callback: () => element.requestUpdate() });
    const refresh = (): void => element.requestUpdate();
    this.#listeners = [
      ...REFRESHING.map((event) => [event, refresh] as [keyof HostEvents, () => void]),
      ...(Object.entries(listeners) as [keyof HostEvents, () => void][]),
    ];
    element.addController(this);
  }

  /** The host in use: the element's own, else its nearest `<sb-host>`'s. */
  get host(): Host | undefined {
    return this.#element.host ?? this.#provided.value;
  }

  hostConnected(): void {
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
    this.#unsubscribe();
  }

  #resubscribe(): void {
    const host = this.host;
    if (host === this.#subscribed) return;
    this.#unsubscribe();
    this.#subscribed = host;
    for (const [event, fn] of this.#listeners) host?.on(event, fn as never);
  }

  #unsubscribe(): void {
    for (const [event, fn] of this.#listeners) this.#subscribed?.off(event, fn as never);
    this.#subscribed = undefined;
  }
}
