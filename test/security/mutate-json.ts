/** Replaces one node of a JSON value (counted depth first, the root is 0) with `replacement`. */
export function mutateJson(value: unknown, pick: number, replacement: unknown): unknown {
  let counter = 0;
  const walk = (node: unknown): unknown => {
    if (counter++ === pick) return replacement;
    if (Array.isArray(node)) return node.map(walk);
    if (node && typeof node === 'object') return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v)]));
    return node;
  };
  return walk(value);
}
