import { ContextRoot } from '@lit/context';

let contextRoot: ContextRoot | undefined;

/**
 * Defines a custom element once; a second call (two bundles, a hot reload) is
 * harmless. The first call also attaches a context root to the document, so
 * an element that asks for its host before its `<sb-host>` is defined gets it
 * once that `<sb-host>` upgrades.
 */
export function define(tag: string, element: CustomElementConstructor): void {
  if (!contextRoot) (contextRoot = new ContextRoot()).attach(document as unknown as HTMLElement);
  if (!customElements.get(tag)) customElements.define(tag, element);
}
