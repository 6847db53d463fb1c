// `slotbridge import-plugin`: Dioptra plugins read without importing them (Python's ast on Pyodide), as manifests that validate.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateManifest } from '../../src/manifest/validate.js';

const cli = new URL('../../dist/cli.js', import.meta.url).pathname;
const corpus = new URL('../../../shared/conformance/python/dioptra/', import.meta.url).pathname;
const slotbridge = (args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 60_000 });

describe('slotbridge import-plugin', { timeout: 120_000 }, () => {
  let work: string;
  before(() => (work = mkdtempSync(join(tmpdir(), 'slotbridge-plugin-'))));
  after(() => rmSync(work, { recursive: true, force: true }));

  it("describes Dioptra's hello world plugin: each registered function, its typed inputs and its output", () => {
    const result = slotbridge(['import-plugin', join(corpus, 'hello_world_tasks.py')]);
    assert.equal(result.status, 0, result.stderr);
    const manifest = JSON.parse(result.stdout);
    assert.equal(validateManifest(manifest).ok, true);
    const [module] = manifest.components.modules;
    assert.equal(module.entryPoint, 'hello_world_tasks.py');
    assert.deepEqual(
      module.functions.map(
        (f: { name: string; input: { name: string; type: string }[]; output: { type: string }[] }) =>
          `${f.name}(${f.input.map((i) => `${i.name}: ${i.type}`).join(', ')}) -> ${f.output.map((o) => o.type).join(', ')}`,
      ),
      ['hello(name: String) -> String', 'greet(greeting: String, name: String) -> String', 'shout(greeting: String) -> String'],
    );
    assert.match(result.stderr, /ok {3}.*3 functions in 1 module/);
  });

  it('reads a folder whose plugins import numpy (not installed anywhere here): defaults, and other types kept by name', () => {
    const out = join(work, 'app.json');
    const result = slotbridge(['import-plugin', corpus, '-o', out]);
    assert.equal(result.status, 0, result.stderr);
    const manifest = JSON.parse(readFileSync(out, 'utf8'));
    assert.deepEqual(
      manifest.components.modules.map((m: { entryPoint: string }) => m.entryPoint),
      ['hello_world_tasks.py', 'sample_and_transform.py'],
    );
    const sample = manifest.components.modules[1].functions.find((f: { name: string }) => f.name === 'sample_normal_distribution');
    assert.deepEqual(sample.input, [
      { name: 'random_seed', type: 'Integer', value: 0 },
      { name: 'mean', type: 'Float', value: 0 },
      { name: 'var', type: 'Float', value: 1 },
      { name: 'sample_size', type: 'Integer', value: 100 },
    ]);
    assert.deepEqual(sample.output, [{ name: 'output', type: 'Json', pythonType: 'np_ndarray' }]);
    const stats = manifest.components.modules[1].functions.find((f: { name: string }) => f.name === 'print_stats');
    assert.deepEqual(stats.output, [], 'a None return declares no output');
  });

  it('finds the decorator under every import spelling, and nothing else', () => {
    const file = join(work, 'spellings.py');
    writeFileSync(
      file,
      [
        'import dioptra.pyplugs as pp',
        'from dioptra.pyplugs import register as reg',
        'from dioptra import pyplugs',
        '@pp.register()',
        'def a(x: list[int]) -> tuple[int, str]: ...',
        '@reg',
        'async def b(flag: bool = True, *, label: "str" = "hi"): ...',
        '@pyplugs.register',
        'def c(): ...',
        'def helper(): ...',
        '@other.register',
        'def d(): ...',
      ].join('\n'),
    );
    const manifest = JSON.parse(slotbridge(['import-plugin', file]).stdout);
    const fns = manifest.components.modules[0].functions;
    assert.deepEqual(
      fns.map((f: { name: string }) => f.name),
      ['a', 'b', 'c'],
    );
    assert.deepEqual(fns[0].input, [{ name: 'x', type: 'Integer[]' }]);
    assert.deepEqual(fns[0].output, [
      { name: 'output1', type: 'Integer' },
      { name: 'output2', type: 'String' },
    ]);
    assert.deepEqual(fns[1].input, [
      { name: 'flag', type: 'Boolean', value: true },
      { name: 'label', type: 'String', value: 'hi' },
    ]);
  });

  it('says what is wrong with a file it cannot read, or one without plugins', () => {
    const broken = join(work, 'broken.py');
    writeFileSync(broken, 'def (:\n');
    const bad = slotbridge(['import-plugin', broken]);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /broken\.py: not a Python file this Python reads \(SyntaxError: invalid syntax\)/);
    const none = join(work, 'none.py');
    writeFileSync(none, 'def plain(): pass\n');
    const empty = slotbridge(['import-plugin', none]);
    assert.equal(empty.status, 1);
    assert.match(empty.stderr, /no function in .*none\.py is registered with @pyplugs\.register/);
    assert.equal(slotbridge(['import-plugin']).status, 2);
  });
});
