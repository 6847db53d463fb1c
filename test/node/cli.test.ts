import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, rmSync, symlinkSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync, strFromU8 } from 'fflate';

const cli = new URL('../../dist/cli.js', import.meta.url).pathname;
const slotbridge = (args: string[], cwd?: string) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd });

const manifest = {
  name: 'counter',
  version: '1.2.0',
  icon: '${ASSET:icon.svg}',
  components: {
    panels: [{ name: 'viewer', supportedSlots: [{ type: 'itemViewer' }] }],
    toolbars: [{ displayName: 'Count', invoke: { type: 'function', namespace: 'counter.count' } }],
    modules: [{ name: 'counter', functions: [{ name: 'count' }] }],
  },
};

let work: string;
let app: string;

before(() => {
  work = mkdtempSync(join(tmpdir(), 'slotbridge-cli-'));
  app = join(work, 'counter');
  for (const dir of ['assets', 'panels/viewer', 'modules/counter', 'notes']) mkdirSync(join(app, dir), { recursive: true });
  writeFileSync(join(app, 'app.json'), JSON.stringify(manifest, null, 2));
  writeFileSync(join(app, 'assets/icon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  writeFileSync(join(app, 'panels/viewer/index.html'), '<!doctype html><p>viewer</p>');
  writeFileSync(join(app, 'modules/counter/index.html'), '<!doctype html><p>counter</p>');
  writeFileSync(join(app, 'notes/todo.txt'), 'not packed');
  writeFileSync(join(app, 'panels/.DS_Store'), 'junk');
  symlinkSync('/etc/hostname', join(app, 'assets/link'));
});

after(() => rmSync(work, { recursive: true, force: true }));

describe('slotbridge validate', () => {
  it('finds app.json in a folder and exits 0 for a valid app', () => {
    const run = slotbridge(['validate', app]);
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /^ok .*app\.json: valid \(0 errors, 0 warnings\)$/m);
  });

  it('prints each error with its path and code, and exits 1', () => {
    const bad = join(work, 'bad.json');
    writeFileSync(bad, JSON.stringify({ ...manifest, version: 'x', components: { ...manifest.components, panels: [] } }));
    const run = slotbridge(['validate', bad]);
    assert.equal(run.status, 1);
    assert.match(run.stdout, /error\s+version: .*semantic version.*\[invalid_format\]/);
    assert.match(run.stdout, /error\s+components\.toolbars\[0\]\.invoke\.namespace|FAIL/);
  });

  it('prints JSON with --json: one result per file', () => {
    const bad = join(work, 'not-json.json');
    writeFileSync(bad, '{ nope');
    const run = slotbridge(['validate', '--json', app, bad]);
    assert.equal(run.status, 1);
    const results = JSON.parse(run.stdout) as { file: string; ok: boolean; errors: { code: string }[] }[];
    assert.deepEqual(
      results.map((r) => r.ok),
      [true, false],
    );
    assert.equal(results[1].errors[0].code, 'not_json');
  });

  it('reports a missing file or a folder without a manifest as an error, not a crash', () => {
    const run = slotbridge(['validate', join(work, 'missing.json'), work]);
    assert.equal(run.status, 1);
    assert.match(run.stdout, /no such file or folder/);
    assert.match(run.stdout, /no app\.json or dataloop\.json/);
  });

  it('exits 2 with usage for no file or an unknown option', () => {
    assert.equal(slotbridge(['validate']).status, 2);
    const run = slotbridge(['validate', '--strict', app]);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /unknown option --strict/);
  });
});

describe('slotbridge schema', () => {
  it('prints the JSON Schema the package ships', () => {
    const run = slotbridge(['schema']);
    assert.equal(run.status, 0);
    assert.deepEqual(JSON.parse(run.stdout), JSON.parse(readFileSync(new URL('../../dist/manifest.schema.json', import.meta.url), 'utf8')));
  });
});

describe('slotbridge pack', () => {
  it('zips the manifest, assets, panels and modules, and nothing else', () => {
    const out = join(work, 'counter.zip');
    const run = slotbridge(['pack', app, '-o', out]);
    assert.equal(run.status, 0, run.stderr);
    const files = unzipSync(readFileSync(out));
    assert.deepEqual(Object.keys(files).sort(), ['app.json', 'assets/icon.svg', 'modules/counter/index.html', 'panels/viewer/index.html']);
    assert.deepEqual(JSON.parse(strFromU8(files['app.json'])), manifest);
    assert.match(run.stderr, /left out assets\/link/);
    assert.match(run.stderr, /left out panels\/\.DS_Store/);
  });

  it("packs a module's entry point beside the manifest (a Python plugin's tasks.py)", () => {
    const plugin = join(work, 'plugin');
    mkdirSync(plugin);
    const module = (name: string, entryPoint: string) => ({ name, entryPoint, functions: [{ name: 'f' }] });
    const manifest = { name: 'plugin', version: '1.0.0', components: { modules: [module('tasks', 'tasks.py')] } };
    writeFileSync(join(plugin, 'app.json'), JSON.stringify(manifest));
    writeFileSync(join(plugin, 'tasks.py'), 'def f():\n    pass\n');
    const out = join(work, 'plugin.zip');
    const run = slotbridge(['pack', plugin, '-o', out]);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(Object.keys(unzipSync(readFileSync(out))).sort(), ['app.json', 'tasks.py']);
  });

  it('gives byte-identical output for the same input', () => {
    const a = join(work, 'a.zip');
    const b = join(work, 'b.zip');
    assert.equal(slotbridge(['pack', app, '-o', a]).status, 0);
    assert.equal(slotbridge(['pack', app, '-o', b]).status, 0);
    assert.ok(readFileSync(a).equals(readFileSync(b)));
  });

  it('names the zip after the app and version by default', () => {
    const run = slotbridge(['pack', app], work);
    assert.equal(run.status, 0, run.stderr);
    assert.ok(existsSync(join(work, 'counter-1.2.0.zip')));
  });

  it('refuses an invalid manifest, prints its errors and writes nothing', () => {
    const broken = join(work, 'broken');
    mkdirSync(broken);
    writeFileSync(join(broken, 'dataloop.json'), JSON.stringify({ version: '1.0.0' }));
    const out = join(work, 'broken.zip');
    const run = slotbridge(['pack', broken, '-o', out]);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /error\s+name: Required/);
    assert.equal(existsSync(out), false);
  });

  it('packs a real Dataloop app folder as a DPK, which publishPackage reads as a Dataloop app', async () => {
    const dataloopApp = new URL('../../../shared/conformance/dataloop-panels/active-learning/', import.meta.url).pathname;
    const out = join(work, 'active-learning.zip');
    const run = slotbridge(['pack', dataloopApp, '-o', out]);
    assert.equal(run.status, 0, run.stderr);
    const { readPackage } = await import('../../src/registry/read-package.js');
    const { parseManifest } = await import('../../src/manifest/validate.js');
    const pkg = await readPackage(new Uint8Array(readFileSync(out)));
    assert.equal(pkg.dataloop, true, 'dataloop.json at its root and no app.json');
    assert.ok(Object.keys(unzipSync(readFileSync(out))).includes('panels/dataSplit/index.html'));
    // Published as a Dataloop app, its panel is <name>/index.html at the root of the app's server.
    assert.equal(parseManifest(pkg.manifest, { bridge: 'dataloop' }).components.panels[0].url, 'dataSplit/index.html');
    assert.equal(parseManifest(pkg.manifest).components.panels[0].url, 'panels/dataSplit/index.html');
  });

  it('exits 2 for a file instead of a folder and for missing arguments', () => {
    assert.equal(slotbridge(['pack', join(app, 'app.json')]).status, 2);
    assert.equal(slotbridge(['pack']).status, 2);
    assert.equal(slotbridge(['pack', app, '-o']).status, 2);
  });
});

describe('slotbridge', () => {
  it('prints help and refuses unknown commands with exit 2', () => {
    assert.equal(slotbridge(['--help']).status, 0);
    const run = slotbridge(['deploy']);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /Unknown command "deploy"/);
  });
});
