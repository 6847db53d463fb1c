/**
 * Python modules in the browser: real plugin and task files (the shared
 * conformance corpus), unchanged, run through `host.execute` on Pyodide in
 * the app's own sandboxed frame and worker.
 */
import { expect } from 'chai';
import * as z from 'zod/mini';
import { executeServerCommand } from '@web/test-runner-commands';
import { createHost, defineApi, ErrorCode, method, MemoryStore, type Host } from '../../../src/index.js';
import { fixtures } from '../bridge/harness.js';

const crossOrigin = location.origin.replace('//localhost:', '//127.0.0.1:');
/** Where this "platform" serves Pyodide and slotbridge's runner (test/web-test-runner.config.mjs). */
const indexURL = `${crossOrigin}/__python/`;
const corpus = `${crossOrigin}/__shared/conformance/python/`;
const ownFixtures = `${crossOrigin}/test/fixtures/python/`;
const api = defineApi({
  items: {
    get: method({ input: z.tuple([z.string()]), permission: 'items:read' }, (id) => ({ id, name: `Item ${id}` })),
    secret: method({ input: z.tuple([z.string()]), permission: 'items:secret' }, () => 'never'),
  },
});

const text = (name: string) => ({ name, type: 'String' });

describe('Python modules', function () {
  // Each test starts an interpreter: Pyodide's first load takes seconds.
  this.timeout(120_000);
  let host: Host;

  beforeEach(() => {
    host = createHost({ project: 'p1', user: { id: 'u1', name: 'Ada' }, store: new MemoryStore(), api, python: { indexURL } });
  });
  afterEach(() => host.destroy());

  async function install(manifest: object, baseUrl = corpus): Promise<void> {
    await host.registry.publish(manifest, { baseUrl });
    await host.registry.install((manifest as { name: string }).name);
  }

  const logLines = async (app: string) => (await host.registry.reports(app)).filter((r) => r.kind === 'log').map((r) => r['text']);

  /** Dioptra's hello world plugin, registered as `slotbridge import-plugin` reads it (test/web-test-runner.config.mjs). */
  const helloWorld = async () => {
    const manifest = await (await fetch('/__import-plugin/dioptra/hello_world_tasks.json')).json();
    await install(manifest, `${corpus}dioptra/`);
    return manifest.name as string;
  };

  it("runs Dioptra's hello world plugin unchanged, as import-plugin registers it: typed inputs by name, the return value as the output, structlog lines as log reports", async () => {
    const app = await helloWorld();
    const stages: string[] = [];
    const progress = (stage: string) => stages.push(stage);
    const hello = await host.execute(app, 'hello_world_tasks.hello', { name: 'Ada' }, { progress });
    expect(hello.error, hello.error?.message).to.equal(undefined);
    expect(stages).to.deep.equal(['starting-python'], 'the first run says the interpreter is starting; the next, nothing');
    expect(hello).to.deep.include({ status: 'success', outputs: { output: 'Hello, Ada' } });
    const greet = await host.execute(app, 'hello_world_tasks.greet', { greeting: 'Good morning', name: 'Grace' }, { progress });
    expect(stages).to.deep.equal(['starting-python']);
    expect(greet.outputs).to.deep.equal({ output: 'Good morning, Grace' });
    const shout = await host.execute(app, 'hello_world_tasks.shout', { greeting: greet.outputs['output'] });
    expect(shout.outputs).to.deep.equal({ output: 'GOOD MORNING, GRACE' });
    expect(await logLines(app)).to.deep.equal(['info Hello, Ada', 'info Good morning, Grace', 'info GOOD MORNING, GRACE']);
  });

  it('checks inputs before anything runs: a missing one is INVALID_ARGUMENTS', async () => {
    const app = await helloWorld();
    await host.execute(app, 'hello_world_tasks.greet', { greeting: 'Hi' }).then(
      () => expect.fail('a missing input must be refused'),
      (err) => expect(err.code).to.equal(ErrorCode.INVALID_ARGUMENTS),
    );
  });

  it("runs ClearML's scalar reporting example as its task script: every scalar and print reaches the app's reports", async () => {
    await install({
      name: 'scalar-reporting',
      version: '1.0.0',
      components: { modules: [{ name: 'task', entryPoint: 'clearml/scalar_reporting.py', functions: [{ name: '__main__' }] }] },
    });
    const run = await host.execute('scalar-reporting', 'task.__main__');
    expect(run.error, run.error?.message).to.equal(undefined);
    expect(run.status).to.equal('success');
    const reports = await host.registry.reports('scalar-reporting');
    const scalars = reports.filter((r) => r.kind === 'scalar');
    // 100 points in each of four series, and two single values.
    expect(scalars.length).to.equal(402);
    const series = (metric: string, variant: string) => scalars.filter((r) => r['metric'] === metric && r['variant'] === variant);
    expect(
      series('unified graph', 'series A')
        .map((r) => r['value'])
        .slice(0, 3),
    ).to.deep.equal([1, 0.5, 1 / 3]);
    expect(series('graph B', 'series B')[99]).to.deep.include({ iteration: 99, value: 10 / 100 });
    expect(series('Summary', 'metric A')).to.have.length(1);
    expect(series('Summary', 'metric B')[0]).to.deep.include({ value: 305.95 });
    expect(await logLines('scalar-reporting')).to.deep.equal(['reporting scalar graphs', 'We are done reporting, have a great day :)']);
  });

  it('fails a plugin that imports numpy with an error naming the package the platform does not serve', async () => {
    await install({
      name: 'sample-transform',
      version: '1.0.0',
      components: {
        modules: [{ name: 'tasks', entryPoint: 'dioptra/sample_and_transform.py', functions: [{ name: 'sample_normal_distribution' }] }],
      },
    });
    const run = await host.execute('sample-transform', 'tasks.sample_normal_distribution');
    expect(run.status).to.equal('failed');
    expect(run.error?.code).to.equal(ErrorCode.EXECUTION_FAILED);
    expect(run.error?.message).to.match(/ModuleNotFoundError: the Python package "numpy" is not available/);
    // Pyodide looked for numpy's wheel in the platform's folder (where the lock file it read lists it), not on its CDN.
    const asked = await executeServerCommand<string[], undefined>('python-requests');
    expect(
      asked.some((name) => /^numpy-[\d.]+-.*\.whl$/.test(name)),
      asked.join(', '),
    ).to.equal(true);
    expect(run.error?.message).to.include('while loading numpy');
    // Dioptra's artifact tasks import numpy and pandas at the top: the first missing one is named.
    await install({
      name: 'artifact-tasks',
      version: '1.0.0',
      components: { modules: [{ name: 'tasks', entryPoint: 'dioptra/artifacts_tasks.py', functions: [{ name: 'StringArtifactTask' }] }] },
    });
    const artifacts = await host.execute('artifact-tasks', 'tasks.StringArtifactTask');
    expect(artifacts.error?.message).to.match(/^ModuleNotFoundError: the Python package "numpy" is not available/);
  });

  /** The test module `functions.py` with `functions` declared. */
  const testModule = (functions: object[], permissions = ['items:read']) => ({
    name: 'py-tests',
    version: '1.0.0',
    permissions,
    components: { modules: [{ name: 'fns', entryPoint: 'functions.py', functions }] },
  });

  it('maps a returned tuple to the outputs in order, drops what is left over, and fails OUTPUT_MISMATCH on too few', async () => {
    const int = (name: string) => ({ name, type: 'Integer' });
    await install(
      testModule([
        { name: 'pair', input: [int('a'), int('b')], output: [int('sum'), int('product')] },
        { name: 'one', output: [int('x'), int('y')] },
      ]),
      ownFixtures,
    );
    expect((await host.execute('py-tests', 'fns.pair', { a: 3, b: 4 })).outputs).to.deep.equal({ sum: 7, product: 12 });
    expect((await host.execute('py-tests', 'fns.one')).error?.code).to.equal(ErrorCode.OUTPUT_MISMATCH);
  });

  it("makes a Python exception EXECUTION_FAILED with its type and message, and puts the traceback in the app's own log", async () => {
    await install(testModule([{ name: 'fail', input: [text('reason')] }]), ownFixtures);
    const run = await host.execute('py-tests', 'fns.fail', { reason: 'none' });
    // The message names where in the app's own file it arose.
    expect(run.error).to.deep.include({
      code: ErrorCode.EXECUTION_FAILED,
      message: 'ValueError: bad reason: none (functions.py, line 15, in fail)',
    });
    const log = (await logLines('py-tests')).join('\n');
    expect(log).to.match(/Traceback \(most recent call last\):[\s\S]*functions\.py", line \d+, in fail[\s\S]*ValueError: bad reason: none/);
    // The app's frames only: none of slotbridge's own runner.
    expect(log).not.to.match(/_slotbridge|slotbridge-lib/);
  });

  it("lets async functions await the host's api and storage, with the app's permissions", async () => {
    await install(
      testModule([
        { name: 'read_item', input: [text('item')], output: [text('name')] },
        { name: 'remember', input: [text('key'), text('value')], output: [text('kept')] },
        { name: 'refused', output: [text('code')] },
      ]),
      ownFixtures,
    );
    expect((await host.execute('py-tests', 'fns.read_item', { item: 'i7' })).outputs).to.deep.equal({ name: 'Item i7' });
    expect((await host.execute('py-tests', 'fns.remember', { key: 'k', value: 'v' })).outputs).to.deep.equal({ kept: 'v' });
    expect(await host.registry.storage('py-tests', 'p1').get('k')).to.equal('v');
    expect((await host.execute('py-tests', 'fns.refused')).outputs).to.deep.equal({ code: ErrorCode.PERMISSION_DENIED });
  });

  it('runs a Dataloop ServiceRunner: the class made once with its init inputs, entities read as attributes', async () => {
    await install(
      {
        name: 'dl-runner',
        version: '1.0.0',
        components: {
          modules: [
            {
              name: 'main',
              entryPoint: 'service_runner.py',
              className: 'ServiceRunner',
              initInputs: [{ name: 'prefix', type: 'String', value: 'Seen:' }],
              functions: [{ name: 'describe', input: [{ name: 'item', type: 'Item' }], output: [text('text')] }],
            },
          ],
        },
      },
      ownFixtures,
    );
    const item = { id: 'i1', name: 'Shapes #01', metadata: { kind: 'svg' } };
    expect((await host.execute('dl-runner', 'main.describe', { item })).outputs).to.deep.equal({ text: 'Seen: Shapes #01 (svg) call 1' });
    expect((await host.execute('dl-runner', 'main.describe', { item })).outputs).to.deep.equal({ text: 'Seen: Shapes #01 (svg) call 2' });
  });

  it("gives a ClearML task the app's settings as its hyperparameters", async () => {
    await install(
      {
        name: 'cm-task',
        version: '1.0.0',
        components: { modules: [{ name: 'task', entryPoint: 'clearml_task.py', functions: [{ name: '__main__' }] }] },
      },
      ownFixtures,
    );
    await host.registry.setSetting('cm-task', 'hyperparams.General.a_string', 'from the wizard');
    await host.registry.setSetting('cm-task', 'hyperparams.General.count', 5);
    const run = await host.execute('cm-task', 'task.__main__');
    expect(run.error, run.error?.message).to.equal(undefined);
    const reports = await host.registry.reports('cm-task');
    expect(reports.filter((r) => r.kind === 'log').map((r) => r['text'])).to.deep.equal([
      'the string is from the wizard',
      'from the wizard',
    ]);
    expect(reports.find((r) => r.kind === 'scalar')).to.deep.include({ metric: 'count', variant: 'count', iteration: 0, value: 5 });
  });

  it('times an endless loop out with CALL_TIMEOUT and ends its interpreter; panels keep answering and the next call works', async () => {
    host.destroy();
    host = createHost({
      project: 'p1',
      user: { id: 'u1', name: 'Ada' },
      store: new MemoryStore(),
      api,
      python: { indexURL },
      timeouts: { call: 20_000 },
    });
    await install(
      testModule([
        { name: 'spin' },
        {
          name: 'pair',
          input: [
            { name: 'a', type: 'Integer' },
            { name: 'b', type: 'Integer' },
          ],
          output: [{ name: 'sum', type: 'Integer' }],
        },
      ]),
      ownFixtures,
    );
    // Warm: the interpreter is up first (its start counts against the call's time, so the limit leaves room for a slow machine).
    expect((await host.execute('py-tests', 'fns.pair', { a: 1, b: 2 })).outputs).to.deep.equal({ sum: 3 });
    await host.registry.publish(
      {
        name: 'panel-app',
        version: '1.0.0',
        permissions: ['items:read'],
        components: { panels: [{ name: 'remote', url: 'remote-guest.html', supportedSlots: [{ type: 'itemViewer' }] }] },
      },
      { baseUrl: fixtures },
    );
    await host.registry.install('panel-app');
    const panel = host.mount('panel-app', 'remote', document.body.appendChild(document.createElement('div')));
    await panel.ready;
    const spun = await host.execute('py-tests', 'fns.spin');
    expect(spun.error?.code).to.equal(ErrorCode.CALL_TIMEOUT);
    // While Python spun, the panel's heartbeat kept being answered.
    expect(panel.responding).to.equal(true);
    expect(panel.state).to.equal('ready');
    // The spinning interpreter is gone: the next call starts a fresh one.
    expect((await host.execute('py-tests', 'fns.pair', { a: 2, b: 5 })).outputs).to.deep.equal({ sum: 7 });
    panel.close();
  });

  it('leaves Python nothing of the host page, its origin or its storage', async () => {
    await install(
      testModule([
        { name: 'reach_out', output: [{ name: 'found', type: 'Json' }] },
        { name: 'whoami', output: [text('app'), text('project')] },
      ]),
      ownFixtures,
    );
    const found = (await host.execute('py-tests', 'fns.reach_out')).outputs['found'] as Record<string, unknown>;
    expect(found).to.deep.equal({
      document: false,
      parent: false,
      top: false,
      opener: false,
      localStorage: false,
      sessionStorage: false,
      indexedDB: 'JsException',
      origin: 'null',
    });
    expect((await host.execute('py-tests', 'fns.whoami')).outputs).to.deep.equal({ app: 'py-tests', project: 'p1' });
  });
});
