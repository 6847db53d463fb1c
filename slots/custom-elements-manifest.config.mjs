// `cem analyze --config slots/custom-elements-manifest.config.mjs` (run by the build): dist/custom-elements.json, the slot
// elements' tags, attributes, properties, events, slots, parts and CSS custom
// properties, read from their classes and JSDoc (`@tag`, `@event`, `@slot`,
// `@csspart`, `@cssproperty`).
/** Reactive state (`_name`, declared `{ state: true }`) is no attribute or property of the element's API. */
function dropInternalState() {
  const internal = (name) => name.startsWith('_') || name.startsWith('#');
  return {
    name: 'slotbridge-drop-internal-state',
    packageLinkPhase({ customElementsManifest }) {
      for (const module of customElementsManifest.modules) {
        for (const declaration of module.declarations ?? []) {
          if (declaration.attributes) declaration.attributes = declaration.attributes.filter((a) => !internal(a.name) && !internal(a.fieldName ?? ''));
          if (declaration.members) declaration.members = declaration.members.filter((m) => !internal(m.name) && m.privacy !== 'private' && m.privacy !== 'protected');
        }
      }
    },
  };
}

export default {
  globs: ['slots/**/*.ts'],
  exclude: ['slots/**/*.test.ts'],
  outdir: 'dist',
  litelement: true,
  plugins: [dropInternalState()],
};
