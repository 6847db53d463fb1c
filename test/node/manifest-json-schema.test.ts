import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { manifestJsonSchema } from '../../src/manifest/index.js';

const corpus = new URL('../../../shared/conformance/dataloop/', import.meta.url).pathname;
const shipped = JSON.parse(readFileSync(new URL('../../dist/manifest.schema.json', import.meta.url), 'utf8')) as unknown;

describe('manifestJsonSchema', () => {
  const validate = new Ajv2020({ strict: false, allErrors: true }).compile(manifestJsonSchema);

  it('is what the package ships as slotbridge/manifest.schema.json', () => {
    assert.deepEqual(shipped, manifestJsonSchema);
  });

  it('carries the schema descriptions that editors show', () => {
    const properties = manifestJsonSchema['properties'] as Record<string, { description?: string }>;
    assert.match(properties['name'].description!, /Unique name/);
    assert.match(properties['permissions'].description!, /namespace:verb/);
  });

  it('accepts every real Dataloop manifest', () => {
    for (const file of readdirSync(corpus)) {
      const ok = validate(JSON.parse(readFileSync(corpus + file, 'utf8')));
      assert.ok(ok, `${file}: ${JSON.stringify(validate.errors)}`);
    }
  });

  it('refuses what the schema refuses: a bad name, a bad version, an unknown IO type', () => {
    assert.equal(validate({ name: 'a/b' }), false);
    assert.equal(validate({ name: 'ok', version: '1.0' }), false);
    assert.equal(
      validate({ name: 'ok', components: { modules: [{ name: 'm', functions: [{ name: 'f', input: [{ name: 'x', type: 'Blob' }] }] }] } }),
      false,
    );
    assert.equal(validate({ name: 'ok', version: '1.0.0' }), true);
  });
});
