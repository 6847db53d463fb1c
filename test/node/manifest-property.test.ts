import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import fc from 'fast-check';
import { validateManifest } from '../../src/manifest/index.js';
import { mutateJson as mutate } from '../security/mutate-json.js';

const corpus = new URL('../../../shared/conformance/dataloop/', import.meta.url).pathname;
const realManifests = readdirSync(corpus).map((f) => JSON.parse(readFileSync(corpus + f, 'utf8')) as unknown);

/** Same shape as a ValidationResult, with consistent fields. */
function assertWellFormed(result: ReturnType<typeof validateManifest>): void {
  assert.equal(typeof result.ok, 'boolean');
  assert.equal(result.ok, result.errors.length === 0);
  assert.equal(result.manifest !== undefined, result.ok);
  for (const issue of [...result.errors, ...result.warnings]) {
    assert.equal(typeof issue.path, 'string');
    assert.equal(typeof issue.code, 'string');
    assert.ok(issue.message.length > 0);
  }
}

describe('validateManifest under arbitrary input', () => {
  it('never throws on 2,000 arbitrary JSON values and returns a consistent result', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => assertWellFormed(validateManifest(value))),
      { numRuns: 2000 },
    );
  });

  it('never throws on 1,000 arbitrary strings taken as JSON text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json()), (text) => assertWellFormed(validateManifest(text))),
      { numRuns: 1000 },
    );
  });

  it('never throws on 2,000 real manifests with one node replaced by an arbitrary value', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...realManifests),
        fc.nat({ max: 400 }),
        fc.oneof(fc.jsonValue(), fc.constantFrom('__proto__', '${ASSET:../x}', 'allow-same-origin', -1, 1e308)),
        (manifest, pick, replacement) => assertWellFormed(validateManifest(mutate(manifest, pick, replacement))),
      ),
      { numRuns: 2000 },
    );
  });

  it('never throws on objects with arbitrary keys, __proto__ and constructor included', () => {
    const key = fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', 'prototype', 'name', 'components', 'panels'));
    fc.assert(
      fc.property(fc.dictionary(key, fc.jsonValue(), { maxKeys: 8 }), (value) => assertWellFormed(validateManifest(value))),
      { numRuns: 1000 },
    );
  });
});
