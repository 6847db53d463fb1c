// The slot elements follow lit's own package layout: class files with no side
// effects (entries define), every tag typed in HTMLElementTagNameMap, every
// event typed once in slots/events.ts, and no plain Error thrown.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { elementsOf, readManifest } from './support/elements-reference.js';

const slots = new URL('../../slots/', import.meta.url).pathname;
const sources = (readdirSync(slots, { recursive: true }) as string[])
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
  .map((f) => ({ file: relative(slots, join(slots, f)), text: readFileSync(join(slots, f), 'utf8') }));

test('only the entries define elements: class files have no side effects', () => {
  const defining = sources.filter((s) => /^\s*define\(/m.test(s.text)).map((s) => s.file);
  assert.ok(defining.length >= 12);
  assert.deepEqual(
    defining.filter((f) => !f.endsWith('index.ts')),
    [],
  );
});

test('every tag defined is typed in HTMLElementTagNameMap', () => {
  const defined = sources.flatMap((s) => [...s.text.matchAll(/define\('([a-z-]+)'/g)].map((m) => m[1]));
  const typed = new Set(
    sources.flatMap((s) =>
      [...s.text.matchAll(/interface HTMLElementTagNameMap \{([^}]*)\}/g)].flatMap((m) =>
        [...m[1].matchAll(/'([a-z-]+)':/g)].map((t) => t[1]),
      ),
    ),
  );
  assert.ok(defined.length >= 15, `${defined.length} tags defined`);
  assert.deepEqual(
    defined.filter((tag) => !typed.has(tag)),
    [],
  );
});

test('every event an element documents is typed in slots/events.ts, and only there', () => {
  const events = sources.find((s) => s.file === 'events.ts')!.text;
  const declared = new Set(
    [...events.slice(events.indexOf('interface HTMLElementEventMap')).matchAll(/'(sb-[a-z-]+)':/g)].map((m) => m[1]),
  );
  const documented = new Set([...elementsOf(readManifest()).values()].flatMap((d) => (d.events ?? []).map((e) => e.name)));
  assert.ok(documented.size >= 7, `${documented.size} events documented`);
  assert.deepEqual(
    [...documented].filter((name) => !declared.has(name)),
    [],
  );
  assert.deepEqual(
    sources.filter((s) => s.file !== 'events.ts' && /interface HTMLElementEventMap/.test(s.text)).map((s) => s.file),
    [],
  );
  assert.deepEqual(
    sources.filter((s) => /new CustomEvent\(/.test(s.text) && s.file !== 'events.ts').map((s) => s.file),
    [],
    'send events through fire() in slots/events.ts',
  );
});

test('the elements throw SlotbridgeError, never a plain Error, and use requestUpdate() rather than counters', () => {
  assert.deepEqual(
    sources.filter((s) => /throw new (Type)?Error\(|new Error\(/.test(s.text)).map((s) => s.file),
    [],
  );
  assert.deepEqual(
    sources.filter((s) => /_tick|_version/.test(s.text)).map((s) => s.file),
    [],
  );
});
