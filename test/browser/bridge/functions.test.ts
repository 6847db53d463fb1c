import { expect } from 'chai';
import { createHarness, type Harness } from './harness.js';
import { reportedErrors } from '../reported-errors.js';
import { ErrorCode, SlotbridgeError, type Execution } from '../../../src/index.js';

describe('functions', () => {
  let h: Harness;
  afterEach(() => h?.destroy());

  const rejection = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (err: SlotbridgeError) => err,
    );

  it('starts a browser module in a hidden sandboxed frame on first use, once', async () => {
    h = await createHarness();
    expect(document.querySelector('[data-slotbridge-modules]')).to.equal(null, 'nothing runs before the first call');
    const [first, second] = await Promise.all([
      h.host.execute('app-a', 'worker.double', { n: 2 }),
      h.host.execute('app-a', 'worker.double', { n: 3 }),
    ]);
    expect(first.outputs).to.deep.equal({ result: 4 });
    expect(second.outputs).to.deep.equal({ result: 6 });
    const frames = document.querySelectorAll('[data-slotbridge-modules] iframe');
    expect(frames.length).to.equal(1);
    expect(frames[0].getAttribute('sandbox')).to.equal('allow-scripts');
    expect((frames[0].parentElement as HTMLElement).hidden).to.equal(true);
  });

  it("tells the page's progress listener that a module is starting on its first run only; a listener that throws stops nothing", async () => {
    h = await createHarness();
    const stages: string[] = [];
    const progress = (stage: string) => {
      stages.push(stage);
      throw new Error('a broken listener');
    };
    const reported = await reportedErrors(async () => {
      expect((await h.host.execute('app-a', 'worker.double', { n: 2 }, { progress })).outputs).to.deep.equal({ result: 4 });
      expect((await h.host.execute('app-a', 'worker.double', { n: 3 }, { progress })).outputs).to.deep.equal({ result: 6 });
    });
    expect(stages).to.deep.equal(['starting-module']);
    expect(reported).to.have.length(1);
    const refused = await rejection(h.host.execute('app-a', 'worker.double', { n: 1 }, { progress: 'loud' as never }));
    expect(refused).to.be.instanceOf(SlotbridgeError).with.property('code', ErrorCode.BAD_INPUT);
  });

  it('resolves to an Execution record and emits it on the host', async () => {
    h = await createHarness();
    const seen: Execution[] = [];
    h.host.on('execution', (e) => seen.push(e));
    const execution = await h.host.execute('app-a', 'worker.double', { n: 5 });
    expect(execution).to.include({ app: 'app-a', function: 'worker.double', project: 'p1', status: 'success', error: undefined });
    expect(execution.id).to.match(/^exec-/);
    expect(execution.inputs).to.deep.equal({ n: 5, unused: 'default' }, 'the declared default fills the missing input');
    expect(execution.startedAt).to.be.a('number');
    expect(execution.duration).to.be.a('number');
    expect(seen).to.deep.equal([execution]);
  });

  it('maps an array to the outputs in order and drops extra values', async () => {
    h = await createHarness();
    const execution = await h.host.execute('app-a', 'worker.pair', { a: 'x', b: 2 });
    expect(execution.outputs).to.deep.equal({ first: 'x', second: 2 });
  });

  it('maps a one-element array to a single non-list output', async () => {
    h = await createHarness();
    expect((await h.host.execute('app-a', 'worker.one')).outputs).to.deep.equal({ count: 7 });
  });

  it('keeps a list as the whole value of a single list output', async () => {
    h = await createHarness();
    const items = [{ id: 'a' }, { id: 'b' }];
    expect((await h.host.execute('app-a', 'worker.items', { items })).outputs).to.deep.equal({ items });
  });

  it('records OUTPUT_MISMATCH for too few values, no value or a wrong output type', async () => {
    h = await createHarness();
    const few = await h.host.execute('app-a', 'worker.tooFew');
    expect(few.status).to.equal('failed');
    expect(few.error?.code).to.equal(ErrorCode.OUTPUT_MISMATCH);
    expect(few.error?.message).to.match(/returned 1 value but declares 2 outputs/);
    const none = await h.host.execute('app-a', 'worker.none');
    expect(none.error?.code).to.equal(ErrorCode.OUTPUT_MISMATCH);
    expect(none.error?.message).to.match(/returned nothing but declares 1 output \(n\); return its value\./);
    const wrong = await h.host.execute('app-a', 'worker.wrongType');
    expect(wrong.error?.code).to.equal(ErrorCode.OUTPUT_MISMATCH);
  });

  it('refuses inputs with INVALID_ARGUMENTS: missing, wrong type, unknown name', async () => {
    h = await createHarness();
    expect((await rejection(h.host.execute('app-a', 'worker.double', {})))?.code).to.equal(ErrorCode.INVALID_ARGUMENTS);
    expect((await rejection(h.host.execute('app-a', 'worker.double', { n: 1.5 })))?.code).to.equal(ErrorCode.INVALID_ARGUMENTS);
    const unknown = await rejection(h.host.execute('app-a', 'worker.double', { n: 1, m: 2 }));
    expect(unknown?.code).to.equal(ErrorCode.INVALID_ARGUMENTS);
    expect(unknown?.message).to.match(/no input "m"/);
    expect((await rejection(h.host.execute('app-a', 'worker.items', { items: [{ name: 'no id' }] })))?.message).to.match(/Item/);
    expect((await rejection(h.host.execute('app-a', 'worker.double', [] as never)))?.code).to.equal(ErrorCode.INVALID_ARGUMENTS);
  });

  it('refuses FUNCTION_NOT_FOUND: undeclared, not registered by the module, or server-side without an executor', async () => {
    h = await createHarness();
    expect((await rejection(h.host.execute('app-a', 'worker.nothing')))?.code).to.equal(ErrorCode.FUNCTION_NOT_FOUND);
    expect((await rejection(h.host.execute('app-a', 'nomodule.double')))?.code).to.equal(ErrorCode.FUNCTION_NOT_FOUND);
    expect((await rejection(h.host.execute('app-a', 'worker.notRegistered')))?.message).to.match(/did not register/);
    const server = await rejection(h.host.execute('app-a', 'server.count', { dataset: { id: 'd' } }));
    expect(server?.code).to.equal(ErrorCode.FUNCTION_NOT_FOUND);
    expect(server?.message).to.match(/createHost\(\{ functions/);
  });

  it('runs a server-side module through the platform executor, with the same mapping', async () => {
    const calls: unknown[] = [];
    h = await createHarness({
      functions: {
        execute: (request) => {
          calls.push({
            app: request.app,
            module: request.module,
            function: request.function,
            inputs: request.inputs,
            project: request.project,
          });
          return 12;
        },
      },
    });
    const execution = await h.host.execute('app-a', 'svc.server.count', { dataset: { id: 'd1' } }, { context: { dataset: { id: 'd1' } } });
    expect(execution.outputs).to.deep.equal({ count: 12 });
    expect(execution.function).to.equal('server.count');
    expect(calls).to.deep.equal([{ app: 'app-a', module: 'server', function: 'count', inputs: { dataset: { id: 'd1' } }, project: 'p1' }]);
  });

  it("records EXECUTION_FAILED when the function throws, and keeps a SlotbridgeError's code", async () => {
    h = await createHarness();
    const failed = await h.host.execute('app-a', 'worker.fail');
    expect(failed).to.include({ status: 'failed' });
    expect(failed.error).to.deep.include({ code: ErrorCode.EXECUTION_FAILED });
    expect(failed.error?.message).to.match(/boom/);
    const coded = await h.host.execute('app-a', 'worker.failCoded');
    expect(coded.error).to.deep.equal({
      name: 'SlotbridgeError',
      code: ErrorCode.INVALID_ARGUMENTS,
      message: 'threshold must be below 1',
      details: { field: 'threshold' },
    });
  });

  it("refuses a module's result past the payload cap with PAYLOAD_TOO_LARGE, as any value a guest sends", async () => {
    h = await createHarness({ limits: { maxPayload: 100_000 } });
    const execution = await h.host.execute('app-a', 'worker.huge');
    expect(execution).to.deep.include({ status: 'failed', outputs: {} });
    expect(execution.error?.code).to.equal(ErrorCode.PAYLOAD_TOO_LARGE);
    expect((await h.host.execute('app-a', 'worker.double', { n: 4 })).outputs).to.deep.equal({ result: 8 });
  });

  it('records CALL_TIMEOUT for a function that never answers', async () => {
    h = await createHarness({ timeouts: { call: 200 } });
    const execution = await h.host.execute('app-a', 'worker.hang');
    expect(execution.error?.code).to.equal(ErrorCode.CALL_TIMEOUT);
  });

  it('survives values that cannot be cloned, returned or thrown', async () => {
    h = await createHarness();
    expect((await h.host.execute('app-a', 'worker.uncloneable')).status).to.equal('failed');
    expect((await h.host.execute('app-a', 'worker.throwUncloneable')).status).to.equal('failed');
    expect((await h.host.execute('app-a', 'worker.double', { n: 1 })).outputs).to.deep.equal({ result: 2 }, 'the module still works');
  });

  it("uses the platform's entity checks when given", async () => {
    h = await createHarness({
      entities: {
        Item: (v) =>
          typeof v === 'object' &&
          v !== null &&
          typeof (v as { id?: unknown }).id === 'string' &&
          (v as { id: string }).id.startsWith('item-'),
      },
    });
    expect((await rejection(h.host.execute('app-a', 'worker.items', { items: [{ id: 'x' }] })))?.code).to.equal(
      ErrorCode.INVALID_ARGUMENTS,
    );
    expect((await h.host.execute('app-a', 'worker.items', { items: [{ id: 'item-1' }] })).status).to.equal('success');
  });
});
