import { ContextProvider } from '@lit/context';
import { LitElement, html, type PropertyValues } from 'lit';
import type { Host } from '../../src/for-slots.js';
import { hostContext } from '../shared/host-context.js';

/**
 * @tag sb-host
 * @summary Gives the slot elements inside it their host: set `host` once here
 * instead of on each element.
 * @slot - The platform's UI, slot elements included.
 * @event sb-host-change - When `host` is set (the elements inside refresh).
 */
export class SbHost extends LitElement {
  static override properties = { host: { attribute: false } };
  /** The host every slot element inside finds (one without a `host` of its own). */
  declare host: Host | undefined;
  // Through @lit/context, as lit's own packages do: elements inside, shadow roots included, ask for it.
  readonly #provider = new ContextProvider(this, { context: hostContext });

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('host')) this.#provider.setValue(this.host);
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('host')) this.dispatchEvent(new Event('sb-host-change', { bubbles: true, composed: true }));
  }

  protected override render() {
    return html`<slot></slot>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sb-host': SbHost;
  }
}
