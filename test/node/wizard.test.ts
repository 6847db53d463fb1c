import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkValues, coerce, defaultSettings, initialValues, saveValues } from '../../src/wizard/wizard-form.js';
import { compileFilter } from '../../src/manifest/filter.js';
import { fillTemplate } from '../../src/wizard/template.js';
import { sourceOption } from '../../src/wizard/source-options.js';
import { staticOptions } from '../../src/wizard/choices.js';
import { validateManifest } from '../../src/manifest/index.js';
import type { WizardEntry } from '../../src/manifest/index.js';

const entries: WizardEntry[] = [
  { name: 'on', type: 'checkbox', default: false },
  { name: 'text', type: 'string', required: true, conditional: { entries: [{ name: 'on', value: 'True' }] } },
  { name: 'n', type: 'integer', target: { field: 'hyperparams', section: 'General', name: 'n' } },
  { name: 'x', type: 'float', target: { field: 'hyperparams', section: 'General', name: 'x', format: 'json' } },
  { name: 'mode', type: 'dropdown', choices: [1, 2, { label: 'Three', value: 3 }] },
  { name: 'depth', type: 'integer', default_conditional_on: { name: 'mode', value: { '1': 10, '2': 20 } } },
];

describe('wizard rules', () => {
  it('coerces input to each type, or says what to enter', () => {
    assert.deepEqual(coerce(entries[2], ' 42 '), { value: 42 });
    assert.deepEqual(coerce(entries[2], '4.2'), { error: 'Enter a whole number, such as 42.' });
    assert.deepEqual(coerce(entries[3], '0.5'), { value: 0.5 });
    assert.deepEqual(coerce(entries[3], 'NaN'), { error: 'Enter a number, such as 0.5.' });
    assert.deepEqual(coerce(entries[0], 'True'), { value: true });
    assert.deepEqual(coerce(entries[0], 1), { error: 'Check or uncheck the box.' });
    assert.deepEqual(coerce(entries[4], '3'), { value: '3' });
    assert.deepEqual(coerce(entries[4], 4), { error: 'Choose one of the listed options.' });
    assert.deepEqual(coerce(entries[1], ''), { value: undefined });
  });

  it('requires a field only while it shows, and leaves hidden fields out', () => {
    assert.deepEqual(checkValues(entries, { on: false, text: 'kept?' }), { values: { on: false }, errors: {} });
    assert.deepEqual(checkValues(entries, { on: true }).errors, { text: 'text is required.' });
  });

  it('takes a default from default_conditional_on while the named field maps to one', () => {
    assert.equal(initialValues(entries, undefined)['depth'], undefined);
    const values = initialValues([{ name: 'mode', type: 'dropdown', choices: [1, 2], default: 2 }, entries[5]], undefined);
    assert.equal(values['depth'], 20);
  });

  it('saves through targets in each format, keeps what a guest set, and reads it back', () => {
    const previous = { hyperparams: { General: { tasks_count: 12 } }, configuration: { text: 'old' } };
    const settings = saveValues(entries, { on: false, text: 'hidden', n: '7', x: 0.25, mode: 3 }, previous);
    assert.deepEqual(settings, {
      hyperparams: { General: { tasks_count: 12, n: '7', x: 0.25 } },
      configuration: { on: 'false', mode: '3' },
    });
    assert.deepEqual(initialValues(entries, settings), { on: false, text: undefined, n: 7, x: 0.25, mode: 3, depth: undefined });
  });

  it('refuses unknown fields and bad values with every problem listed, and plain objects only', () => {
    assert.throws(() => saveValues(entries, { colour: 'red' }, undefined), /no field named "colour"/);
    assert.throws(
      () => saveValues(entries, { on: true, n: 'x' }, undefined),
      (err: Error & { code?: string; details?: { errors: object } }) => {
        assert.equal(err.code, 'INVALID_ARGUMENTS');
        assert.deepEqual(err.details?.errors, { text: 'text is required.', n: 'Enter a whole number, such as 42.' });
        return true;
      },
    );
    assert.throws(() => saveValues(entries, [1], undefined), /object of values/);
    assert.deepEqual(saveValues([], { a: { b: 1 } }, undefined), { hyperparams: {}, configuration: { a: { b: 1 } } });
    assert.throws(() => saveValues([], { ['__proto__']: 1 }, undefined).configuration);
    assert.deepEqual(defaultSettings(entries), { hyperparams: {}, configuration: { on: 'false' } });
  });

  it('runs ClearML (Python) filter patterns: inline flags and named groups', () => {
    assert.equal(compileFilter('^(?i)(?!example).*$').test('Example two'), false);
    assert.equal(compileFilter('^(?i)(?!example).*$').test('Cats'), true);
    assert.equal(compileFilter('^(?P<word>a)b$').test('ab'), true);
    assert.equal(compileFilter('^(?i)(?=ca)(?!cattle)').test('Cats'), true);
    assert.equal(compileFilter('^(?i)(?=ca)(?!cattle)').test('Cattle'), false);
    assert.equal(compileFilter('^(?!a[)(]b)x').test('a)b'), false, 'parentheses inside a class do not end the lookahead');
    assert.throws(() => compileFilter('(?x) a b'), /verbose flag/);
    assert.throws(() => compileFilter('(unclosed'), /not a valid regular expression/);
    // What needs backtracking has no linear-time form: refused with a message saying so.
    for (const pattern of ['(?P<word>a)(?P=word)', 'a(?!b)', '(?<=a)b', '(?m)^(?!a)b']) {
      assert.throws(() => compileFilter(pattern), /lookaround|backreference|not a valid/, pattern);
    }
  });

  it('runs a pattern with nested quantifiers in linear time: no text can hold the page', () => {
    const text = `${'a'.repeat(50_000)}!`;
    for (const pattern of ['^(a+)+$', '^(a|a)*$', '^(a|aa)*b$', '^(.*a){25}$', '(\\w+\\s?)*$', '^(?i)(?!(a+)+x)(a*)*$']) {
      const started = performance.now();
      compileFilter(pattern).test(text);
      assert.ok(performance.now() - started < 1000, `${pattern} took ${Math.round(performance.now() - started)} ms`);
    }
    const spec = {
      source: 'project' as const,
      value_field: 'id',
      display_field: 'name',
      filter: { fields: { name: '^(?i)(?!example).*$' } },
    };
    assert.deepEqual(
      [{ id: 'p1', name: 'Cats' }, { id: 'p2', name: 'EXAMPLE' }, { name: 'no id' }, null, { id: 'p3' }].flatMap(
        (row) => sourceOption(spec)(row) ?? [],
      ),
      [
        { label: 'Cats', value: 'p1' },
        { label: 'p3', value: 'p3' },
      ],
    );
    assert.deepEqual(staticOptions(['a', 2, { label: 'Three', value: 3 }, { nope: 1 }]), [
      { label: 'a', value: 'a' },
      { label: '2', value: 2 },
      { label: 'Three', value: 3 },
    ]);
  });

  it('rejects a manifest whose filter JavaScript cannot run', () => {
    const result = validateManifest({
      name: 'a',
      wizard: { entries: [{ name: 'p', type: 'dropdown', choices: { source: 'project', filter: { fields: { name: '(?x)a' } } } }] },
    });
    assert.equal(result.ok, false);
    assert.equal(result.errors[0].path, 'wizard.entries[0].choices.filter.fields.name');
  });

  it('fills html templates with settings as escaped text, and says "not set" for a setting not saved', () => {
    const settings = { hyperparams: { General: { a: '<b>x</b>' } }, configuration: { c: { k: 1 } } };
    assert.equal(
      fillTemplate('${hyperparams.General.a.value}|${configuration.c}|${configuration.missing}|${other}', settings),
      '&#60;b&#62;x&#60;/b&#62;|{&#34;k&#34;:1}|<em class="unset">not set</em>|${other}',
    );
  });
});

describe('slotbridge import', () => {
  const cli = new URL('../../dist/cli.js', import.meta.url).pathname;
  const conf = new URL('../../../shared/conformance/clearml/simple-app.app.conf', import.meta.url).pathname;
  let work: string;
  before(() => (work = mkdtempSync(join(tmpdir(), 'slotbridge-import-'))));
  after(() => rmSync(work, { recursive: true, force: true }));

  it('converts the ClearML simple-app into a valid manifest, keeping what has no equivalent under clearml, with warnings', () => {
    const out = join(work, 'app.json');
    const run = spawnSync(process.execPath, [cli, 'import', conf, '-o', out], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const manifest = JSON.parse(readFileSync(out, 'utf8'));
    assert.equal(manifest.name, 'simple-app');
    assert.equal(manifest.displayName, 'Simple example application');
    assert.equal(manifest.icon, '${ASSET:app-simple-app@2x.png}');
    assert.equal(manifest.wizard.entries[1].conditional.entries[0].value, true, 'Python True becomes a boolean');
    assert.deepEqual(
      manifest.wizard.entries.map((e: { name: string }) => e.name),
      ['boolean_field', 'string_field', 'a_project_field', 'more_options_group'],
    );
    assert.equal(manifest.dashboard.lines.length, 3);
    assert.equal(manifest.clearml.default_queue, 'custom_apps_queue');
    assert.equal(manifest.clearml.task.script.entry_point, 'main.py');
    assert.match(run.stderr, /warning {2}task\.script .* Kept under clearml\.task\.script/);
    assert.match(run.stderr, /warning {2}default_queue/);
    assert.equal(validateManifest(manifest).ok, true);
  });

  it('refuses includes and reports HOCON errors and invalid results', () => {
    const withInclude = join(work, 'include.app.conf');
    writeFileSync(withInclude, 'include "other.conf"\nid: "x"\n');
    const included = spawnSync(process.execPath, [cli, 'import', withInclude], { encoding: 'utf8' });
    assert.equal(included.status, 1);
    assert.match(included.stderr, /includes are not supported/);
    const broken = join(work, 'broken.app.conf');
    writeFileSync(broken, 'id: "x"\nwizard { entries: [ { name: a, type: nonsense } ] }\n');
    const invalid = spawnSync(process.execPath, [cli, 'import', broken], { encoding: 'utf8' });
    assert.equal(invalid.status, 1);
    assert.match(invalid.stderr, /error {4}wizard\.entries\[0\]\.type/);
    const env = join(work, 'env.app.conf');
    writeFileSync(env, 'id: "x"\ndescription: ${HOME}\n');
    const leaked = spawnSync(process.execPath, [cli, 'import', env], { encoding: 'utf8' });
    assert.equal(leaked.status, 1, 'environment variables are not read');
    assert.doesNotMatch(leaked.stdout, new RegExp(process.env['HOME'] ?? '/root'));
    assert.equal(spawnSync(process.execPath, [cli, 'import'], { encoding: 'utf8' }).status, 2);
  });
});
