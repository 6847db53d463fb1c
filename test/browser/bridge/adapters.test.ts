/**
 * Protocol adapters: a second, minimal protocol ("tiny", a few lines on each
 * side) registered through createHost({ bridges }). Its calls go through the
 * same router as the native protocol's: permission, payload cap, in-flight
 * limit, argument schema, timeout and log.
 */
import { expect } from 'chai';
import * as z from 'zod/mini';
import {
  createHost,
  defineApi,
  method,
  MemoryStore,
  ErrorCode,
  SlotbridgeError,
  type BridgeAdapter,
  type BridgePort,
  type BridgeLogEntry,
  type Host,
} from '../../../src/index.js';
import { fixtures, crossOriginFixtures } from './harness.js';
import { waitFor } from '../wait-for.js';

type Reply = { ok: boolean; value?: unknown; error?: { code: string; message: string } };

/** The host's side of "tiny": every reply it sends is kept in `replies`, by call id. */
function tinyBridge(replies: Map<string, Reply>): BridgeAdapter {
  return {
    binds: 'load',
    connect(port) {
      const post = (message: unknown) => port.window()?.postMessage(message, '*');
      const pongs = new Map<number, () => void>();
      let pings = 0;
      return {
        receive({ origin, data }) {
          if (origin !== port.origin) {
            port.rejected(`message from ${origin}, expected ${port.origin}`);
            return;
          }
          if (data?.tiny === 'ready') port.connected({ events: data.events });
          else if (data?.tiny === 'pong') pongs.get(data.id)?.();
          else if (data?.tiny === 'call') {
            const answer = (reply: Reply) => (replies.set(data.id, reply), post({ tiny: 'reply', id: data.id, ...reply }));
            new Promise((resolve) => resolve(port.call(data.method, data.args))).then(
              (value) => answer({ ok: true, value }),
              (error) => answer({ ok: false, error }),
            );
          } else port.rejected('not a tiny message');
        },
        loaded: () => post({ tiny: 'hello' }),
        send: (name, payload) => post({ tiny: 'event', name, payload }),
        ping: () => new Promise<void>((resolve) => (pongs.set(++pings, resolve), post({ tiny: 'ping', id: pings }))),
        destroy: () => pongs.clear(),
      };
    },
  };
}

const api = defineApi({
  items: {
    get: method({ input: z.tuple([z.string()]), permission: 'items:read' }, (id) => ({ id, name: `Item ${id}` })),
    remove: method({ input: z.tuple([z.string()]), permission: 'items:write' }, () => true),
    slow: method({ input: z.tuple([]), permission: 'items:read' }, () => new Promise((resolve) => setTimeout(resolve, 300))),
  },
  probe: {
    seen: method({ input: z.tuple([z.unknown()]) }, (value) => void seen.push(value)),
  },
});
const seen: unknown[] = [];

/** The code `fn` throws (a serialized error), or 'ok'. */
function refusal(fn: () => unknown): string {
  try {
    fn();
    return 'ok';
  } catch (error) {
    return (error as { code: string }).code;
  }
}

const tinyApp = (name: string, bridge?: string) => ({
  name,
  version: '1.0.0',
  ...(bridge ? { bridge } : {}),
  permissions: ['items:read', 'items:write'],
  components: { panels: [{ name: 'main', url: 'tiny-protocol-guest.html', supportedSlots: [{ type: 'itemViewer' }] }] },
});

describe('protocol adapters', () => {
  let host: Host;
  let container: HTMLElement;
  let replies: Map<string, Reply>;
  let log: BridgeLogEntry[];
  let next = 0;

  beforeEach(async () => {
    replies = new Map();
    log = [];
    seen.length = 0;
    container = document.body.appendChild(document.createElement('div'));
    host = createHost({
      project: 'p1',
      user: { id: 'u1', name: 'Ada' },
      api,
      store: new MemoryStore(),
      bridges: { tiny: tinyBridge(replies) },
      limits: { maxPayload: 10_000, maxInFlight: 2 },
      log: (entry) => log.push(entry),
    });
    await host.registry.publish(tinyApp('by-manifest', 'tiny'), { baseUrl: crossOriginFixtures });
    await host.registry.publish(tinyApp('by-publish'), { baseUrl: crossOriginFixtures, bridge: 'tiny' });
    await host.registry.install('by-manifest', { grant: ['items:read'] });
    await host.registry.install('by-publish', { grant: ['items:read'] });
  });

  afterEach(() => {
    host.destroy();
    container.remove();
  });

  /** Has the guest of `app` call `method`, and waits for the reply the adapter sent. */
  async function call(app: string, method: string, args: unknown[]): Promise<Reply> {
    const id = `c${++next}`;
    host.emit('do', { id, method, args }, { app });
    await waitFor(() => replies.has(id), `the reply to ${method}`);
    return replies.get(id)!;
  }

  for (const app of ['by-manifest', 'by-publish']) {
    it(`runs an app that selects the adapter ${app === 'by-manifest' ? 'in its manifest' : 'at publish'}, through the router's checks and log`, async () => {
      const panel = host.mount(app, 'main', container);
      await panel.ready;
      expect(panel.element.getAttribute('sandbox')).to.equal('allow-scripts');
      expect(await call(app, 'items.get', ['7'])).to.deep.equal({ ok: true, value: { id: '7', name: 'Item 7' } });
      const denied = await call(app, 'items.remove', ['7']);
      expect(denied.error).to.include({ code: ErrorCode.PERMISSION_DENIED });
      expect((await call(app, 'items.get', [7])).error).to.include({ code: ErrorCode.INVALID_ARGUMENTS });
      expect((await call(app, 'items.get', ['x'.repeat(20_000)])).error).to.include({ code: ErrorCode.PAYLOAD_TOO_LARGE });
      const missing = (await call(app, 'toString', [])).error;
      expect(missing).to.include({ code: ErrorCode.METHOD_NOT_FOUND });
      // An adapter's guest has no host.supports() to be told of.
      expect(missing?.message)
        .to.match(/this platform does not offer it/)
        .and.not.match(/host\.supports/);
      const calls = log.filter((e) => e.kind === 'call' && e.frame === panel.id);
      expect(calls.map((e) => e.code ?? 'ok')).to.deep.equal([
        'ok',
        ErrorCode.PERMISSION_DENIED,
        ErrorCode.INVALID_ARGUMENTS,
        ErrorCode.PAYLOAD_TOO_LARGE,
        ErrorCode.METHOD_NOT_FOUND,
      ]);
      expect(calls.every((e) => e.app === app && e.panel === 'main')).to.equal(true);
    });
  }

  it("holds the adapter's frames to the in-flight limit", async () => {
    await host.mount('by-manifest', 'main', container).ready;
    const ids = ['s1', 's2', 's3'];
    for (const id of ids) host.emit('do', { id, method: 'items.slow', args: [] }, { app: 'by-manifest' });
    await waitFor(() => ids.every((id) => replies.has(id)), 'three replies');
    expect(ids.map((id) => replies.get(id)!.ok)).to.deep.equal([true, true, false]);
    expect(replies.get('s3')!.error).to.include({ code: ErrorCode.RATE_LIMITED });
  });

  it('delivers host events the guest listens to, and only those', async () => {
    const panel = host.mount('by-publish', 'main', container);
    host.emit('tick', 1);
    await panel.ready;
    host.emit('unheard', 2);
    host.emit('tick', 3);
    await waitFor(() => seen.length === 2, 'two ticks');
    expect(seen).to.deep.equal([1, 3]);
  });

  it("refuses messages from another origin through the adapter's own check, logged as ORIGIN_REJECTED", async () => {
    const panel = host.mount('by-manifest', 'main', container);
    await panel.ready;
    // The frame sends nothing unasked; a message the adapter does not know is refused and logged.
    const receive = new MessageEvent('message', {
      data: { tiny: 'bogus' },
      origin: 'https://elsewhere.example',
      source: panel.element.contentWindow,
    });
    window.dispatchEvent(receive);
    await waitFor(() => log.some((e) => e.kind === 'rejected' && e.frame === panel.id), 'a refusal');
    expect(log.find((e) => e.kind === 'rejected' && e.frame === panel.id)).to.include({
      code: ErrorCode.ORIGIN_REJECTED,
      name: 'message from https://elsewhere.example, expected null',
    });
  });

  it('refuses to mount an app whose bridge the host was not given, and a publish naming a bad one', async () => {
    await host.registry.publish(tinyApp('elsewhere', 'other-platform'), { baseUrl: fixtures });
    await host.registry.install('elsewhere');
    expect(() => host.mount('elsewhere', 'main', container))
      .to.throw(SlotbridgeError, /bridges: \{ other-platform/)
      .with.property('code', ErrorCode.BAD_INPUT);
    expect(container.querySelector('iframe')).to.equal(null);
    let error: unknown;
    await host.registry.publish(tinyApp('bad', 'Not A Name'), { baseUrl: fixtures }).catch((e: unknown) => (error = e));
    expect(error).to.have.property('code', ErrorCode.MANIFEST_INVALID);
    error = undefined;
    await host.registry.publish(tinyApp('bad'), { baseUrl: fixtures, bridge: '../x' }).catch((e: unknown) => (error = e));
    expect(error).to.have.property('code', ErrorCode.BAD_INPUT);
    expect(host.registry.app('bad')).to.equal(undefined);
  });

  it("refuses adapters that are not adapters, and the native protocol's name", () => {
    const options = { project: 'p', user: { id: 'u' }, store: new MemoryStore() };
    expect(() => createHost({ ...options, bridges: { tiny: {} as BridgeAdapter } })).to.throw(SlotbridgeError, /connect\(port\)/);
    expect(() => createHost({ ...options, bridges: { slotbridge: tinyBridge(new Map()) } })).to.throw(SlotbridgeError, /native protocol/);
  });

  it('serves no call before the handshake, and none through the port of a frame that reloaded or closed', async () => {
    const ports: BridgePort[] = [];
    const early: unknown[] = [];
    const tiny = tinyBridge(replies);
    const keeping: BridgeAdapter = {
      ...tiny,
      connect(port) {
        ports.push(port);
        const connection = tiny.connect(port);
        return {
          ...connection,
          loaded: () => {
            early.push(refusal(() => port.call('items.get', ['1'])));
            connection.loaded();
          },
        };
      },
    };
    host.destroy();
    host = createHost({ project: 'p1', user: { id: 'u1' }, api, store: new MemoryStore(), bridges: { tiny: keeping } });
    await host.registry.publish(tinyApp('kept', 'tiny'), { baseUrl: crossOriginFixtures });
    await host.registry.install('kept', { grant: ['items:read'] });
    const panel = host.mount('kept', 'main', container);
    await panel.ready;
    expect(early).to.deep.equal([ErrorCode.PROTOCOL_MISMATCH]);
    expect(ports[0].call('items.get', ['2'])).to.deep.equal({ id: '2', name: 'Item 2' });
    panel.reload();
    await panel.ready;
    expect(ports).to.have.length(2);
    expect(refusal(() => ports[0].call('items.get', ['3']))).to.equal(ErrorCode.CONNECTION_LOST);
    expect(refusal(() => ports[0].connected({}))).to.equal(ErrorCode.CONNECTION_LOST);
    panel.close();
    expect(refusal(() => ports[1].call('items.get', ['4']))).to.equal(ErrorCode.CONNECTION_LOST);
    expect(panel.state).to.equal('closed');
  });

  it("tears the adapter's connection down with the frame", async () => {
    const panel = host.mount('by-manifest', 'main', container);
    await panel.ready;
    panel.close();
    expect(host.liveCounts).to.deep.equal({ frames: 0, routes: 0 });
    expect(container.querySelector('iframe')).to.equal(null);
  });
});
