/** Defaults that depend on other fields, applied to a manifest that passed the schema. */
import { DATALOOP_BRIDGE, DATALOOP_SYSTEM_SCOPE, type APP_SCOPES } from './vocabulary.js';
import type * as z from 'zod/mini';
import type { LayoutDefinition, ManifestSchema, ModuleDefinition, PanelDefinition } from './schema.js';

type Parsed = z.output<typeof ManifestSchema>;

/** A panel with its defaults filled in. */
export type Panel = Override<PanelDefinition, { url: string; displayName: string }>;
/** A module with its defaults filled in; `url` is absent for a module the platform executor runs. */
export type Module = ModuleDefinition;
/** A layout with `resizable` settled from either spelling. */
export type Layout = LayoutDefinition;

/** `T` with the keys of `U` replaced; unlike Omit, it keeps known keys next to an index signature. */
type Override<T, U> = { [K in keyof T as K extends keyof U ? never : K]: T[K] } & U;

/** A valid manifest with every default applied: what `validateManifest` returns. */
export type Manifest = Override<
  Parsed,
  {
    displayName: string;
    version: string;
    scope: (typeof APP_SCOPES)[number];
    components: Override<Parsed['components'], { panels: Panel[]; modules: Module[] }>;
  }
>;

export function normalize(parsed: Parsed): Manifest {
  const { panels, modules } = parsed.components;
  return {
    ...parsed,
    displayName: parsed.displayName ?? parsed.name,
    version: parsed.version ?? '0.0.0',
    scope: parsed.scope === DATALOOP_SYSTEM_SCOPE ? 'public' : parsed.scope,
    components: {
      ...parsed.components,
      panels: panels.map((panel) => ({
        ...panel,
        displayName: panel.displayName ?? panel.name,
        // Dataloop serves an app's panels/ folder at the root of its own server.
        url: panel.url ?? (parsed.bridge === DATALOOP_BRIDGE ? `${panel.name}/index.html` : `panels/${panel.name}/index.html`),
        supportedSlots: panel.supportedSlots.map((slot) => {
          const layout = slot.configuration?.layout;
          if (!layout || layout.resizable !== undefined || layout.resizeable === undefined) return slot;
          return { ...slot, configuration: { ...slot.configuration, layout: { ...layout, resizable: layout.resizeable } } };
        }),
      })),
      // A Dataloop module with an entryPoint and no url runs on the platform's executor.
      modules: modules.map((module) =>
        module.url !== undefined || module.entryPoint !== undefined ? module : { ...module, url: `modules/${module.name}/index.html` },
      ),
    },
  };
}
