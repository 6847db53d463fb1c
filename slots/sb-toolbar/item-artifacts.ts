/**
 * What chains a toolbar's functions: an `Artifact:<type>` input the context
 * lacks gets the artifact of that type a function of this toolbar made for
 * the context's item, never another item's; with no item in the context, the
 * app's newest of that type.
 */
import { artifactTypeOf, type ArtifactRecord, type Host } from '../../src/for-slots.js';

type IoParameter = { name: string; type: string };

export class ItemArtifacts {
  /** Artifact ids by item, then by type. */
  readonly #made = new Map<string, Map<string, string>>();

  /**
   * The context entries the function declares as inputs (others would be
   * refused), and for an artifact input the context lacks, the one of its
   * type made for the context's item (the newest of the app's, when the
   * context has no item): so that one button's output feeds the next.
   */
  async inputs(
    host: Host,
    app: string,
    declared: readonly IoParameter[],
    context: Record<string, unknown>,
  ): Promise<Record<string, unknown>> {
    const item = itemOf(context);
    const inputs: Record<string, unknown> = {};
    let stored: Promise<ArtifactRecord[]> | undefined;
    for (const p of declared) {
      const type = artifactTypeOf(p.type);
      if (Object.hasOwn(context, p.name)) inputs[p.name] = context[p.name];
      else if (type !== undefined && item !== undefined) {
        const made = this.#made.get(item)?.get(type);
        if (made) inputs[p.name] = { artifact: made };
      } else if (type !== undefined) {
        // Listed once however many artifact inputs the function has.
        const newest = (await (stored ??= host.artifacts.list({ app }))).filter((a) => a.type === type).at(-1);
        if (newest) inputs[p.name] = { artifact: newest.id };
      }
    }
    return inputs;
  }

  /** The artifacts a run made for an item, for the next run on that item to take. */
  remember(item: string | undefined, declared: readonly IoParameter[], outputs: Record<string, unknown>): void {
    if (item === undefined) return;
    for (const { id, type } of savedArtifacts(outputs, declared)) {
      if (!this.#made.has(item)) this.#made.set(item, new Map());
      this.#made.get(item)!.set(type, id);
    }
  }
}

/** The id of the context's item, when it has one. */
export function itemOf(context: Record<string, unknown> | undefined): string | undefined {
  const id = (context?.['item'] as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' ? id : undefined;
}

/** The function a toolbar's namespace (`module.function`) names in its app's manifest. */
export function declaredFunction(host: Host, app: string, namespace: string) {
  const [moduleName, fnName] = namespace.split('.').slice(-2);
  return host.registry
    .installedApp(app)
    ?.manifest.components.modules.find((m) => m.name === moduleName)
    ?.functions.find((f) => f.name === fnName);
}

/** How people know an artifact type of an app: its `displayName` in the manifest, else its name. */
export function artifactDisplayName(host: Host, app: string, type: string): string {
  const declared = host.registry.installedApp(app)?.manifest.components.artifacts.find((a) => a.name === type);
  return declared?.displayName ?? type;
}

/** The artifacts a run's outputs saved: each one's id and type. */
export function savedArtifacts(outputs: Record<string, unknown>, declared: readonly IoParameter[]): { id: string; type: string }[] {
  return declared.flatMap((p) => {
    const type = artifactTypeOf(p.type);
    const id = (outputs[p.name] as { artifact?: unknown } | undefined)?.artifact;
    return type !== undefined && typeof id === 'string' ? [{ id, type }] : [];
  });
}
