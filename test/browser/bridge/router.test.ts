import { expect } from 'chai';
import * as z from 'zod/mini';
import { createHarness, fixtureManifest, fixtures, type Harness } from './harness.js';
import { defineApi, method, ErrorCode, SlotbridgeError, type CallContext } from '../../../src/index.js';

describe('the host router', () => {
  let h: Harness;
  afterEach(() => h?.destroy());

  const call = (method: string, args: unknown[] = []) => h.command('a', 'call', { method, args });
  const raw = (ns: string, m: string, args: unknown[] = []) => h.command('a', 'rawCall', { ns, m, args });

  it('runs a granted platform method with parsed arguments and answers', async () => {
    h = await createHarness();
    await h.mountGuest('a');
    const result = await call('items.get', ['i7']);
    expect(result).to.include({ ok: true });
    expect(result.value).to.deep.equal({ id: 'i7', name: 'Item i7' });
  });

  it('passes an optional argument the guest left out as undefined, the call context still last', async () => {
    h = await createHarness();
    await h.mountGuest('a');
    // functions.execute(fn, inputs?): with no inputs the function is still found and its inputs checked.
    const result = await call('functions.execute', ['worker.double']);
    expect(result).to.include({ ok: false, code: ErrorCode.INVALID_ARGUMENTS });
    expect(result.message).to.match(/needs the input "n"/);
    expect((await call('artifacts.list')).value).to.deep.equal([]);
  });

  for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']) {
    it(`answers METHOD_NOT_FOUND for "${name}", never walking a prototype`, async () => {
      h = await createHarness();
      await h.mountGuest('a');
      const asNamespace = await raw(name, 'call');
      expect(asNamespace.code).to.equal(ErrorCode.METHOD_NOT_FOUND);
      const asMethod = await raw('items', name);
      expect(asMethod.code).to.equal(ErrorCode.METHOD_NOT_FOUND);
    });
  }

  it('answers METHOD_NOT_FOUND for an unknown method, with what to do', async () => {
    h = await createHarness();
    await h.mountGuest('a');
    const result = await raw('nothing', 'here');
    expect(result).to.include({ ok: false, code: ErrorCode.METHOD_NOT_FOUND, isSlotbridgeError: true });
    expect(result.message).to.match(/supports/);
  });

  it('answers PERMISSION_DENIED for a method the app was not granted', async () => {
    h = await createHarness();
    await h.mountGuest('a');
    const result = await call('items.remove', ['i1']);
    expect(result.code).to.equal(ErrorCode.PERMISSION_DENIED);
    expect(result.message).to.match(/items:write/);
    expect(result.details).to.deep.equal({ method: 'items.remove', permission: 'items:write' });
  });

  it("enforces exactly the grant given at install, not the manifest's wish list", async () => {
    h = await createHarness({ apps: [] });
    await h.host.registry.publish(fixtureManifest('narrow'), { baseUrl: fixtures });
    await h.host.registry.install('narrow', { grant: ['probe:write'] });
    await h.mountGuest('a', { app: 'narrow' });
    expect((await call('items.get', ['x'])).code).to.equal(ErrorCode.PERMISSION_DENIED);
  });

  it('answers INVALID_ARGUMENTS with the failing path', async () => {
    h = await createHarness();
    await h.mountGuest('a');
    const wrongType = await call('items.get', [42]);
    expect(wrongType.code).to.equal(ErrorCode.INVALID_ARGUMENTS);
    expect(wrongType.details.path).to.equal('arguments[0]');
    const nested = await call('ui.notify', [{ message: 'hi', level: 'shout' }]);
    expect(nested.code).to.equal(ErrorCode.INVALID_ARGUMENTS);
    expect(nested.details.path).to.equal('arguments[0].level');
  });

  it('hands the handler { app, panel, project, user, signal }', async () => {
    h = await createHarness();
    await h.mountGuest('a');
    const ready = await h.record('a', 'ready');
    expect(ready.from).to.deep.equal({ app: 'app-a', panel: 'remote', project: 'p1', user: { id: 'u1', name: 'Ada' }, aborted: false });
  });

  describe('with limits', () => {
    let seen: CallContext[];
    const api = () =>
      defineApi({
        items: {
          get: method({ input: z.tuple([z.string()]), output: z.object({ id: z.string() }), permission: 'items:read' }, (id) =>
            id === 'bad' ? ({ id: 42 } as unknown as { id: string }) : id === 'big' ? { id: 'x'.repeat(5000) } : { id },
          ),
          hang: method({ input: z.tuple([]), permission: 'items:read', timeout: 100 }, (call) => {
            seen.push(call);
            return new Promise(() => {});
          }),
          crash: method({ input: z.tuple([]), permission: 'items:read' }, () => {
            throw new Error('database password is hunter2 at /srv/db.ts:12');
          }),
          refuse: method({ input: z.tuple([]), permission: 'items:read' }, () => {
            throw new SlotbridgeError(ErrorCode.SCOPE_VIOLATION, 'That item is in another project.', { item: 'i9' });
          }),
        },
      });

    beforeEach(() => {
      seen = [];
    });

    async function harness(limits: { maxInFlight?: number; maxPayload?: number } = {}) {
      h = await createHarness({ api: api(), limits, slowDelay: 50 });
      await h.mountGuest('a');
    }

    it("answers CALL_TIMEOUT and aborts the handler's signal", async () => {
      await harness();
      const result = await call('items.hang');
      expect(result.code).to.equal(ErrorCode.CALL_TIMEOUT);
      expect(result.message).to.match(/within 100 ms/);
      expect(seen[0].signal.aborted).to.equal(true);
      expect((seen[0].signal.reason as SlotbridgeError).code).to.equal(ErrorCode.CALL_TIMEOUT);
    });

    it('answers RATE_LIMITED past the in-flight limit and serves the rest', async () => {
      await harness({ maxInFlight: 5 });
      const result = await h.command('a', 'flood', { count: 12 });
      expect(result.value).to.deep.equal({ ok: 5, [ErrorCode.RATE_LIMITED]: 7 });
      expect((await call('items.get', ['after'])).ok).to.equal(true, 'the frame is served again once calls finish');
    });

    it('answers PAYLOAD_TOO_LARGE for arguments and results over the cap', async () => {
      await harness({ maxPayload: 4096 });
      const args = await call('items.get', ['x'.repeat(5000)]);
      expect(args.code).to.equal(ErrorCode.PAYLOAD_TOO_LARGE);
      const result = await call('items.get', ['big']);
      expect(result.code).to.equal(ErrorCode.PAYLOAD_TOO_LARGE);
    });

    it('answers INVALID_OUTPUT when the platform returns what it did not declare', async () => {
      await harness();
      expect((await call('items.get', ['bad'])).code).to.equal(ErrorCode.INVALID_OUTPUT);
    });

    it('answers EXECUTION_FAILED for a crashing handler, without its message or stack', async () => {
      await harness();
      const result = await call('items.crash');
      expect(result.code).to.equal(ErrorCode.EXECUTION_FAILED);
      expect(JSON.stringify(result)).to.not.match(/hunter2|srv\/db|\.ts:/);
    });

    it('carries a SlotbridgeError thrown by a handler to the guest with its code and details', async () => {
      await harness();
      const result = await call('items.refuse');
      expect(result).to.include({ code: ErrorCode.SCOPE_VIOLATION, message: 'That item is in another project.', isSlotbridgeError: true });
      expect(result.details).to.deep.equal({ item: 'i9' });
    });
  });
});

describe('defineApi and method', () => {
  it('refuse reserved namespaces, bad names and things that are not methods', () => {
    const m = method({ input: z.tuple([]) }, () => 1);
    expect(() => defineApi({ ui: { x: m } })).to.throw(SlotbridgeError, /built-in namespace/);
    expect(() => defineApi({ storage: { x: m } })).to.throw(SlotbridgeError, /built-in namespace/);
    expect(() => defineApi({ 'a-b': { x: m } })).to.throw(SlotbridgeError, /identifier/);
    expect(() => defineApi({ ok: { 'x y': m } })).to.throw(SlotbridgeError, /identifier/);
    expect(() => defineApi({ ok: { x: (() => 1) as never } })).to.throw(SlotbridgeError, /method\(spec, handler\)/);
    expect(() => method({ input: z.tuple([]), permission: 'items' }, () => 1)).to.throw(SlotbridgeError, /namespace:verb/);
    expect(() => method({} as never, () => 1)).to.throw(SlotbridgeError, /input/);
  });
});
