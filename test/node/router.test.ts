// The router alone, against a fake frame session: no iframe, no penpal. Each
// check of a call in its order (method, permission, in-flight limit, argument
// count, payload cap, argument schema, output), the log entry it leaves, and
// the timeout that cuts a handler short.
import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import * as z from 'zod/mini';
import { CallRouter } from '../../src/bridge/router.js';
import { BridgeLog, type BridgeLogEntry } from '../../src/bridge/call-log.js';
import { addAdapterApi, flattenApi, method, defineApi, type CallContext } from '../../src/bridge/define-api.js';
import type { Abortable, FrameSession } from '../../src/bridge/session.js';
import { releaseIdleDeadlines } from '../../src/bridge/deadlines.js';
import { ErrorCode } from '../../src/errors/error-code.js';

/** A frame session with what the router reads: who it is, its grant (read anew each time) and its calls in flight. */
function fakeSession(grant: string[], bridge = 'slotbridge'): FrameSession & { grantNow: Set<string> } {
  const session = {
    id: 'panel-1',
    kind: 'panel' as const,
    app: 'app-a',
    panel: 'viewer',
    slot: 'itemViewer',
    project: 'p1',
    manifest: { bridge } as never,
    grantNow: new Set(grant),
    get grant() {
      return session.grantNow;
    },
    context: {},
    subscriptions: new Set<string>(),
    subscribe() {},
    unsubscribe() {},
    functions: new Set<string>(),
    calls: new Set<Abortable>(),
    close() {},
    resize() {},
    guestContext: () => ({ app: 'app-a', theme: 'dark' }),
  };
  return session;
}

const api = defineApi({
  items: {
    get: method({ input: z.tuple([z.string()]), output: z.object({ id: z.string() }), permission: 'items:read' }, (id) => ({ id })),
    broken: method({ input: z.tuple([]), output: z.object({ id: z.string() }), permission: 'items:read' }, () => ({ id: 1 }) as never),
    slow: method(
      { input: z.tuple([]), timeout: 20 },
      (call: CallContext) => new Promise((resolve) => call.signal.addEventListener('abort', () => resolve('aborted'))),
    ),
    hang: method({ input: z.tuple([]) }, () => new Promise(() => {})),
    fails: method({ input: z.tuple([]) }, () => Promise.reject(new Error('a secret of the platform'))),
  },
});

function router(limits: Partial<{ call: number; maxInFlight: number; maxPayload: number }> = {}) {
  const log: BridgeLogEntry[] = [];
  const methods = new Map(flattenApi(api));
  const r = Object.assign(
    new CallRouter(methods, { call: 1000, maxInFlight: 4, maxPayload: 1024, ...limits }, new BridgeLog(() => [(e) => log.push(e)]), () => ({
      id: 'u1',
    })),
    { methods },
  );
  return { r, log };
}

/** The router's answer: its value, or the wire error it threw or rejected with. */
async function answer(value: () => unknown): Promise<{ ok: true; value: unknown } | { ok: false; code: string; message: string }> {
  try {
    return { ok: true, value: await value() };
  } catch (err) {
    const { code, message } = err as { code: string; message: string };
    return { ok: false, code, message };
  }
}

afterEach(() => releaseIdleDeadlines());

describe('the call router, alone', () => {
  it('answers a granted call synchronously, with its parsed result, and logs it', async () => {
    const { r, log } = router();
    const session = fakeSession(['items:read']);
    assert.deepEqual(r.handle(session, 'items.get', ['i1']), { id: 'i1' });
    assert.deepEqual(
      log.map((e) => [e.kind, e.name, e.outcome, e.frame]),
      [['call', 'items.get', 'ok', 'panel-1']],
    );
  });

  it('refuses in order: unknown method, permission, argument count, payload, schema; each a plain wire error, each logged', async () => {
    const { r, log } = router();
    const session = fakeSession([]);
    const granted = fakeSession(['items:read']);
    const cases: [FrameSession, unknown, unknown, string][] = [
      [session, 'items.nope', [], ErrorCode.METHOD_NOT_FOUND],
      [session, 'constructor', [], ErrorCode.METHOD_NOT_FOUND],
      [session, 42, [], ErrorCode.METHOD_NOT_FOUND],
      [session, 'items.get', ['i1'], ErrorCode.PERMISSION_DENIED],
      [granted, 'items.get', 'i1', ErrorCode.INVALID_ARGUMENTS],
      [granted, 'items.get', Object.assign([], { length: 2 ** 32 - 1 }), ErrorCode.INVALID_ARGUMENTS],
      [granted, 'items.get', ['x'.repeat(1000)], ErrorCode.PAYLOAD_TOO_LARGE],
      [granted, 'items.get', [7], ErrorCode.INVALID_ARGUMENTS],
      [granted, 'items.broken', [], ErrorCode.INVALID_OUTPUT],
    ];
    for (const [frame, name, args, code] of cases) {
      const got = await answer(() => r.handle(frame, name, args));
      assert.equal(got.ok, false, String(name));
      if (!got.ok) {
        assert.equal(got.code, code, String(name));
        assert.ok(got.message.length > 20, 'the message says what to do');
      }
    }
    assert.equal(log.length, cases.length);
    assert.ok(log.every((e) => e.outcome === 'error'));
  });

  it("logs a call's arguments and result in one bounded line, and an argument list past the payload cap not at all", async () => {
    const { r, log } = router();
    const granted = fakeSession(['items:read']);
    r.handle(granted, 'items.get', ['i1']);
    await answer(() => r.handle(fakeSession([]), 'items.get', [{ deep: { deeper: { deepest: { hidden: 1 } } }, list: Array(50).fill(1) }]));
    await answer(() => r.handle(granted, 'items.nope', [Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, i]))]));
    assert.deepEqual(
      log.map((e) => [e.args, e.result]),
      [
        ['["i1"]', '{id: "i1"}'],
        ['[{deep: {deeper: {1}}, list: [1, 1, 1, 1, 1, 1, 1, 1, …42 more]}]', undefined],
        ['"(larger than the payload cap)"', undefined],
      ],
    );
  });

  it('reads the grant on every call: taking a permission away refuses the next call', async () => {
    const { r } = router();
    const session = fakeSession(['items:read']);
    assert.equal((await answer(() => r.handle(session, 'items.get', ['i1']))).ok, true);
    session.grantNow = new Set();
    const got = await answer(() => r.handle(session, 'items.get', ['i1']));
    assert.equal(got.ok ? undefined : got.code, ErrorCode.PERMISSION_DENIED);
    assert.deepEqual(r.capabilities(session.grant, 'slotbridge'), ['items.slow', 'items.hang', 'items.fails']);
  });

  it("keeps an adapter's own methods to its frames, and gives handlers the context the guest sees", async () => {
    const { r } = router();
    addAdapterApi(r.methods, 'other', {
      record: { read: method({ input: z.tuple([z.optional(z.string())]) }, (id, call) => ({ id, theme: call.context['theme'] })) },
    });
    const native = fakeSession([]);
    const other = fakeSession([], 'other');
    assert.deepEqual(await answer(() => r.handle(other, 'record.read', ['r1'])), { ok: true, value: { id: 'r1', theme: 'dark' } });
    const refused = await answer(() => r.handle(native, 'record.read', ['r1']));
    assert.equal(refused.ok ? undefined : refused.code, ErrorCode.METHOD_NOT_FOUND);
    assert.ok(r.capabilities(other.grant, 'other').includes('record.read'));
    assert.ok(!r.capabilities(native.grant, 'slotbridge').includes('record.read'));
    assert.throws(() => addAdapterApi(r.methods, 'third', { items: { get: api.items.get } }), /name of a method of the platform/);
  });

  it('counts calls in flight against the limit, and frees them as they settle or time out', async () => {
    const { r } = router({ maxInFlight: 2, call: 30 });
    const session = fakeSession([]);
    const hung = [r.handle(session, 'items.hang', []), r.handle(session, 'items.hang', [])];
    assert.equal(session.calls.size, 2);
    const over = await answer(() => r.handle(session, 'items.hang', []));
    assert.equal(over.ok ? undefined : over.code, ErrorCode.RATE_LIMITED);
    for (const call of hung) {
      const got = await answer(() => call);
      assert.equal(got.ok ? undefined : got.code, ErrorCode.CALL_TIMEOUT);
    }
    assert.equal(session.calls.size, 0);
  });

  it("aborts the handler's signal at its own timeout, and hides a handler's own error behind EXECUTION_FAILED", async () => {
    const { r, log } = router();
    const session = fakeSession([]);
    const slow = await answer(() => r.handle(session, 'items.slow', []));
    assert.equal(slow.ok ? undefined : slow.code, ErrorCode.CALL_TIMEOUT);
    const fails = await answer(() => r.handle(session, 'items.fails', []));
    assert.equal(fails.ok ? undefined : fails.code, ErrorCode.EXECUTION_FAILED);
    assert.ok(!fails.ok && !fails.message.includes('secret'), "the platform's own message stays on the host");
    assert.ok(
      log.some((e) => e.error instanceof Error && e.error.message.includes('secret')),
      "and reaches the host's log",
    );
  });
});
