import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { GuestLink, type GuestSide } from '../../src/bridge/native/guest-link.js';
import { HostLink } from '../../src/bridge/native/host-link.js';
import type { BridgePort } from '../../src/bridge/adapter.js';

type HostSide = Pick<BridgePort, 'call' | 'rejected'> & { bye(): void; slow(ms: number): void };
import { ErrorCode } from '../../src/errors/error-code.js';
import { SlotbridgeError } from '../../src/errors/slotbridge-error.js';
import { toWireError } from '../../src/errors/wire.js';
import { releaseIdleDeadlines } from '../../src/bridge/deadlines.js';

/** A host end and a guest end on a real MessageChannel, with what each side heard. */
function pair(host: Partial<HostSide> = {}, guest: Partial<GuestSide> = {}, callTimeout = 5000) {
  const { port1, port2 } = new MessageChannel();
  const heard = { rejected: [] as string[], byes: 0, events: [] as [string, unknown][] };
  const hostLink = new HostLink(
    port1,
    { call: host.call ?? (() => undefined), rejected: host.rejected ?? ((reason) => heard.rejected.push(reason)) },
    { bye: host.bye ?? (() => heard.byes++), slow: host.slow ?? (() => undefined) },
  );
  const guestLink = new GuestLink(
    port2,
    {
      event: guest.event ?? ((name, payload) => heard.events.push([name, payload])),
      invoke: guest.invoke ?? (() => Promise.reject(toWireError(new SlotbridgeError(ErrorCode.FUNCTION_NOT_FOUND, 'none')))),
    },
    callTimeout,
  );
  return { hostLink, guestLink, heard, hostPort: port1, guestPort: port2 };
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  assert.ok(check());
};

describe("slotbridge's protocol on a guest's own port", () => {
  const open: { hostLink: HostLink; guestLink: GuestLink }[] = [];
  afterEach(() => {
    for (const { hostLink, guestLink } of open.splice(0)) {
      hostLink.close();
      guestLink.close();
    }
    releaseIdleDeadlines();
  });
  const link = (...args: Parameters<typeof pair>) => {
    const made = pair(...args);
    open.push(made);
    return made;
  };

  it("answers a call with the host's result, whether it came at once or later", async () => {
    const { guestLink } = link({
      call: (method, args) => (method === 'now' ? (args as number[])[0] * 2 : Promise.resolve(`later ${String(method)}`)),
    });
    assert.equal(await guestLink.call('now', [21]), 42);
    assert.equal(await guestLink.call('items.get', []), 'later items.get');
  });

  it('carries a refusal as a SlotbridgeError with its code, and anything else the host threw as EXECUTION_FAILED', async () => {
    const { guestLink } = link({
      call: (method) => {
        if (method === 'refused') throw toWireError(new SlotbridgeError(ErrorCode.PERMISSION_DENIED, 'not granted', { permission: 'x' }));
        throw new TypeError('a bug in the host');
      },
    });
    const refused = await guestLink.call('refused', []).catch((err: unknown) => err);
    assert.ok(refused instanceof SlotbridgeError);
    assert.equal(refused.code, ErrorCode.PERMISSION_DENIED);
    assert.deepEqual(refused.details, { permission: 'x' });
    const bug = await guestLink.call('bug', []).catch((err: unknown) => err);
    assert.ok(bug instanceof SlotbridgeError);
    assert.equal(bug.code, ErrorCode.EXECUTION_FAILED);
  });

  it('delivers events in the order sent, and drops from the host what is none of the protocol', async () => {
    const { hostLink, heard, hostPort } = link();
    hostLink.event('tick', 1);
    for (const stray of ['text', { kind: 1 }, [1, 5, 'a name that is no string'], [9, 'tick', 'x']]) hostPort.postMessage(stray);
    hostLink.event('tick', 2);
    await until(() => heard.events.length === 2);
    assert.deepEqual(heard.events, [
      ['tick', 1],
      ['tick', 2],
    ]);
  });

  it('logs what a guest posts that is none of the protocol, answers to nothing included, and still serves its calls', async () => {
    const { guestLink, heard, guestPort } = link({ call: () => 'ok' });
    const strays = [
      'text',
      { 0: 0 },
      [0, 'an id that is no number', 'm', []],
      [0, 1, 'm'],
      [7],
      [1, 99, true, 'a result nobody asked'],
      [2, 99],
    ];
    for (const stray of strays) guestPort.postMessage(stray);
    assert.equal(await guestLink.call('m', []), 'ok');
    await until(() => heard.rejected.length === strays.length);
  });

  it("runs a guest's function for the host and carries back its result or its error", async () => {
    const { hostLink } = link(
      {},
      {
        invoke: async (fn, inputs) => {
          if (fn === 'double') return (inputs as { n: number }).n * 2;
          throw toWireError(new SlotbridgeError(ErrorCode.FUNCTION_NOT_FOUND, `no ${String(fn)}`));
        },
      },
    );
    assert.equal(await hostLink.invoke('double', { n: 4 }), 8);
    const missing = await hostLink.invoke('nothing', {}).catch((err: unknown) => err);
    assert.equal((missing as { code: string }).code, ErrorCode.FUNCTION_NOT_FOUND);
  });

  it('answers the heartbeat, and hears a bye', async () => {
    const { hostLink, guestLink, heard } = link();
    await hostLink.ping();
    guestLink.bye();
    await until(() => heard.byes === 1);
  });

  it("fails the guest's calls in flight at once when the host closes, and the host's asks when the guest does", async () => {
    const { hostLink, guestLink } = link({ call: () => new Promise(() => undefined) });
    const pending = guestLink.call('hangs', []).catch((err: unknown) => err);
    await new Promise((r) => setTimeout(r, 20));
    hostLink.close();
    const lost = await pending;
    assert.ok(lost instanceof SlotbridgeError);
    assert.equal(lost.code, ErrorCode.CONNECTION_LOST);
    await assert.rejects(guestLink.call('after', []), (err: SlotbridgeError) => err.code === ErrorCode.CONNECTION_LOST);

    const other = link({}, { invoke: () => new Promise(() => undefined) });
    const asked = other.hostLink.invoke('slow', {}).catch((err: unknown) => err);
    await new Promise((r) => setTimeout(r, 20));
    other.hostLink.close();
    assert.equal(((await asked) as { code: string }).code, ErrorCode.CONNECTION_LOST);
  });

  it('times a call out when nothing answers', async () => {
    const { guestLink } = link({ call: () => new Promise(() => undefined) }, {}, 50);
    await assert.rejects(guestLink.call('hangs', []), (err: SlotbridgeError) => err.code === ErrorCode.CALL_TIMEOUT);
  });
});
