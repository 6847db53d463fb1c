import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
// @ts-expect-error: a plain ES module script without types
import { manifestReference } from '../../docs/tools/manifest-reference.mjs';

it('keeps docs/manifest-reference.md as the schema generates it (run node docs/tools/manifest-reference.mjs)', async () => {
  const committed = readFileSync(new URL('../../docs/manifest-reference.md', import.meta.url), 'utf8');
  assert.equal(committed, await manifestReference());
});

it('lists in docs/dataloop.md every scope and verb the installed jssdk sends, each under the scope that sends it', async () => {
  const sdk = new URL('../../node_modules/@dataloop-ai/jssdk/dist/appLib/SDKDrivers/xFrameDriver/', import.meta.url);
  const docs = readFileSync(new URL('../../docs/dataloop.md', import.meta.url), 'utf8');
  const rows = new Map<string, string>();
  for (const line of docs.split('\n')) {
    const scope = /^\| `(\w+)` \| (.*?) \|/.exec(line);
    if (scope) rows.set(scope[1], scope[2]);
  }
  // What the SDK's repositories send: each method names its scope and its verb.
  const { AppMessageScope, CrudType } = createRequire(import.meta.url)(
    '@dataloop-ai/jssdk/dist/appLib/xFrame/protocol/messageEnum.js',
  ) as Record<string, Record<string, string>>;
  let sent = 0;
  for (const file of [...readdirSync(sdk).filter((f) => f.endsWith('.js')), 'appSettings/index.js']) {
    const source = readFileSync(new URL(file, sdk), 'utf8');
    for (const [, scope, crud] of source.matchAll(/AppMessageScope\.(\w+),\s*crud: xFrame_1\.CrudType\.(\w+)/g)) {
      const [name, verb] = [AppMessageScope[scope], CrudType[crud]];
      assert.ok(rows.has(name), `docs/dataloop.md has no row for the scope "${name}"`);
      assert.ok(rows.get(name)!.includes(`\`${verb}\``), `docs/dataloop.md's "${name}" row lacks the verb "${verb}"`);
      sent++;
    }
  }
  assert.ok(sent > 80, `${sent} scope and verb pairs found in the SDK`);
});
