/**
 * Resource abuse: floods, huge and deeply nested payloads, endless events,
 * thousands of windows, a guest that never connects or never answers.
 */
import { expect } from 'chai';
import '../../slots/index.js';
import { createHarness, crossOriginFixtures, fixtureManifest, fixtures, type Harness } from '../browser/bridge/harness.js';
import { waitFor } from '../browser/wait-for.js';
import { createHost, ErrorCode, MemoryStore } from '../../src/index.js';
import { attacks, honestStillWorks, longestStall, refusedWhen } from './attack.js';

describe('security: resource abuse', () => {
  let h: Harness;
  const attack = attacks('resource abuse', () => honestStillWorks(h));

  beforeEach(async () => {
    h = await createHarness({ timeouts: { handshake: 2000, call: 2000 } });
    await h.mountGuest('honest');
    await h.mountGuest('evil');
  });

  afterEach(() => {
    for (const el of document.querySelectorAll('sb-floating-windows')) el.remove();
    h.destroy();
  });

  attack('floods 10,000 calls at once: the excess is RATE_LIMITED, every call settles', async () => {
    const counts = (await h.command('evil', 'flood', { count: 10_000 })).value as Record<string, number>;
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).to.equal(10_000);
    expect(counts[ErrorCode.RATE_LIMITED]).to.be.greaterThan(0);
    expect(counts['ok']).to.be.at.least(1024);
    return { tried: 10_000, refused: counts[ErrorCode.RATE_LIMITED] };
  });

  attack('sends a 100 MB argument: PAYLOAD_TOO_LARGE', async () => {
    const answer = await h.command('evil', 'bigArg', { chars: 50_000_000 });
    expect(answer.code).to.equal(ErrorCode.PAYLOAD_TOO_LARGE);
    return { refused: refusedWhen(answer.code === ErrorCode.PAYLOAD_TOO_LARGE) };
  });

  attack(
    'sends values nested 1,000 and 100,000 deep to storage, events and the platform api: each call settles, the host stays up',
    async () => {
      await h.command('honest', 'listen', { event: 'deep' });
      const answers = [];
      for (const depth of [1_000, 100_000]) {
        answers.push(
          await h.command('evil', 'nested', { depth, method: 'storage.set', before: ['deep'] }),
          await h.command('evil', 'nested', { depth, method: 'events.emit', before: ['deep'], asList: true }),
          await h.command('evil', 'nested', { depth, method: 'ui.notify' }),
        );
      }
      // A notification is `{ message }`: the one the guest's browser could send at all is refused by its schema.
      expect(answers[2].code).to.equal(ErrorCode.INVALID_ARGUMENTS);
      // 100,000 levels do not even leave the guest: its own browser cannot clone them.
      for (const answer of answers.slice(3)) expect(answer.ok).to.equal(false);
      expect((await h.command('evil', 'context')).ok).to.equal(true, 'the guest is still connected');
      return { tried: answers.length, refused: answers.filter((a) => !a.ok).length };
    },
  );

  attack(
    "posts messages of half a million keys on the window, from a panel and from a window that is no frame: the stranger's are never read, the panel is failed at its first and read no more",
    async () => {
      // Half a million keys take seconds to unpack (2 million: 12 s here).
      const keys = 500_000;
      // A window of another site, so that what it does to build the message is not on this page's thread.
      const stranger = document.createElement('iframe');
      stranger.src = `${crossOriginFixtures}big-poster.html?keys=${keys}&count=3`;
      const strangerStall = await longestStall(
        () =>
          new Promise<void>((resolve) => {
            // Counted by source, never read: this page's own listener must not unpack them either.
            let seen = 0;
            const listener = (event: MessageEvent) => {
              if (event.source !== stranger.contentWindow || ++seen < 4) return;
              removeEventListener('message', listener);
              resolve();
            };
            addEventListener('message', listener);
            document.body.append(stranger);
          }),
      );
      stranger.remove();
      const evil = h.host.panels.find((p) => p.context['tag'] === 'evil')!;
      // Its answer never comes: the panel is failed before it can send one.
      h.host.emit('cmd', { id: 'big', tag: 'evil', op: 'postBig', keys, count: 3 });
      const failed = await waitFor(() => evil.state === 'error' || undefined, 'the panel to be failed', 60_000).then(
        () => true,
        () => false,
      );
      const code = evil.error?.code;
      expect(failed, 'the panel that posted it is failed').to.equal(true);
      expect(strangerStall, "the stranger's messages were not unpacked by the host").to.be.below(1000);
      expect(code).to.equal(ErrorCode.PAYLOAD_TOO_LARGE);
      return { tried: 6, refused: refusedWhen(strangerStall < 1000) * 3 + refusedWhen(failed) * 3 };
    },
  );

  attack('sends a notification of 1 MB: INVALID_ARGUMENTS', async () => {
    const answer = await h.command('evil', 'call', { method: 'ui.notify', args: [{ message: 'x'.repeat(1024 * 1024) }] });
    expect(answer.code).to.equal(ErrorCode.INVALID_ARGUMENTS);
    return { refused: refusedWhen(answer.code === ErrorCode.INVALID_ARGUMENTS) };
  });

  attack('emits 20,000 events at its own sibling panel: each settles, the sibling and the host keep working', async () => {
    await h.mountGuest('sibling');
    await h.command('sibling', 'listen', { event: 'spam' });
    const delivered = (await h.command('evil', 'emitFlood', { event: 'spam', count: 20_000 })).value as number;
    expect(delivered).to.be.greaterThan(0);
    expect((await h.command('sibling', 'context')).ok).to.equal(true);
    return { tried: 20_000, refused: 20_000 - delivered };
  });

  attack('opens 2,000 windows: at most limits.maxWindows open, the rest RATE_LIMITED', async () => {
    const windows = document.createElement('sb-floating-windows') as HTMLElement & { host: unknown };
    windows.host = h.host;
    document.body.append(windows);
    await waitFor(() => {
      try {
        return h.host.openPanel('app-a', 'floating', { context: { tag: 'probe-window' } });
      } catch {
        return undefined;
      }
    }, 'the floating windows to register');
    const counts = (await h.command('evil', 'openPanels', { count: 2000, panel: 'floating' })).value as Record<string, number>;
    expect(counts['ok']).to.equal(7, 'eight windows in all with the one the page opened');
    expect(counts[ErrorCode.RATE_LIMITED]).to.equal(1993);
    expect(h.host.panels.filter((p) => p.slot === 'floatingWindow')).to.have.length(8);
    return { tried: 2000, refused: counts[ErrorCode.RATE_LIMITED] };
  });

  attack('writes past 10,000 storage keys: STORAGE_FULL', async () => {
    const storage = h.host.registry.storage('app-a', 'p1');
    // Filled from the host side (quicker than 10,000 round trips); the guest asks for one more.
    await Promise.all(Array.from({ length: 10_000 }, (_, i) => storage.set(`k${i}`, i)));
    const answer = await h.command('evil', 'call', { method: 'storage.set', args: ['one-more', 1] });
    expect(answer.code).to.equal(ErrorCode.STORAGE_FULL);
    return { refused: refusedWhen(answer.code === ErrorCode.STORAGE_FULL) };
  });

  attack(
    'ships wizard filters with nested quantifiers over a source of long names: the platform page is never held for a second',
    async () => {
      const patterns = ['^(a+)+$', '^(a|a)*$', '^(a|aa)*b$', '^(.*a){25}$', '^(?i)(?!(a+)+x)(a*)*$'];
      const rows = Array.from({ length: 200 }, (_, i) => ({ id: `p${i}`, name: `${'a'.repeat(5_000)}!` }));
      const sources = { project: () => rows };
      const manifest = {
        ...fixtureManifest('app-r'),
        wizard: {
          entries: patterns.map((pattern, i) => ({
            name: `pick${i}`,
            title: `Pick ${i}`,
            type: 'dropdown',
            choices: { source: 'project', filter: { fields: { name: pattern } } },
          })),
        },
      };
      const host = createHost({ project: 'p1', user: { id: 'u1' }, store: new MemoryStore(), sources });
      try {
        await host.registry.publish(manifest, { baseUrl: fixtures });
        const stall = await longestStall(async () => {
          for (let i = 0; i < patterns.length; i++) expect(await host.choices('app-r', `pick${i}`)).to.deep.equal([]);
        });
        expect(stall).to.be.below(1000);
        // What has no linear-time form is refused when the app is published.
        const refused = await host.registry
          .publish(
            {
              ...manifest,
              name: 'app-r2',
              wizard: {
                entries: [
                  { name: 'x', title: 'X', type: 'dropdown', choices: { source: 'project', filter: { fields: { name: '(a+)+(?<=b)' } } } },
                ],
              },
            },
            { baseUrl: fixtures },
          )
          .then(
            () => undefined,
            (err: { code: string }) => err.code,
          );
        expect(refused).to.equal(ErrorCode.MANIFEST_INVALID);
        // Each pattern ran without holding the page (what was tried of it is refused), and the backtracking one was refused at publish.
        return {
          tried: patterns.length + 1,
          refused: (stall < 1000 ? patterns.length : 0) + refusedWhen(refused === ErrorCode.MANIFEST_INVALID),
        };
      } finally {
        host.destroy();
      }
    },
  );

  attack('never answers the handshake: HANDSHAKE_TIMEOUT, nothing else held up', async () => {
    const slot = document.createElement('div');
    h.container.append(slot);
    const silent = h.host.mount('app-a', 'silent', slot);
    await honestStillWorks(h);
    const error = await silent.ready.then(
      () => undefined,
      (err: { code: string }) => err,
    );
    expect(error?.code).to.equal(ErrorCode.HANDSHAKE_TIMEOUT);
    return { refused: refusedWhen(error?.code === ErrorCode.HANDSHAKE_TIMEOUT) };
  });

  attack('answers the handshake, then never answers a call: CALL_TIMEOUT, others go on', async () => {
    const execution = h.host.execute('app-a', 'worker.hang');
    await honestStillWorks(h);
    const code = (await execution).error?.code;
    expect(code).to.equal(ErrorCode.CALL_TIMEOUT);
    return { refused: refusedWhen(code === ErrorCode.CALL_TIMEOUT) };
  });

  attack('throws and returns values that cannot be cloned: the call fails, the host does not', async () => {
    const runs = [await h.host.execute('app-a', 'worker.throwUncloneable'), await h.host.execute('app-a', 'worker.uncloneable')];
    for (const run of runs) expect(run.status).to.equal('failed');
    return { tried: 2, refused: runs.filter((run) => run.status === 'failed').length };
  });
});
