import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { exceedsSize, payloadSize } from '../../src/bridge/payload-size.js';

/** The count exceedsSize stands for, written the plain way: every object once. */
function wireSize(value: unknown, seen = new Set<object>()): number {
  if (typeof value === 'string') return 2 * value.length || 1;
  if (value === null) return 1;
  if (typeof value !== 'object') return 8;
  // A second reference is a back-reference on the wire: a byte at least, as every entry is.
  if (seen.has(value)) return 1;
  seen.add(value);
  if (ArrayBuffer.isView(value)) return 1 + wireSize(value.buffer, seen);
  if (value instanceof ArrayBuffer) return 1 + value.byteLength;
  let size = 1;
  if (Array.isArray(value)) {
    size = 8;
    for (let i = 0; i < value.length; i++) size += wireSize(value[i], seen);
  } else if (value instanceof Map) {
    for (const [k, v] of value) size += wireSize(k, seen) + wireSize(v, seen);
  } else if (value instanceof Set) {
    for (const v of value) size += wireSize(v, seen);
  } else {
    for (const [k, v] of Object.entries(value)) size += 2 * k.length + wireSize(v, seen);
  }
  return size;
}

/** Lists and records of `value`, depth first. */
function containers(value: unknown, out: object[] = []): object[] {
  if (
    typeof value === 'object' &&
    value !== null &&
    !out.includes(value) &&
    (Array.isArray(value) || Object.getPrototypeOf(value) === Object.prototype)
  ) {
    out.push(value);
    for (const child of Object.values(value)) containers(child, out);
  }
  return out;
}

/** A copy of `value` with some of its lists and records made to hold others: shared objects, and cycles where one holds an ancestor. */
function withLinks(generated: unknown, links: [number, number][]): unknown {
  // A copy: fast-check hands the same generated value to later runs while it shrinks.
  const value = structuredClone(generated);
  const nodes = containers(value);
  for (const [from, to] of links) {
    const holder = nodes[from % nodes.length] as Record<string, unknown> | unknown[] | undefined;
    if (holder === undefined) break;
    if (Array.isArray(holder)) holder.push(nodes[to % nodes.length]);
    else holder[`link${from}`] = nodes[to % nodes.length];
  }
  return value;
}

const primitive = fc.oneof(fc.string({ maxLength: 40 }), fc.double(), fc.boolean(), fc.constant(null), fc.constant(undefined));
const payload = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    primitive,
    tie('list'),
    tie('record'),
    tie('binary'),
    tie('map'),
    tie('set'),
  ),
  list: fc.array(tie('value'), { maxLength: 12 }),
  record: fc.dictionary(fc.string({ maxLength: 8 }), tie('value'), { maxKeys: 10 }),
  binary: fc.oneof(
    fc.uint8Array({ maxLength: 64 }),
    fc.nat(64).map((n) => new ArrayBuffer(n)),
    // A view of part of a larger buffer: the clone carries the whole buffer.
    fc.tuple(fc.nat(64), fc.nat(64)).map(([a, b]) => new Uint8Array(new ArrayBuffer(a + b), a, b)),
  ),
  map: fc.array(fc.tuple(primitive, tie('value')), { maxLength: 4 }).map((entries) => new Map(entries)),
  set: fc.array(tie('value'), { maxLength: 4 }).map((values) => new Set(values)),
})).value;
const linkedPayload = fc
  .tuple(payload, fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 6 }))
  .map(([value, links]) => withLinks(value, links));

describe('the payload size check', () => {
  it('matches the plain count at, just under and away from the limit, for 3,000 values with shared objects and cycles', () => {
    fc.assert(
      fc.property(linkedPayload, fc.nat(20_000), (value, other) => {
        const size = wireSize(value);
        assert.equal(exceedsSize(value, size), false, `${size} bytes are within a limit of ${size}`);
        if (size > 0) assert.equal(exceedsSize(value, size - 1), true, `${size} bytes pass a limit of ${size - 1}`);
        assert.equal(exceedsSize(value, other), size > other);
        assert.equal(payloadSize(value), size, 'the count itself');
      }),
      { numRuns: 3000 },
    );
  });

  it('counts a small list shared many times once, though counting it at each reference passes the limit', () => {
    const row = [1, 2, 3, 'a'];
    const rows = Array.from({ length: 10_000 }, () => row);
    const size = wireSize(rows);
    assert.equal(size, 8 + wireSize(row) + 9_999);
    assert.equal(exceedsSize(rows, size), false);
    assert.equal(exceedsSize(rows, size - 1), true);
  });

  it('lists the keys of a wide record reached many times at most twice, not at each reference', () => {
    // A guest could otherwise send one record of many keys and many references to it, and have each reference list every key.
    let listings = 0;
    const wide = new Proxy(Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`key${i}`, i])), {
      ownKeys(target) {
        listings++;
        return Reflect.ownKeys(target);
      },
    });
    const references = Array.from({ length: 1_000 }, () => wide);
    const size = wireSize(references);
    listings = 0;
    assert.equal(exceedsSize(references, size), false);
    assert.ok(listings <= 2, `the keys were listed ${listings} times`);
  });

  it('ends on a record that holds itself, and counts it once', () => {
    const loop: Record<string, unknown> = { name: 'loop' };
    loop[''] = loop;
    loop.self = loop;
    assert.equal(exceedsSize([loop, loop], 1_000), false);
    assert.equal(exceedsSize([loop, loop], 8 + 2 * 'name'.length + 2 * 'loop'.length + 2 * 'self'.length - 1), true);
  });

  it('counts a list of 16 strings of 512 characters as 16,392 bytes', () => {
    const strings = Array.from({ length: 16 }, () => 'x'.repeat(512));
    assert.equal(exceedsSize(strings, 16_392), false);
    assert.equal(exceedsSize(strings, 16_391), true);
  });

  it('counts the whole buffer under a view, once however many views share it', () => {
    const buffer = new ArrayBuffer(10_000_000);
    const oneByte = new Uint8Array(buffer, 5, 1);
    assert.equal(exceedsSize([oneByte], 1_000_000), true, 'a 1-byte view carries its 10 MB buffer');
    assert.equal(
      exceedsSize({ a: oneByte, b: new DataView(buffer), c: buffer }, 10_000_100),
      false,
      'three references to one buffer count it once',
    );
  });

  it('refuses a sparse list of any length at once, and counts one under the limit without visiting its holes', () => {
    // A list that counts every look at an index: the walk's work, without a clock.
    const watched = (length: number) => {
      const list: unknown[] = [];
      list.length = length;
      list[7] = 'x';
      const looks = { count: 0 };
      const proxy = new Proxy(list, {
        get: (target, key) => (typeof key === 'string' && /^\d+$/.test(key) && looks.count++, Reflect.get(target, key)),
        has: (target, key) => (looks.count++, Reflect.has(target, key)),
      });
      return { proxy, looks };
    };
    for (const length of [2 ** 32 - 1, 100_000_000, 70_000_000]) {
      const { proxy, looks } = watched(length);
      assert.equal(exceedsSize([proxy], 64 * 1024 * 1024), true, `a list of length ${length}`);
      assert.equal(exceedsSize({ nested: [[proxy]] }, 64 * 1024 * 1024), true);
      assert.equal(looks.count, 0, 'refused on its length alone');
    }
    const { proxy, looks } = watched(1_000_000);
    assert.equal(exceedsSize([proxy], 64 * 1024 * 1024), false);
    assert.equal(payloadSize([proxy]), 8 + 8 + 8 * 999_999 + 2, 'each hole counts as undefined, the entry as its string');
    assert.ok(looks.count < 100, `${looks.count} looks at a list of one entry and 999,999 holes`);
  });
});
