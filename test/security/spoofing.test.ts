/**
 * Origin and identity spoofing: windows that are not the panel (or not the
 * host) speak the protocol, with guessed, replayed or stolen secrets.
 */
import { expect } from 'chai';
import { createHarness, crossOriginFixtures, secretOf, type Harness } from '../browser/bridge/harness.js';
import { waitFor } from '../browser/wait-for.js';
import { ErrorCode, type BridgeLogEntry } from '../../src/index.js';
import { attacks, honestStillWorks, refusedWhen } from './attack.js';

/** A frame the host never mounted, running `script`. */
function stranger(script: string, src?: string): HTMLIFrameElement {
  const frame = document.createElement('iframe');
  if (src) frame.src = src;
  else frame.srcdoc = `<script>${script}<\/script>`;
  document.body.append(frame);
  return frame;
}

describe('security: origin and identity spoofing', () => {
  let h: Harness;
  let log: BridgeLogEntry[];
  const attack = attacks('origin and identity spoofing', () => honestStillWorks(h));
  const strayRefusals = () => log.filter((e) => e.kind === 'rejected' && e.frame === undefined).length;

  beforeEach(async () => {
    log = [];
    h = await createHarness({ timeouts: { handshake: 3000, call: 3000 }, log: (entry) => log.push(entry) });
    await h.mountGuest('honest');
  });

  afterEach(() => {
    h.destroy();
    for (const frame of document.querySelectorAll('iframe[data-stranger]')) frame.remove();
  });

  attack('posts forged protocol messages to the parent before and after its own handshake: each refused', async () => {
    const slot = document.createElement('div');
    h.container.append(slot);
    const spoofer = h.host.mount('app-a', 'spoofer', slot);
    await spoofer.ready;
    await waitFor(() => h.records.find((r) => r.from.panel === 'spoofer' && r.id === 'ready'), 'the spoofer to connect');
    expect(h.records.some((r) => r.id === 'forged' || r.id === 'forged-on-window')).to.equal(false);
    // Before its handshake its window is not the host's yet: one stray line, its data never read. After it, each is refused at the sender check.
    const refused = log.filter((e) => e.kind === 'rejected' && (e.frame === spoofer.id || e.frame === undefined));
    expect(refused.length).to.be.at.least(5);
    expect(refused.every((e) => e.code === ErrorCode.ORIGIN_REJECTED && e.outcome === 'error')).to.equal(true);
    // None of the 19 was served: no forged record, the spoofer's own connection intact.
    const served = h.records.some((r) => r.id === 'forged' || r.id === 'forged-on-window');
    return { tried: 19, refused: served ? 0 : 19 };
  });

  attack("replays a panel's stolen secret from a window the host never mounted: not heard", async () => {
    const honest = h.host.panels[0];
    const secret = JSON.stringify(secretOf(honest.element));
    const frame = stranger(`parent.postMessage({ namespace: 'penpal', type: 'SYN', channel: ${secret}, participantId: 'zz' }, '*');
      parent.postMessage({ namespace: 'penpal', type: 'CALL', channel: ${secret}, id: 'x', methodPath: ['call'], args: ['probe.record', [{ id: 'forged' }]] }, '*');`);
    frame.dataset['stranger'] = '';
    // A window that is no frame of the host: one log line for it, and its messages never read.
    await waitFor(() => strayRefusals() >= 1, 'the stray window to be logged');
    await new Promise((r) => setTimeout(r, 300));
    expect(strayRefusals()).to.equal(1);
    expect(honest.state).to.equal('ready', 'the honest panel was not re-handshaken');
    const served = h.records.some((r) => r.id === 'forged');
    expect(served).to.equal(false);
    return { tried: 2, refused: served ? 0 : 2 };
  });

  attack('replays a stolen secret from a frame of another site: not heard', async () => {
    const honest = h.host.panels[0];
    const secret = secretOf(honest.element);
    // spoofer-guest.html posts forged messages first; with the stolen secret in its fragment it then tries a real handshake.
    const frame = stranger(
      '',
      `${crossOriginFixtures}spoofer-guest.html#sb-secret=${secret}&sb-origin=${encodeURIComponent(location.origin)}`,
    );
    frame.dataset['stranger'] = '';
    // Six forged messages, then the SYN of its real handshake attempt: one line for the window, none of them read.
    await waitFor(() => strayRefusals() >= 1, 'the stray window to be logged');
    await new Promise((r) => setTimeout(r, 500));
    expect(strayRefusals()).to.equal(1);
    expect(honest.state).to.equal('ready');
    const served = h.records.some(
      (r) => r.id === 'forged' || r.id === 'forged-on-window' || (r.id === 'ready' && r.from.panel !== 'remote'),
    );
    expect(served).to.equal(false);
    return { tried: 7, refused: served ? 0 : 7 };
  });

  attack('guesses 1,000 secrets from a window of its own: none heard', async () => {
    const frame = stranger(`for (let i = 0; i < 1000; i++) {
        const guess = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
        parent.postMessage({ namespace: 'penpal', type: 'SYN', channel: guess, participantId: 'g' + i }, '*');
      }`);
    frame.dataset['stranger'] = '';
    await waitFor(() => strayRefusals() >= 1, 'the stray window to be logged');
    await new Promise((r) => setTimeout(r, 300));
    expect(strayRefusals(), 'one line for the window, however much it posts').to.equal(1);
    const states = h.host.panels.map((p) => p.state);
    expect(states).to.deep.equal(['ready']);
    return { tried: 1000, refused: states.length === 1 ? 1000 : 0 };
  });

  attack('posts host-shaped messages to another panel, as if it were its host: the panel does not act on them', async () => {
    await h.mountGuest('evil');
    const honest = h.host.panels[0];
    const channel = secretOf(honest.element);
    // What the host would send to make the honest guest run a command, with its real secret.
    const forged = [
      { namespace: 'penpal', type: 'CALL', channel, id: 'f1', methodPath: ['event'], args: ['cmd', { id: 'forged-cmd', op: 'context' }] },
      { namespace: 'penpal', type: 'SYN', channel, participantId: '~forged' },
      { namespace: 'penpal', type: 'ACK1', channel },
      { namespace: 'penpal', type: 'DESTROY', channel },
    ];
    expect((await h.command('evil', 'postToSiblings', { messages: forged })).value).to.be.greaterThan(0);
    // The honest panel answers a real command after the forged ones: had it run the forged one, its record would be there.
    await honestStillWorks(h);
    const acted = h.records.some((r) => r.id === 'forged-cmd') || honest.state !== 'ready';
    expect(acted).to.equal(false);
    return { tried: forged.length, refused: acted ? 0 : forged.length };
  });

  attack('navigates another panel to a page of its own: SecurityError, the panel stays', async () => {
    await h.mountGuest('evil');
    const honest = h.host.panels[0];
    const src = honest.element.src;
    const answer = await h.command('evil', 'navigateSibling', { to: `${crossOriginFixtures}remote-guest.html` });
    expect(answer.value).to.deep.equal({ blocked: 'SecurityError' });
    expect(honest.element.src).to.equal(src);
    return { refused: refusedWhen(answer.value?.blocked === 'SecurityError') };
  });

  attack('navigates itself to another site mid-call: the call is cut off, the new page is not taken for the panel', async () => {
    await h.mountGuest('evil');
    const evil = h.host.panels.find((p) => p.context['tag'] === 'evil')!;
    h.host.emit('cmd', { id: 'hang', tag: 'evil', op: 'call', method: 'items.hang' });
    await waitFor(() => h.hung.length === 1, 'the call to be in flight');
    // The other site's page knows nothing of the secret; it posts forged messages and cannot connect.
    await h.command('evil', 'navigate', { to: `${crossOriginFixtures}spoofer-guest.html` });
    await waitFor(() => h.hung[0].signal.aborted, 'the call in flight to be cut off');
    await waitFor(() => evil.state === 'error', 'the panel to give up on the new page');
    expect(evil.error?.code).to.equal(ErrorCode.HANDSHAKE_TIMEOUT);
    expect(h.records.some((r) => r.id === 'forged' || r.id === 'forged-on-window')).to.equal(false);
    return { refused: refusedWhen(evil.error?.code === ErrorCode.HANDSHAKE_TIMEOUT) };
  });

  attack('speaks the wire protocol by hand, with malformed messages and prototype lookups: dropped or refused', async () => {
    const slot = document.createElement('div');
    h.container.append(slot);
    const raw = h.host.mount('app-a', 'raw', slot);
    const ready = await h.record('raw', 'ready');
    expect(ready.ok).to.equal(true, 'a correct hello after the garbage still works');
    // Computed keys: a literal `__proto__:` would set the prototype instead of a key.
    expect(ready.value).to.deep.equal({
      ['constructor']: 'METHOD_NOT_FOUND',
      ['__proto__']: 'METHOD_NOT_FOUND',
      call: 'METHOD_NOT_FOUND',
      'hello.apply': 'METHOD_NOT_FOUND',
      toString: 'METHOD_NOT_FOUND',
    });
    expect(Object.keys(ready.value)).to.include('__proto__');
    await h.record('raw', 'done');
    expect(h.records.some((r) => r.id === 'forged')).to.equal(false);
    const dropped = log.filter((e) => e.kind === 'rejected' && e.frame === raw.id).length;
    expect(dropped).to.be.at.least(12, "each malformed message, on penpal's port and on its own, is logged as refused");
    // The malformed messages logged as dropped, and the five prototype lookups answered METHOD_NOT_FOUND.
    const lookups = Object.values(ready.value as Record<string, string>).filter((code) => code === 'METHOD_NOT_FOUND').length;
    return { tried: 17, refused: Math.min(12, dropped) + lookups };
  });
});
