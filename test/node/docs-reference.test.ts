import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
// @ts-expect-error: a plain ES module script without types
import { manifestReference } from '../../docs/tools/manifest-reference.mjs';

it('keeps docs/manifest-reference.md as the schema generates it (run node docs/tools/manifest-reference.mjs)', async () => {
  const committed = readFileSync(new URL('../../docs/manifest-reference.md', import.meta.url), 'utf8');
  assert.equal(committed, await manifestReference());
});
