/** Defines a custom element once; a second call (two bundles, a hot reload) is harmless. */
export function define(tag: string, element: CustomElementConstructor): void {
  if (!customElements.get(tag)) customElements.define(tag, element);
}
