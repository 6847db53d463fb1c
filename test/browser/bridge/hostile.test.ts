/**
 * Hostile guests: each attack must fail, and the host and a second, honest
 * panel must keep working while and after it runs.
 */
import { expect } from 'chai';
import { createHarness, type Harness } from './harness.js';
import { waitFor } from '../wait-for.js';
import { ErrorCode, type BridgeLogEntry } from '../../../src/index.js';

describe('hostile guests', () => {
  let h: Harness;
  let log: BridgeLogEntry[];

  beforeEach(async () => {
    log = [];
    h = await createHarness({ timeouts: { handshake: 2000, call: 2000 }, log: (entry) => log.push(entry) });
    await h.mountGuest('honest');
  });

  afterEach(() => h.destroy());

  /** The honest panel still gets answers, and the host still takes new work. */
  async function honestStillWorks(): Promise<void> {
    const answer = await h.command('honest', 'call', { method: 'items.get', args: ['still-here'] });
    expect(answer.value).to.deep.equal({ id: 'still-here', name: 'Item still-here' });
    expect((await h.host.execute('app-a', 'worker.double', { n: 2 })).outputs).to.deep.equal({ result: 4 });
  }

  it('calls a method it was not granted: PERMISSION_DENIED', async () => {
    await h.mountGuest('evil');
    expect((await h.command('evil', 'call', { method: 'items.remove', args: ['i1'] })).code).to.equal(ErrorCode.PERMISSION_DENIED);
    await honestStillWorks();
  });

  it('calls constructor, __proto__ and unknown methods: METHOD_NOT_FOUND', async () => {
    await h.mountGuest('evil');
    for (const [ns, m] of [['constructor', 'call'], ['__proto__', 'x'], ['items', 'constructor'], ['items', '__proto__'], ['x', 'y']]) {
      expect((await h.command('evil', 'rawCall', { ns, m })).code).to.equal(ErrorCode.METHOD_NOT_FOUND, `${ns}.${m}`);
    }
    await honestStillWorks();
  });

  it('speaks the wire protocol by hand with malformed messages and prototype lookups: dropped or refused', async () => {
    const slot = document.createElement('div');
    h.container.append(slot);
    const raw = h.host.mount('app-a', 'raw', slot);
    const ready = await h.record('raw', 'ready');
    expect(ready.ok).to.equal(true, 'a correct hello after the garbage still works');
    // Computed keys: a literal `__proto__:` would set the prototype instead of a key.
    expect(ready.value).to.deep.equal({
      ['constructor']: 'METHOD_NOT_FOUND',
      ['__proto__']: 'METHOD_NOT_FOUND',
      'call.constructor': 'METHOD_NOT_FOUND',
      'hello.apply': 'METHOD_NOT_FOUND',
      toString: 'METHOD_NOT_FOUND',
    });
    expect(Object.keys(ready.value)).to.include('__proto__');
    await h.record('raw', 'done');
    expect(h.records.some((r) => r.id === 'forged')).to.equal(false);
    expect(log.filter((e) => e.kind === 'rejected' && e.frame === raw.id).length).to.be.at.least(6, 'each malformed message is logged as refused');
    await honestStillWorks();
  });

  it('posts forged protocol messages to the parent before and after its handshake: ignored', async () => {
    const slot = document.createElement('div');
    h.container.append(slot);
    const spoofer = h.host.mount('app-a', 'spoofer', slot);
    await spoofer.ready;
    await waitFor(() => h.records.find((r) => r.from.panel === 'spoofer' && r.id === 'ready'), 'the spoofer to connect');
    expect(h.records.some((r) => r.id === 'forged' || r.id === 'forged-on-window')).to.equal(false);
    const refused = log.filter((e) => e.kind === 'rejected' && e.frame === spoofer.id);
    expect(refused.length).to.be.at.least(8);
    expect(refused.every((e) => e.code === ErrorCode.ORIGIN_REJECTED && e.outcome === 'error')).to.equal(true);
    await honestStillWorks();
  });

  it('pretends to be another frame: a window that is no frame of the host is not heard', async () => {
    // A same-page window (here, a frame the host never mounted) replays a real frame's secret.
    const honest = h.host.panels[0]!;
    const secret = new URLSearchParams(new URL(honest.element.src).hash.slice(1)).get('sb-secret');
    const stranger = document.createElement('iframe');
    stranger.srcdoc = `<script>parent.postMessage({ namespace: 'penpal', type: 'SYN', channel: ${JSON.stringify(secret)}, participantId: 'zz' }, '*');
      parent.postMessage({ namespace: 'penpal', type: 'CALL', channel: ${JSON.stringify(secret)}, id: 'x', methodPath: ['call'], args: ['probe.record', [{ id: 'forged' }]] }, '*');<\/script>`;
    document.body.append(stranger);
    await waitFor(() => log.some((e) => e.kind === 'rejected' && e.frame === undefined), 'the stray message to be logged');
    stranger.remove();
    expect(honest.state).to.equal('ready', 'the honest panel was not re-handshaken');
    expect(h.records.some((r) => r.id === 'forged')).to.equal(false);
    await honestStillWorks();
  });

  it('floods 10,000 calls at once: the excess is RATE_LIMITED, every call settles', async () => {
    await h.mountGuest('evil');
    const result = await h.command('evil', 'flood', { count: 10_000 });
    const counts = result.value as Record<string, number>;
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).to.equal(10_000);
    expect(counts[ErrorCode.RATE_LIMITED]).to.be.greaterThan(0);
    expect(counts['ok']).to.be.at.least(1024);
    await honestStillWorks();
  });

  it('sends a 100 MB argument: PAYLOAD_TOO_LARGE', async () => {
    await h.mountGuest('evil');
    const result = await h.command('evil', 'bigArg', { chars: 50_000_000 });
    expect(result.code).to.equal(ErrorCode.PAYLOAD_TOO_LARGE);
    await honestStillWorks();
  });

  it('never answers the handshake: HANDSHAKE_TIMEOUT, and nothing else is held up', async () => {
    const slot = document.createElement('div');
    h.container.append(slot);
    const silent = h.host.mount('app-a', 'silent', slot);
    await honestStillWorks();
    const error = await silent.ready.then(() => undefined, (err: { code: string }) => err);
    expect(error?.code).to.equal(ErrorCode.HANDSHAKE_TIMEOUT);
    await honestStillWorks();
  });

  it('answers the handshake, then hangs forever: its calls time out, others go on', async () => {
    const execution = h.host.execute('app-a', 'worker.hang');
    await honestStillWorks();
    expect((await execution).error?.code).to.equal(ErrorCode.CALL_TIMEOUT);
    await honestStillWorks();
  });

  it('throws and returns values that cannot be cloned: the call fails, the host does not', async () => {
    expect((await h.host.execute('app-a', 'worker.throwUncloneable')).status).to.equal('failed');
    expect((await h.host.execute('app-a', 'worker.uncloneable')).status).to.equal('failed');
    await honestStillWorks();
  });

  it('tries to read parent.document: SecurityError', async () => {
    await h.mountGuest('evil');
    expect((await h.command('evil', 'readParent')).value).to.deep.equal({ blocked: 'SecurityError' });
    await honestStillWorks();
  });
});
