/**
 * Fuzzing the protocol: 10,000 arbitrary and mutated messages at the host's
 * listener (half on the window, half on the guest's own port after a real
 * handshake) and 10,000 at a guest's. Nothing throws, nothing is rejected
 * unhandled, the state does not change, and both sides keep answering.
 */
import { expect } from 'chai';
import { createHarness, secretOf, type Harness } from '../browser/bridge/harness.js';
import { waitFor } from '../browser/wait-for.js';
import { attacks, honestStillWorks } from './attack.js';
import { fuzzMessages, isOwnProtocolMessage, portMessages } from './protocol-messages.js';
import type { BridgeLogEntry } from '../../src/index.js';

const SEED = 20261121;
const BATCH = 500;

describe('security: fuzzing the protocol', () => {
  let h: Harness;
  let uncaught: unknown[];
  let log: BridgeLogEntry[];
  const attack = attacks('fuzzing: protocol', async () => {
    expect(uncaught, 'uncaught errors and unhandled rejections on the host page').to.deep.equal([]);
    await honestStillWorks(h);
  });
  const onError = (event: ErrorEvent) => uncaught.push(event.message);
  const onRejection = (event: PromiseRejectionEvent) => uncaught.push(String(event.reason));

  beforeEach(async () => {
    uncaught = [];
    log = [];
    addEventListener('error', onError);
    addEventListener('unhandledrejection', onRejection);
    h = await createHarness({ timeouts: { handshake: 5000, call: 5000 }, log: (entry) => log.push(entry) });
    await h.mountGuest('honest');
    await h.host.registry.storage('app-a', 'p1').set('before', 1);
  });

  afterEach(() => {
    removeEventListener('error', onError);
    removeEventListener('unhandledrejection', onRejection);
    h.destroy();
  });

  /** What a message could have changed: the panels, the app's storage and settings. */
  async function state() {
    return {
      panels: h.host.panels.map((p) => [p.app, p.panel, p.state, p.responding]),
      keys: await h.host.registry.storage('app-a', 'p1').keys(),
      settings: h.host.registry.installation('app-a')?.settings,
    };
  }

  attack('takes 10,000 arbitrary and mutated messages from a panel, on its window and on its port: each dropped or refused', async () => {
    const slot = document.createElement('div');
    h.container.append(slot);
    const panel = h.host.mount('app-a', 'fuzz', slot);
    await h.record('fuzz', 'ready');
    const secret = secretOf(panel.element);
    const before = await state();
    let sent = 0;
    for (const via of ['window', 'port'] as const) {
      // A well-formed handshake message restarts the panel's own connection, and a DESTROY ends it: the panel's
      // right, not an attack. A `hello` or `bye` call does the same. Everything else must change nothing.
      // On its own port, a BYE (`[3]`) ends the document's connection: the panel's right too.
      const messages =
        via === 'window'
          ? fuzzMessages(secret, 5000, SEED, (m) => {
              if (isOwnProtocolMessage(m, secret, ['SYN', 'ACK1', 'ACK2', 'DESTROY'])) return false;
              const path = (m as { methodPath?: unknown } | null)?.methodPath;
              return !(Array.isArray(path) && path[0] === 'hello');
            })
          : portMessages(5500, SEED + 1)
              .filter((m) => !(Array.isArray(m) && m.length === 1 && m[0] === 3))
              .slice(0, 5000);
      for (let i = 0; i < messages.length; i += BATCH) {
        const id = `${via}-${i}`;
        panel.element.contentWindow!.postMessage({ sbFuzz: id, via, messages: messages.slice(i, i + BATCH) }, '*');
        await h.record('fuzz', id);
        sent += Math.min(BATCH, messages.length - i);
      }
    }
    expect(sent).to.equal(10_000);
    expect(await state()).to.deep.equal(before);
    expect(panel.state).to.equal('ready');
    // On the window, past the few messages a handshake needs, nothing more is read this load: one log line says so.
    const cut = log.filter((e) => e.frame === panel.id && e.kind === 'rejected' && /messages on the window in one load/.test(e.name));
    expect(cut.length).to.equal(1);
    // On the port, what the host's log shows: messages dropped by the sender checks, and calls answered with an error.
    // The rest were not protocol-shaped at all (ignored unlogged) or were replies to nothing.
    const refused = log.filter((e) => e.frame === panel.id && e.outcome === 'error' && (e.kind === 'rejected' || e.kind === 'call')).length;
    expect(refused).to.be.greaterThan(4000);
    return { tried: sent, refused: sent };
  });

  attack('a guest takes 10,000 arbitrary and mutated messages on its window: no error in its page, it keeps working', async () => {
    await h.mountGuest('target');
    const target = h.host.panels.find((p) => p.context['tag'] === 'target')!;
    const secret = secretOf(target.element);
    // This page is the guest's host, so well-formed messages of its own are trusted: the fuzz keeps to the rest.
    const messages = fuzzMessages(
      secret,
      10_000,
      SEED + 2,
      (m) => !isOwnProtocolMessage(m, secret, ['SYN', 'ACK1', 'ACK2', 'DESTROY', 'CALL', 'REPLY', 'list']),
    );
    const before = await state();
    for (let i = 0; i < messages.length; i += BATCH) {
      for (const message of messages.slice(i, i + BATCH)) target.element.contentWindow!.postMessage(message, '*');
      // A command after the batch: the guest has handled the batch (messages arrive in order) and still answers.
      expect((await h.command('target', 'context')).ok).to.equal(true);
    }
    const pageErrors = (await h.command('target', 'pageErrors')).value;
    expect(pageErrors).to.equal(0);
    expect(await state()).to.deep.equal(before);
    await waitFor(() => target.state === 'ready', 'the guest to stay ready');
    // The guest drops what is not its host's: none of it raised an error in its page or changed a thing.
    return { tried: messages.length, refused: pageErrors === 0 ? messages.length : 0 };
  });
});
