/**
 * Python modules in the browser: real plugin and task files (the shared
 * conformance corpus), unchanged, run through `host.execute` on Pyodide in
 * the app's own sandboxed frame and worker.
 */
import { expect } from 'chai';
import { createHost, ErrorCode, MemoryStore, type Host } from '../../../src/index.js';

const crossOrigin = location.origin.replace('//localhost:', '//127.0.0.1:');
/** Where this "platform" serves Pyodide and slotbridge's runner (test/web-test-runner.config.mjs). */
const indexURL = `${crossOrigin}/__python/`;
const corpus = `${crossOrigin}/__shared/conformance/python/`;

const text = (name: string) => ({ name, type: 'String' });

/** Dioptra's hello world plugin as `slotbridge import-plugin` describes it. */
const helloWorld = {
  name: 'hello-world',
  version: '1.0.0',
  components: {
    modules: [
      {
        name: 'tasks',
        entryPoint: 'dioptra/hello_world_tasks.py',
        functions: [
          { name: 'hello', input: [text('name')], output: [text('output')] },
          { name: 'greet', input: [text('greeting'), text('name')], output: [text('output')] },
          { name: 'shout', input: [text('greeting')], output: [text('output')] },
        ],
      },
    ],
  },
};

describe('Python modules', function () {
  // Each test starts an interpreter: Pyodide's first load takes seconds.
  this.timeout(60_000);
  let host: Host;

  beforeEach(() => {
    host = createHost({ project: 'p1', user: { id: 'u1', name: 'Ada' }, store: new MemoryStore(), python: { indexURL } });
  });
  afterEach(() => host.destroy());

  async function install(manifest: object, baseUrl = corpus): Promise<void> {
    await host.registry.publish(manifest, { baseUrl });
    await host.registry.install((manifest as { name: string }).name);
  }

  const logLines = async (app: string) => (await host.registry.reports(app)).filter((r) => r.kind === 'log').map((r) => r['text']);

  it('runs Dioptra\'s hello world plugin unchanged: typed inputs by name, the return value as the output, structlog lines as log reports', async () => {
    await install(helloWorld);
    const hello = await host.execute('hello-world', 'tasks.hello', { name: 'Ada' });
    expect(hello.error, hello.error?.message).to.equal(undefined);
    expect(hello).to.deep.include({ status: 'success', outputs: { output: 'Hello, Ada' } });
    const greet = await host.execute('hello-world', 'tasks.greet', { greeting: 'Good morning', name: 'Grace' });
    expect(greet.outputs).to.deep.equal({ output: 'Good morning, Grace' });
    const shout = await host.execute('hello-world', 'tasks.shout', { greeting: greet.outputs['output'] });
    expect(shout.outputs).to.deep.equal({ output: 'GOOD MORNING, GRACE' });
    expect(await logLines('hello-world')).to.deep.equal(['info Hello, Ada', 'info Good morning, Grace', 'info GOOD MORNING, GRACE']);
  });

  it('checks inputs before anything runs: a missing one is INVALID_ARGUMENTS', async () => {
    await install(helloWorld);
    await host.execute('hello-world', 'tasks.greet', { greeting: 'Hi' }).then(
      () => expect.fail('a missing input must be refused'),
      (err) => expect(err.code).to.equal(ErrorCode.INVALID_ARGUMENTS),
    );
  });

  it('runs ClearML\'s scalar reporting example as its task script: every scalar and print reaches the app\'s reports', async () => {
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
    expect(series('unified graph', 'series A').map((r) => r['value']).slice(0, 3)).to.deep.equal([1, 0.5, 1 / 3]);
    expect(series('graph B', 'series B')[99]).to.deep.include({ iteration: 99, value: 10 / 100 });
    expect(series('Summary', 'metric A')).to.have.length(1);
    expect(series('Summary', 'metric B')[0]).to.deep.include({ value: 305.95 });
    expect(await logLines('scalar-reporting')).to.deep.equal(['reporting scalar graphs', 'We are done reporting, have a great day :)']);
  });

  it('fails a plugin that imports numpy with an error naming the package the platform does not serve', async () => {
    await install({
      name: 'sample-transform',
      version: '1.0.0',
      components: { modules: [{ name: 'tasks', entryPoint: 'dioptra/sample_and_transform.py', functions: [{ name: 'sample_normal_distribution' }] }] },
    });
    const run = await host.execute('sample-transform', 'tasks.sample_normal_distribution');
    expect(run.status).to.equal('failed');
    expect(run.error?.code).to.equal(ErrorCode.EXECUTION_FAILED);
    expect(run.error?.message).to.match(/ModuleNotFoundError: the Python package "numpy" is not available/);
  });
});
