import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { validateManifest } from '../../src/manifest/index.js';

const corpus = new URL('../../../shared/conformance/', import.meta.url).pathname;
const cli = new URL('../../dist/cli.js', import.meta.url).pathname;
const files = (folder: string) =>
  readdirSync(join(corpus, folder))
    .filter((f) => f.endsWith('.json'))
    .map((f) => join(corpus, folder, f));

describe('real Dataloop manifests (shared conformance corpus: dataloop/)', () => {
  const manifests = files('dataloop');
  it('holds the whole corpus', () => assert.equal(manifests.length, 20));

  for (const file of manifests) {
    it(`validates ${file.split('/').pop()} with no error`, () => {
      const result = validateManifest(readFileSync(file, 'utf8'));
      assert.deepEqual(result.errors, []);
      assert.equal(result.ok, true);
    });
  }

  it('validates every one through `slotbridge validate`, exit 0', () => {
    const run = spawnSync(process.execPath, [cli, 'validate', '--json', ...manifests], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const results = JSON.parse(run.stdout) as { ok: boolean; errors: unknown[] }[];
    assert.equal(results.length, manifests.length);
    assert.ok(results.every((r) => r.ok && r.errors.length === 0));
  });
});

describe('Dataloop panel fragments (shared conformance corpus: dataloop-fragments/)', () => {
  const fragments = files('dataloop-fragments');
  it('holds both fragments', () => assert.equal(fragments.length, 2));

  for (const file of fragments) {
    it(`refuses ${file.split('/').pop()} with an error at name`, () => {
      const result = validateManifest(readFileSync(file, 'utf8'));
      assert.equal(result.ok, false);
      assert.ok(result.errors.some((e) => e.path === 'name' && e.code === 'required'));
    });
  }

  it('refuses every one through `slotbridge validate`, exit 1, naming the path', () => {
    const run = spawnSync(process.execPath, [cli, 'validate', ...fragments], { encoding: 'utf8' });
    assert.equal(run.status, 1);
    assert.equal(run.stdout.match(/^\s+error\s+name: /gm)?.length, fragments.length, run.stdout);
  });
});
