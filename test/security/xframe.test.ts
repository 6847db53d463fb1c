/**
 * Dataloop's xFrame protocol, as the `dataloop` adapter speaks it: forged
 * joins and channel ids, replies to nothing, code and rpc, floods, oversized
 * and malformed messages, a panel that navigates, and fuzzing. After each
 * case the host and an honest Dataloop panel still answer.
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
  type BridgeLogEntry,
  type Host,
  type PanelHandle,
} from '../../src/index.js';
import { dataloopBridge } from '../../src/dataloop/index.js';
import { crossOriginFixtures, fixtureManifest } from '../browser/bridge/harness.js';
import { waitFor } from '../browser/wait-for.js';
import { attacks } from './attack.js';

const dataloopApi = defineApi({
  project: {
    read: method({ input: z.tuple([z.string().check(z.maxLength(100))]), permission: 'projects:read' }, (id) => ({
      id,
      name: 'Shapes Lab',
    })),
    /** Answers once the test opens the gate. */
    held: method({ input: z.tuple([z.string()]), permission: 'projects:read' }, (id) => gate.then(() => ({ id }))),
  },
});

type Responses = Record<string, { data?: unknown; error?: string; message?: string }>;

let open = (): void => {};
let gate = Promise.resolve();

describe('security: xFrame (Dataloop panels)', () => {
  let host: Host;
  let container: HTMLElement;
  let log: BridgeLogEntry[];
  let honest: PanelHandle;
  let asked = 0;
  const events: { panel: PanelHandle; name: string; payload: any }[] = [];
  const uncaught: unknown[] = [];
  const onError = (event: ErrorEvent) => uncaught.push(event.error ?? event.message);
  const onRejection = (event: PromiseRejectionEvent) => uncaught.push(event.reason);

  /** The honest panel reads the project again and reports it. */
  async function honestStillWorks(): Promise<void> {
    const n = ++asked;
    host.emit('ask', n, { app: 'honest-app' });
    const answer = await waitFor(
      () => events.find((e) => e.panel === honest && e.name === 'answer' && e.payload.n === n),
      'the honest panel to answer',
    );
    expect(answer.payload.answer).to.deep.equal({ data: { id: 'shapes-lab', name: 'Shapes Lab' } });
    expect(honest.state).to.equal('ready');
    expect(uncaught).to.deep.equal([], 'no uncaught error on the host page');
  }
  const attack = attacks('xFrame', honestStillWorks);

  async function publish(name: string, scenario: string): Promise<void> {
    const manifest = {
      name,
      version: '1.0.0',
      components: { panels: [{ name: 'main', url: `xframe-guest.html?scenario=${scenario}`, supportedSlots: [{ type: 'itemViewer' }] }] },
    };
    await host.registry.publish(manifest, { baseUrl: crossOriginFixtures, bridge: 'dataloop', permissions: ['projects:read'] });
    await host.registry.install(name);
  }

  /** Mounts a panel of the fixture in `scenario` and resolves with what it reports as its results. */
  async function run(scenario: string, timeout = 30_000): Promise<{ panel: PanelHandle; results: Responses }> {
    await publish(`xframe-${scenario}`, scenario);
    const panel = host.mount(`xframe-${scenario}`, 'main', container.appendChild(document.createElement('div')));
    const report = await waitFor(
      () => events.find((e) => e.panel === panel && e.name === 'results'),
      `the ${scenario} panel's results`,
      timeout,
    );
    return { panel, results: report.payload };
  }

  beforeEach(async () => {
    log = [];
    events.length = 0;
    uncaught.length = 0;
    addEventListener('error', onError);
    addEventListener('unhandledrejection', onRejection);
    container = document.body.appendChild(document.createElement('div'));
    host = createHost({
      project: 'shapes-lab',
      user: { id: 'u1', name: 'Ada' },
      store: new MemoryStore(),
      bridges: { dataloop: dataloopBridge({ api: dataloopApi }) },
      timeouts: { handshake: 5000 },
      limits: { maxPayload: 100_000 },
      log: (entry) => log.push(entry),
    });
    host.on('panel:event', (panel, { name, payload }) => events.push({ panel, name, payload }));
    await publish('honest-app', 'honest');
    honest = host.mount('honest-app', 'main', container.appendChild(document.createElement('div')));
    await honest.ready;
  });

  afterEach(() => {
    host.destroy();
    container.remove();
    removeEventListener('error', onError);
    removeEventListener('unhandledrejection', onRejection);
  });

  attack(
    'sends requests the host must refuse (unknown scope or verb, code, rpc, oversized, mistyped): each answered at once with its code',
    async () => {
      const { results } = await run('refused');
      const codes = Object.fromEntries(Object.entries(results).map(([id, r]) => [id, r.error]));
      expect(codes).to.deep.equal({
        'unknown-scope': ErrorCode.METHOD_NOT_FOUND,
        'unknown-verb': ErrorCode.METHOD_NOT_FOUND,
        code: ErrorCode.METHOD_NOT_FOUND,
        rpc: ErrorCode.METHOD_NOT_FOUND,
        'bad-agent': ErrorCode.INVALID_ARGUMENTS,
        'bad-scope-name': ErrorCode.METHOD_NOT_FOUND,
        big: ErrorCode.PAYLOAD_TOO_LARGE,
        'wrong-type': ErrorCode.INVALID_ARGUMENTS,
      });
      return { tried: 8, refused: Object.values(results).filter((r) => r.error !== undefined && r.data === undefined).length };
    },
  );

  attack(
    'posts messages on another channel, joins, replies to nothing, non-xFrame and malformed messages: none served, each logged',
    async () => {
      const { panel, results } = await run('dropped');
      expect(Object.keys(results)).to.deep.equal(['after'], 'only the honest request was answered');
      expect(results['after']).to.deep.equal({ data: { id: 'shapes-lab', name: 'Shapes Lab' } });
      const refused = log.filter((e) => e.kind === 'rejected' && e.frame === panel.id);
      expect(refused.every((e) => e.code === ErrorCode.ORIGIN_REJECTED)).to.equal(true);
      // The forged response is ignored without a log line: a response to nothing is not an attack on anything.
      expect(refused.length).to.equal(6);
      return { tried: 7, refused: refused.length + 1 };
    },
  );

  attack('floods 3,000 requests at once: the in-flight limit answers the excess with RATE_LIMITED, the rest are served', async () => {
    // The first 1,024 are held until the host has refused all the rest: what is refused does not depend on timing.
    gate = new Promise((resolve) => (open = resolve));
    const limitedSoFar = () => log.filter((e) => e.code === ErrorCode.RATE_LIMITED).length;
    void waitFor(() => limitedSoFar() >= 3000 - 1024, 'the excess to be refused', 60_000).then(() => open());
    const { results } = await run('flood', 60_000);
    expect(results).to.deep.equal({ [ErrorCode.RATE_LIMITED]: 3000 - 1024, ok: 1024 });
    return { tried: 3000 - 1024, refused: (results as unknown as Record<string, number>)[ErrorCode.RATE_LIMITED] };
  });

  attack(
    'sends 5,000 events to the platform at once: at most limits.maxEvents reach it in a second, the rest dropped with one log line',
    async () => {
      const { panel } = await run('eventFlood');
      const spam = events.filter((e) => e.panel === panel && e.name === 'spam').length;
      const limited = log.filter((e) => e.frame === panel.id && e.code === ErrorCode.RATE_LIMITED);
      expect(spam).to.be.at.most(200).and.at.least(1);
      expect(limited.length, 'one line for the flood').to.be.within(1, 2);
      return { tried: 5000, refused: 5000 - spam };
    },
  );

  attack('fuzzes the host with 10,000 arbitrary and mutated xFrame messages: no uncaught error, and it still answers', async () => {
    const { panel, results } = await run('fuzz', 90_000);
    expect(results['after']).to.deep.equal({ data: { id: 'shapes-lab', name: 'Shapes Lab' } });
    expect(uncaught).to.deep.equal([]);
    // Refused: dropped at the checks, or answered with an error; the rest were well-formed requests (events, navigation) and served.
    const refused = log.filter((e) => e.frame === panel.id && e.outcome === 'error').length;
    expect(refused).to.be.greaterThan(5000);
    return { tried: 10_000, refused };
  });

  attack('forged joins and requests from windows the host never mounted: not heard', async () => {
    const stranger = document.createElement('iframe');
    stranger.srcdoc = `<script>for (let i = 0; i < 50; i++) {
      parent.postMessage({ xFrame: true, id: 'j' + i, type: 'join', sync: true, channelId: crypto.randomUUID(), data: {} }, '*');
      parent.postMessage({ xFrame: true, id: 'r' + i, type: 'request', sync: true, channelId: crypto.randomUUID(), data: { type: 'app', data: { scope: 'project', crud: 'read', data: 'shapes-lab' } } }, '*');
    }<\/script>`;
    document.body.append(stranger);
    // A window that is no frame of the host: one log line for it, its messages never read.
    await waitFor(() => log.filter((e) => e.kind === 'rejected' && e.frame === undefined).length >= 1, 'the stranger to be logged');
    await new Promise((r) => setTimeout(r, 300));
    stranger.remove();
    expect(log.filter((e) => e.kind === 'rejected' && e.frame === undefined).length).to.equal(1);
    const served = log.some((e) => e.kind === 'call' && e.frame === undefined);
    expect(served).to.equal(false);
    return { tried: 100, refused: served ? 0 : 100 };
  });

  attack(
    'an app asks for a window with a real origin (popups that escape the sandbox) on a page with Dataloop panels: refused, whatever protocol it speaks',
    async () => {
      // A popup with a real origin can send the jssdk a join, and the jssdk then runs the code it sends inside the Dataloop panel.
      const asks = [
        ['allow-popups', 'allow-popups-to-escape-sandbox'],
        ['allow-popups-to-escape-sandbox'],
        ['allow-forms', 'allow-popups-to-escape-sandbox', 'allow-popups'],
      ];
      let refused = 0;
      for (const [i, sandbox] of asks.entries()) {
        const native = fixtureManifest(`escaper-${i}`);
        native.components.panels = [
          { name: 'remote', url: 'remote-guest.html', sandbox, supportedSlots: [{ type: 'itemViewer' }] },
        ] as typeof native.components.panels;
        await host.registry.publish(native, { baseUrl: crossOriginFixtures });
        await host.registry.install(native.name);
        const dataloop = {
          name: `dl-escaper-${i}`,
          version: '1.0.0',
          components: {
            panels: [{ name: 'main', url: 'xframe-guest.html?scenario=honest', sandbox, supportedSlots: [{ type: 'itemViewer' }] }],
          },
        };
        await host.registry.publish(dataloop, { baseUrl: crossOriginFixtures, bridge: 'dataloop', permissions: ['projects:read'] });
        await host.registry.install(dataloop.name);
        for (const [app, panel] of [
          [native.name, 'remote'],
          [dataloop.name, 'main'],
        ] as const) {
          const before = host.panels.length;
          let error: unknown;
          try {
            host.mount(app, panel, container.appendChild(document.createElement('div')));
          } catch (err) {
            error = err;
          }
          expect(error, `${app} ${sandbox.join(' ')}`)
            .to.be.instanceOf(SlotbridgeError)
            .with.property('code', ErrorCode.UNSAFE_SANDBOX);
          expect((error as Error).message).to.match(/real origin/);
          expect(host.panels.length, 'no frame was made').to.equal(before);
          refused++;
        }
      }
      // Popups that stay in the sandbox have an opaque origin, which the jssdk refuses: those are still allowed.
      const popups = fixtureManifest('popups-only');
      popups.components.panels = [
        { name: 'remote', url: 'remote-guest.html', sandbox: ['allow-popups'], supportedSlots: [{ type: 'itemViewer' }] },
      ] as typeof popups.components.panels;
      await host.registry.publish(popups, { baseUrl: crossOriginFixtures });
      await host.registry.install('popups-only');
      const allowed = host.mount('popups-only', 'remote', container.appendChild(document.createElement('div')));
      expect(allowed.element.getAttribute('sandbox')).to.equal('allow-scripts allow-popups');
      allowed.close();
      return { tried: asks.length * 2, refused };
    },
  );

  attack(
    'a platform gives every frame a real origin (allow-same-origin, escaping popups) beside the Dataloop adapter: createHost refuses to start',
    async () => {
      const extras = [['allow-same-origin'], ['allow-popups', 'allow-popups-to-escape-sandbox'], ['allow-forms', 'allow-same-origin']];
      let refused = 0;
      for (const sandbox of extras) {
        let error: unknown;
        try {
          createHost({
            project: 'p',
            user: { id: 'u' },
            store: new MemoryStore(),
            sandbox,
            bridges: { dataloop: dataloopBridge({ api: dataloopApi }) },
          }).destroy();
        } catch (err) {
          error = err;
        }
        expect(error, sandbox.join(' ')).to.be.instanceOf(SlotbridgeError).with.property('code', ErrorCode.UNSAFE_SANDBOX);
        expect((error as Error).message).to.match(/dataloop/);
        refused++;
      }
      return { tried: extras.length, refused };
    },
  );

  attack('a panel that navigates itself: the calls of the old document end, the new document gets a join of its own', async () => {
    await publish('xframe-nav', 'honest');
    const panel = host.mount('xframe-nav', 'main', container.appendChild(document.createElement('div')));
    await panel.ready;
    const states: string[] = [];
    host.on('panel:state', (p, state) => p === panel && states.push(state));
    // The page replaces itself (a new document in the same frame): the host joins it on its load.
    panel.element.src = panel.element.src.replace('scenario=honest', 'scenario=honest&again');
    await waitFor(() => states.includes('connecting') && panel.state === 'ready', 'the new document to be joined');
    host.emit('ask', 99, { app: 'xframe-nav' });
    const answer = await waitFor(
      () => events.find((e) => e.panel === panel && e.name === 'answer' && e.payload.n === 99),
      'the new document to answer',
    );
    expect(answer.payload.answer.data).to.deep.equal({ id: 'shapes-lab', name: 'Shapes Lab' });
    // The old document's connection was dropped: the frame went back to connecting before the new join.
    return { refused: states.includes('connecting') ? 1 : 0 };
  });
});
