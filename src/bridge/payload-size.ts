/** Most children a list or record may have and still be counted as a leaf. */
const LEAF_WIDTH = 8;

/**
 * Estimates how many bytes a value takes on the wire, stopping as soon as
 * the count passes `limit`: a 100 MB argument costs one look, not a walk.
 * Strings count two bytes a character (UTF-16, as structured clone holds them).
 * An object reached twice (shared, or in a cycle) counts once, as structured
 * clone sends it once; each further reference is a byte. Every value is a
 * byte at least (its tag on the wire), a list 8, and a view counts the whole
 * buffer under it, which is what structured clone copies.
 */
export function exceedsSize(value: unknown, limit: number): boolean {
  // Fast path for the common call: a short list of numbers, booleans and short
  // strings, at most 16 × 1,024 bytes and the list's 8.
  if (Array.isArray(value) && value.length <= 16 && limit >= 16 * 1024 + 8) {
    let simple = true;
    for (let i = 0; i < value.length && simple; i++) {
      const v: unknown = value[i];
      simple = v === null || (typeof v !== 'object' && (typeof v !== 'string' || v.length <= 512));
    }
    if (simple) return false;
  }
  // Tracking every object by identity is most of a walk's cost, and most
  // objects in a payload are leaves: small lists of primitives and small
  // records of primitives and such lists (a table's row with its tags and its
  // box). The first walk counts leaves without tracking them. A leaf reached
  // twice is then counted twice, which can only make the count larger:
  // "within" stands, and "over" is checked again with every object tracked.
  // A leaf cannot hold a cycle, and counting one costs a Set lookup and at
  // most LEAF_WIDTH² steps per reference the payload holds, so a shared leaf
  // cannot make the first walk long.
  return countUpTo(value, limit, true) > limit && countUpTo(value, limit, false) > limit;
}

/**
 * The same estimate as a number of bytes, every object counted once: what a
 * stored value counts against a quota. The walk stops once past `limit`
 * (the result is then larger than `limit`, not the whole size).
 */
export function payloadSize(value: unknown, limit = Number.MAX_SAFE_INTEGER): number {
  return countUpTo(value, limit, false);
}

/** Lists longer than this are probed for holes before they are walked. */
const PROBED_LENGTH = 64;
const PROBES = 16;

/**
 * Whether a long list is sparse: fewer than one entry in eight there, by a
 * look at indexes the sender cannot guess. A list walked index by index then
 * has at least one entry in eight that its sender paid for on the wire; a
 * sparse one has its entries listed instead (`Object.keys`, which for such a
 * list costs what is there, not its length).
 */
function isSparse(list: unknown[]): boolean {
  let present = 0;
  for (let p = 0; p < PROBES; p++) if (Math.floor(Math.random() * list.length) in list) present++;
  return present < PROBES / 8;
}

function isIndex(key: string, length: number): boolean {
  const n = Number(key);
  return Number.isInteger(n) && n >= 0 && n < length && String(n) === key;
}

function isBuffer(node: object): node is ArrayBuffer {
  return node instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && node instanceof SharedArrayBuffer);
}

function primitiveSize(value: unknown): number {
  return typeof value === 'string' ? 2 * value.length || 1 : value === null ? 1 : 8;
}

/**
 * The size of `node` if it is a leaf: a list of at most LEAF_WIDTH
 * primitives, or a plain record of at most LEAF_WIDTH primitives and such
 * lists (a table's row with its tags); -1 if not.
 */
function leafSize(node: object): number {
  if (Array.isArray(node)) return listLeafSize(node);
  if (Object.getPrototypeOf(node) !== Object.prototype) return -1;
  let size = 1;
  let width = 0;
  for (const key in node) {
    if (++width > LEAF_WIDTH) return -1;
    const v = (node as Record<string, unknown>)[key];
    const here = typeof v !== 'object' || v === null ? primitiveSize(v) : Array.isArray(v) ? listLeafSize(v) : -1;
    if (here < 0) return -1;
    size += 2 * key.length + here;
  }
  return size;
}

/** The size of a list of at most LEAF_WIDTH primitives; -1 for any other list. */
function listLeafSize(list: unknown[]): number {
  if (list.length > LEAF_WIDTH) return -1;
  let size = 8;
  for (let i = 0; i < list.length; i++) {
    const v: unknown = list[i];
    if (typeof v === 'object' && v !== null) return -1;
    size += primitiveSize(v);
  }
  return size;
}

/** The count, or more than `limit` once it passes it; leaves are counted untracked when `untrackedLeaves`. */
function countUpTo(value: unknown, limit: number, untrackedLeaves: boolean): number {
  const seen = new Set<object>();
  const stack: object[] = [];
  // Primitives and untracked leaves are counted where they are met; other
  // objects are tracked as they are met, so each is looked at as a possible
  // leaf once (a record's keys are listed in full to begin the look) and
  // waits on the stack once.
  const sizeHere = (child: unknown): number => {
    if (typeof child !== 'object' || child === null) return primitiveSize(child);
    // A back-reference: structured clone sends the object once, and a reference to it after.
    if (seen.has(child)) return 1;
    const leaf = untrackedLeaves ? leafSize(child) : -1;
    if (leaf >= 0) return leaf;
    seen.add(child);
    stack.push(child);
    return 0;
  };
  let total = sizeHere(value);
  while (total <= limit && stack.length > 0) {
    const node = stack.pop()!;
    // Structured clone copies a view's whole buffer, not the bytes it shows: the buffer is
    // what is counted, once, however many views share it.
    if (ArrayBuffer.isView(node)) total += 1 + sizeHere(node.buffer);
    else if (isBuffer(node)) total += 1 + node.byteLength;
    else if (typeof Blob !== 'undefined' && node instanceof Blob) total += 1 + node.size;
    else if (Array.isArray(node)) {
      // The length is the sender's to set (a sparse list of a billion holes is a few bytes on
      // the wire), so it is bounded before the list is walked: every entry takes a byte at least.
      total += 8;
      const length = node.length;
      if (total + length > limit) return Infinity;
      if (length > PROBED_LENGTH && isSparse(node)) {
        // A hole costs a lookup to read, and reads as undefined wherever the list goes next:
        // it counts as an undefined entry, and only what is there is visited.
        const present = Object.keys(node);
        total += 8 * (length - present.length);
        for (let k = 0; k < present.length && total <= limit; k++) {
          const key = present[k];
          total += (isIndex(key, length) ? 0 : 2 * key.length) + sizeHere(node[key as unknown as number]);
        }
      } else for (let i = 0; i < length && total <= limit; i++) total += sizeHere(node[i]);
    } else if (node instanceof Map) {
      total += 1;
      for (const [k, v] of node) if ((total += sizeHere(k) + sizeHere(v)) > limit) break;
    } else if (node instanceof Set) {
      total += 1;
      for (const v of node) if ((total += sizeHere(v)) > limit) break;
    } else {
      total += 1;
      for (const key in node) if ((total += 2 * key.length + sizeHere((node as Record<string, unknown>)[key])) > limit) break;
    }
  }
  return total;
}
