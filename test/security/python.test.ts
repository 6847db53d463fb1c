/**
 * Python modules: what Python code can reach from its interpreter (the host
 * page, its origin, its storage, another app's module) and what it can do to
 * the host (an endless loop, a huge result, a flood of calls). After each
 * case an honest panel still answers and a fresh Python call works.
 */
import { expect } from 'chai';
import * as z from 'zod/mini';
import {
  createHost,
  defineApi,
  method,
  MemoryStore,
  ErrorCode,
  type BridgeLogEntry,
  type Host,
  type PanelHandle,
} from '../../src/index.js';
import { fixtures } from '../browser/bridge/harness.js';
import { attacks, longestStall, refusedWhen } from './attack.js';
import { waitFor } from '../browser/wait-for.js';

const crossOrigin = location.origin.replace('//localhost:', '//127.0.0.1:');
const indexURL = `${crossOrigin}/__python/`;
const api = defineApi({
  items: { get: method({ input: z.tuple([z.string()]), permission: 'items:read' }, (id) => gate.then(() => ({ id, name: `Item ${id}` }))) },
});
let gate = Promise.resolve();

const fn = (name: string, output = 'Json', input: { name: string; type: string }[] = []) => ({
  name,
  input,
  output: output ? [{ name: 'out', type: output }] : [],
});
const hostile = (name: string) => ({
  name,
  version: '1.0.0',
  permissions: ['items:read'],
  components: {
    modules: [
      {
        name: 'm',
        entryPoint: 'hostile.py',
        functions: [
          fn('probe_page'),
          fn('shout', 'String', [{ name: 'word', type: 'String' }]),
          fn('listen', 'String[]'),
          fn('read_storage', 'Json', [{ name: 'key', type: 'String' }]),
          fn('huge', 'String'),
          fn('flood', 'String[]', [{ name: 'count', type: 'Integer' }]),
          fn('forge_relay', 'Integer'),
          fn('spin', ''),
          fn('post_heavy', 'Integer', [
            { name: 'keys', type: 'Integer' },
            { name: 'count', type: 'Integer' },
          ]),
          fn('deep', 'Json'),
          fn('loop_in_background', 'String'),
        ],
      },
    ],
  },
});

describe('security: Python modules', function () {
  this.timeout(180_000);
  let host: Host;
  let honest: PanelHandle;
  let container: HTMLElement;
  let log: BridgeLogEntry[];

  async function healthy(): Promise<void> {
    expect(honest.state).to.equal('ready');
    expect(honest.responding).to.equal(true);
    const run = await host.execute('py-a', 'm.read_storage', { key: 'mine' });
    expect(run.outputs).to.deep.equal({ out: 'a' });
  }
  const attack = attacks('Python', healthy);

  beforeEach(async () => {
    gate = Promise.resolve();
    container = document.body.appendChild(document.createElement('div'));
    log = [];
    host = createHost({
      project: 'p1',
      user: { id: 'u1' },
      store: new MemoryStore(),
      api,
      python: { indexURL },
      timeouts: { call: 30_000 },
      limits: { maxPayload: 1_000_000, maxInFlight: 64 },
      log: (entry) => log.push(entry),
    });
    for (const name of ['py-a', 'py-b']) {
      await host.registry.publish(hostile(name), { baseUrl: `${crossOrigin}/test/fixtures/python/` });
      await host.registry.install(name);
    }
    await host.registry.storage('py-a', 'p1').set('mine', 'a');
    await host.registry.storage('py-b', 'p1').set('mine', 'b');
    await host.registry.publish(
      {
        name: 'honest',
        version: '1.0.0',
        permissions: ['items:read'],
        components: { panels: [{ name: 'remote', url: 'remote-guest.html', supportedSlots: [{ type: 'itemViewer' }] }] },
      },
      { baseUrl: fixtures },
    );
    await host.registry.install('honest');
    honest = host.mount('honest', 'remote', container.appendChild(document.createElement('div')));
    await honest.ready;
  });

  afterEach(() => {
    host.destroy();
    container.remove();
  });

  attack('Python reaches nothing of the host page, its origin or its storage', async () => {
    const found = (await host.execute('py-a', 'm.probe_page')).outputs['out'] as Record<string, unknown>;
    const absent = ['document', 'parent', 'top', 'opener', 'frameElement', 'localStorage', 'sessionStorage', 'cookieStore'].filter(
      (name) => found[name] === false,
    );
    const failed = ['indexedDB', 'caches', 'importScripts'].filter((name) => found[name] !== 'worked');
    expect(found['origin']).to.equal('null');
    expect(absent.length + failed.length).to.equal(11, JSON.stringify(found));
    return { tried: 11, refused: absent.length + failed.length };
  });

  attack("one app's Python cannot reach another app's module or storage", async () => {
    const listening = host.execute('py-b', 'm.listen');
    // Both interpreters up: b listens while a shouts, several times.
    await new Promise((r) => setTimeout(r, 200));
    for (let i = 0; i < 3; i++) await host.execute('py-a', 'm.shout', { word: `from a ${i}` });
    const heard = (await listening).outputs['out'] as string[];
    expect(heard).to.deep.equal([]);
    const own = (await host.execute('py-b', 'm.read_storage', { key: 'mine' })).outputs['out'];
    expect(own).to.equal('b');
    return { tried: 4, refused: refusedWhen(heard.length === 0) * 3 + refusedWhen(own === 'b') };
  });

  attack('what Python posts to its page after its handshake is never read: nothing of it reaches the host', async () => {
    const run = await host.execute('py-a', 'm.forge_relay');
    expect(run.outputs['out']).to.equal(8);
    // The page stopped reading its worker with the handshake's last message: a forged SYN or ACK2 is not even relayed.
    await new Promise((r) => setTimeout(r, 500));
    const refused = log.filter((e) => e.kind === 'rejected' && e.app === 'py-a');
    expect(refused.map((e) => e.name)).to.deep.equal([]);
    // The module's own connection is untouched: the next call answers, from its own storage.
    expect((await host.execute('py-a', 'm.read_storage', { key: 'mine' })).outputs['out']).to.equal('a');
    return { tried: 8, refused: refused.length === 0 ? 8 : 0 };
  });

  attack(
    "posts objects that take seconds to unpack to its runner page, served from the platform's own site: the platform's page is not held",
    async () => {
      // Pyodide and the runner page on this page's own site: the runner page then shares this page's thread.
      const sameSite = createHost({
        project: 'p1',
        user: { id: 'u1' },
        store: new MemoryStore(),
        api,
        python: { indexURL: `${location.origin}/__python/` },
        timeouts: { call: 60_000 },
      });
      try {
        await sameSite.registry.publish(hostile('py-same'), { baseUrl: `${location.origin}/test/fixtures/python/` });
        await sameSite.registry.install('py-same');
        // The interpreter up first: its start is not what is measured.
        await sameSite.execute('py-same', 'm.read_storage', { key: 'none' });
        let run: Awaited<ReturnType<Host['execute']>> | undefined;
        const stall = await longestStall(async () => {
          run = await sameSite.execute('py-same', 'm.post_heavy', { keys: 500_000, count: 3 });
          // What it posted is behind the answer on the way to the page: time for the page to meet it.
          await new Promise((r) => setTimeout(r, 1000));
        });
        expect(run?.outputs['out']).to.equal(3);
        expect(stall, 'the longest the platform page was held, ms').to.be.below(1000);
        return { tried: 3, refused: stall < 1000 ? 3 : 0 };
      } finally {
        sameSite.destroy();
      }
    },
  );

  attack('an endless loop is CALL_TIMEOUT; its interpreter ends and the host page never waits for it', async () => {
    const t0 = performance.now();
    let late = 0;
    let last = performance.now();
    const timer = setInterval(() => {
      late = Math.max(late, performance.now() - last);
      last = performance.now();
    }, 20);
    const spun = await host.execute('py-a', 'm.spin');
    clearInterval(timer);
    expect(spun.error?.code).to.equal(ErrorCode.CALL_TIMEOUT);
    expect(performance.now() - t0).to.be.below(120_000);
    expect(late, 'the host page kept its timers').to.be.below(5000);
    return { refused: refusedWhen(spun.error?.code === ErrorCode.CALL_TIMEOUT) };
  });

  attack(
    'returns a value nested 100,000 deep, which overflows its interpreter for good: the call says so, and the next call gets a fresh interpreter',
    async () => {
      const run = await host.execute('py-a', 'm.deep');
      expect(run.status).to.equal('failed');
      expect(run.error?.code).to.equal(ErrorCode.EXECUTION_FAILED);
      expect(run.error?.message).to.match(/The Python interpreter failed for good/);
      // Not "fatally failed" forever: a new interpreter answers (healthy() runs one more).
      expect((await host.execute('py-a', 'm.read_storage', { key: 'mine' })).outputs['out']).to.equal('a');
      return { refused: refusedWhen(/failed for good/.test(run.error?.message ?? '')) };
    },
  );

  attack(
    'leaves a JavaScript loop running in its worker: once it stops answering its heartbeat, the next call starts the module afresh instead of waiting out its timeout',
    async () => {
      const quick = createHost({
        project: 'p1',
        user: { id: 'u1' },
        store: new MemoryStore(),
        api,
        python: { indexURL },
        timeouts: { call: 60_000, heartbeat: 500 },
        log: (entry) => log.push(entry),
      });
      try {
        await quick.registry.publish(hostile('py-loop'), { baseUrl: `${crossOrigin}/test/fixtures/python/` });
        await quick.registry.install('py-loop');
        expect((await quick.execute('py-loop', 'm.loop_in_background')).outputs['out']).to.equal('started');
        await waitFor(
          () => log.some((e) => e.app === 'py-loop' && e.kind === 'state' && e.name === 'not responding'),
          'the module to stop answering its heartbeat',
          10_000,
        );
        // A module that has just computed answers its heartbeat a moment later: the host waits a second after its last call.
        await new Promise((r) => setTimeout(r, 1100));
        const started = performance.now();
        const next = await quick.execute('py-loop', 'm.shout', { word: 'again' });
        const took = performance.now() - started;
        expect(next.outputs['out']).to.equal('said');
        // A fresh interpreter starts in seconds; the call's timeout is a minute.
        expect(took).to.be.below(30_000);
        return { refused: refusedWhen(took < 30_000) };
      } finally {
        quick.destroy();
      }
    },
  );

  attack('a result past the payload cap is refused, not handed to the host', async () => {
    const run = await host.execute('py-a', 'm.huge');
    expect(run.status).to.equal('failed');
    expect(run.error?.code).to.equal(ErrorCode.PAYLOAD_TOO_LARGE);
    return { refused: refusedWhen(run.error?.code === ErrorCode.PAYLOAD_TOO_LARGE) };
  });

  attack('a flood of host calls past the in-flight limit is refused call by call', async () => {
    // The interpreter up first: the gate holds the calls, not the start.
    await host.execute('py-a', 'm.read_storage', { key: 'mine' });
    let open = (): void => {};
    gate = new Promise<void>((resolve) => (open = resolve));
    const running = host.execute('py-a', 'm.flood', { count: 300 });
    await new Promise((r) => setTimeout(r, 2000));
    open();
    const codes = (await running).outputs['out'] as string[];
    const refused = codes.filter((c) => c === ErrorCode.RATE_LIMITED).length;
    expect(codes.filter((c) => c === 'ok').length).to.be.at.most(64);
    expect(refused).to.be.greaterThan(0);
    return { tried: 300, refused };
  });
});
