/**
 * The guest SDK's own call path: it sends penpal's CALL messages itself and
 * takes their replies before penpal's handlers, so what penpal used to do
 * for a call (fail it when the connection ends, refuse what cannot be sent)
 * is the SDK's to do.
 */
import { expect } from 'chai';
import * as z from 'zod/mini';
import { connect } from '../../../src/guest/index.js';
import { createMockHost } from '../../../src/testing/index.js';
import { defineApi, method, ErrorCode, type SlotbridgeError } from '../../../src/index.js';

const api = defineApi({
  items: {
    get: method({ input: z.tuple([z.string()]) }, (id) => ({ id })),
    take: method({ input: z.tuple([z.unknown()]) }, () => true),
    hang: method({ input: z.tuple([]), timeout: 60_000 }, () => new Promise(() => {})),
  },
});

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (err: SlotbridgeError) => err,
  );

describe("the guest's calls", () => {
  it('match each answer to its call, with many in flight at once', async () => {
    const mock = createMockHost({ api });
    const host = await connect<typeof api>({ port: mock.port });
    const ids = Array.from({ length: 200 }, (_, i) => `i${i}`);
    expect(await Promise.all(ids.map((id) => host.api.items.get(id)))).to.deep.equal(ids.map((id) => ({ id })));
    host.destroy();
    mock.destroy();
  });

  it('fail with INVALID_ARGUMENTS at once when an argument cannot be cloned, and the next call goes through', async () => {
    const mock = createMockHost({ api });
    const host = await connect<typeof api>({ port: mock.port });
    const error = await failure(host.api.items.take(() => 1));
    expect(error?.code).to.equal(ErrorCode.INVALID_ARGUMENTS);
    expect(error?.message).to.match(/items\.take cannot be cloned/);
    expect(await host.api.items.get('i1')).to.deep.equal({ id: 'i1' });
    host.destroy();
    mock.destroy();
  });

  it("in flight fail with CONNECTION_LOST at once when the guest's destroy() runs", async () => {
    const mock = createMockHost({ api });
    const host = await connect<typeof api>({ port: mock.port });
    const inFlight = failure(host.api.items.hang());
    await host.api.items.get('i1');
    host.destroy();
    expect((await inFlight)?.code).to.equal(ErrorCode.CONNECTION_LOST);
    mock.destroy();
  });

  it('in flight fail with CONNECTION_LOST at once when the host ends the connection, and later ones too', async () => {
    const mock = createMockHost({ api });
    const host = await connect<typeof api>({ port: mock.port, callTimeout: 60_000 });
    const inFlight = failure(host.api.items.hang());
    await host.api.items.get('i1');
    mock.destroy();
    expect((await inFlight)?.code).to.equal(ErrorCode.CONNECTION_LOST);
    expect((await failure(host.api.items.get('i2')))?.code).to.equal(ErrorCode.CONNECTION_LOST);
    host.destroy();
  });

  it('time out with CALL_TIMEOUT; the answer that comes later is dropped, and the next call gets its own', async () => {
    let answered = 0;
    const slow = defineApi({
      items: {
        late: method({ input: z.tuple([]) }, () => new Promise((r) => setTimeout(() => r(`late ${++answered}`), 300))),
        get: method({ input: z.tuple([z.string()]) }, (id) => ({ id })),
      },
    });
    const mock = createMockHost({ api: slow });
    const host = await connect<typeof slow>({ port: mock.port, callTimeout: 100 });
    const error = await failure(host.api.items.late());
    expect(error?.code).to.equal(ErrorCode.CALL_TIMEOUT);
    await new Promise((r) => setTimeout(r, 300));
    expect(answered).to.equal(1, 'the host answered after the timeout');
    expect(await host.api.items.get('i1')).to.deep.equal({ id: 'i1' });
    host.destroy();
    mock.destroy();
  });
});
