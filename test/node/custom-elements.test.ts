import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { definedTags, elementsOf, END, readManifest, renderReference, START } from './support/elements-reference.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));

test('custom-elements.json lists every element slotbridge/slots defines, each with its API described', () => {
  assert.equal(pkg.customElements, 'dist/custom-elements.json');
  const tags = definedTags();
  assert.equal(tags.length, 12);
  const elements = elementsOf(readManifest());
  assert.deepEqual(
    tags.filter((tag) => !elements.has(tag)),
    [],
  );
  const undescribed: string[] = [];
  for (const tag of tags) {
    const d = elements.get(tag)!;
    if (!d.summary) undescribed.push(`${tag}: summary`);
    for (const [kind, list] of Object.entries({
      attribute: d.attributes,
      property: d.members?.filter((m) => m.kind === 'field' && !m.static),
      event: d.events,
      slot: d.slots,
      part: d.cssParts,
      'CSS property': d.cssProperties,
    })) {
      for (const entry of list ?? []) if (!entry.description) undescribed.push(`${tag}: ${kind} ${entry.name}`);
      // State (`_name`) and private members are not the element's API.
      for (const entry of list ?? []) if (/^[_#]/.test(entry.name)) undescribed.push(`${tag}: internal ${kind} ${entry.name} listed`);
    }
  }
  assert.deepEqual(undescribed, []);
  // What the elements are known by: the attributes and events the docs and tests use.
  const toolbar = elements.get('sb-toolbar')!;
  assert.deepEqual(
    toolbar.attributes!.map((a) => a.name),
    ['location', 'app', 'max-visible', 'disabled', 'theme'],
  );
  assert.deepEqual(
    toolbar.events!.map((e) => e.name),
    ['sb-invoke'],
  );
  assert.deepEqual(
    elements.get('sb-marketplace')!.events!.map((e) => e.name),
    ['sb-install', 'sb-uninstall'],
  );
  assert.ok(elements.get('sb-item-viewer')!.attributes!.some((a) => a.name === 'keep-alive' && a.fieldName === 'keepAlive'));
});

test("docs/slots.md's element reference is custom-elements.json's, as rendered", () => {
  const docs = readFileSync(new URL('../../docs/slots.md', import.meta.url), 'utf8');
  const section = docs.slice(docs.indexOf(START), docs.indexOf(END) + END.length);
  assert.equal(
    section,
    renderReference(readManifest(), definedTags()),
    'run `node --import tsx test/node/support/elements-reference.ts` after `npm run build` to rewrite it',
  );
});
