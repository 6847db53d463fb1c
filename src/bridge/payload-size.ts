/**
 * Estimates how many bytes a value takes on the wire, stopping as soon as
 * the count passes `limit`: a 100 MB argument costs one look, not a walk.
 * Strings count two bytes a character (UTF-16, as structured clone holds them).
 */
export function exceedsSize(value: unknown, limit: number): boolean {
  // Fast path for the common call: a short list of numbers, booleans and short strings.
  if (Array.isArray(value) && value.length <= 16 && limit >= 16 * 1024) {
    let simple = true;
    for (let i = 0; i < value.length && simple; i++) {
      const v: unknown = value[i];
      simple = v === null || (typeof v !== 'object' && (typeof v !== 'string' || v.length <= 512));
    }
    if (simple) return false;
  }
  let total = 0;
  const stack: unknown[] = [value];
  const seen = new Set<object>();
  while (stack.length > 0) {
    const node = stack.pop();
    switch (typeof node) {
      case 'string':
        total += 2 * node.length;
        break;
      case 'object': {
        if (node === null) {
          total += 1;
          break;
        }
        if (seen.has(node)) break;
        seen.add(node);
        if (ArrayBuffer.isView(node)) total += node.byteLength;
        else if (node instanceof ArrayBuffer) total += node.byteLength;
        else if (typeof Blob !== 'undefined' && node instanceof Blob) total += node.size;
        else if (Array.isArray(node)) {
          total += 8;
          for (let i = 0; i < node.length; i++) stack.push(node[i]);
        } else if (node instanceof Map) {
          for (const [k, v] of node) stack.push(k, v);
        } else if (node instanceof Set) {
          for (const v of node) stack.push(v);
        } else {
          for (const key in node) {
            total += 2 * key.length;
            stack.push((node as Record<string, unknown>)[key]);
          }
        }
        break;
      }
      default:
        total += 8;
    }
    if (total > limit) return true;
  }
  return false;
}
