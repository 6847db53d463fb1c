/**
 * Faults: a guest stuck in an endless loop, a frame removed mid-call, the
 * store failing midway through a write.
 */
import { expect } from 'chai';
import { executeServerCommand } from '@web/test-runner-commands';
import { createHarness, crossOriginFixtures, fixtureManifest, type Harness } from '../browser/bridge/harness.js';
import { waitFor } from '../browser/wait-for.js';
import { createHost, ErrorCode, IndexedDbStore } from '../../src/index.js';
import type { StoreWrite } from '../../src/registry/store/registry-store.js';
import { attacks, honestStillWorks, refusedWhen } from './attack.js';

/** An IndexedDB store whose next write fails after its own requests ran, inside the same transaction. */
class FaultyStore extends IndexedDbStore {
  failNext = false;
  override write(writes: readonly StoreWrite[]): Promise<void> {
    if (!this.failNext) return super.write(writes);
    this.failNext = false;
    // A value IndexedDB cannot clone, written last: the transaction aborts midway.
    const poison = { type: 'putStorage', project: 'p1', app: 'app-a', key: 'poison', value: () => 0 } as unknown as StoreWrite;
    return super.write([...writes, poison]);
  }
}

describe('security: faults', () => {
  let h: Harness;
  const attack = attacks('faults', () => honestStillWorks(h));

  afterEach(() => h.destroy());

  attack(
    'a guest of another site loops endlessly: it is marked not responding, the other panels are answered, and it recovers',
    async () => {
      h = await createHarness({ timeouts: { handshake: 5000, call: 5000, heartbeat: 100 } });
      await h.mountGuest('honest');
      await h.host.registry.publish(fixtureManifest('app-far'), { baseUrl: crossOriginFixtures });
      await h.host.registry.install('app-far');
      const spinner = await h.mountGuest('spinner', { app: 'app-far' });
      const changes: boolean[] = [];
      h.host.on('panel:responding', (panel, responding) => panel === spinner && changes.push(responding));
      expect(spinner.responding).to.equal(true);
      await h.command('spinner', 'spin', { ms: 3000 });
      await waitFor(() => !spinner.responding, 'the looping panel to be marked not responding');
      // Its own process loops; this page and its other panels do not wait for it.
      await honestStillWorks(h);
      expect(spinner.state).to.equal('ready');
      await waitFor(() => spinner.responding, 'the panel to answer again once its loop ends');
      expect(changes).to.deep.equal([false, true]);
      return { refused: refusedWhen(!changes[0]) };
    },
  );

  attack('the page removes a module frame mid-call: the call fails with CONNECTION_LOST, not a timeout', async () => {
    h = await createHarness({ timeouts: { handshake: 5000, call: 60_000, heartbeat: 100 } });
    await h.mountGuest('honest');
    const execution = h.host.execute('app-a', 'worker.hang');
    const frame = await waitFor(() => document.querySelector<HTMLIFrameElement>('iframe[data-sb-panel="worker"]'), 'the module frame');
    await waitFor(() => h.host.liveCounts.frames === 2, 'the module to start');
    frame.remove();
    const result = await execution;
    expect(result.error?.code).to.equal(ErrorCode.CONNECTION_LOST);
    await waitFor(() => h.host.liveCounts.frames === 1, 'the removed frame to be closed');
    return { refused: refusedWhen(result.error?.code === ErrorCode.CONNECTION_LOST) };
  });

  attack(
    'a guest of another site crashes mid-call: the host is not held up, the panel is marked not responding, its call fails',
    async () => {
      h = await createHarness({ timeouts: { handshake: 5000, call: 3000, heartbeat: 100 } });
      await h.mountGuest('honest');
      await h.host.registry.publish(fixtureManifest('app-far'), { baseUrl: crossOriginFixtures });
      await h.host.registry.install('app-far');
      const crashing = await h.mountGuest('crashing', { app: 'app-far' });
      let moduleReady = false;
      h.host.on(
        'panel:state',
        (frame, state) => (moduleReady ||= frame.app === 'app-far' && frame.panel === 'worker' && state === 'ready'),
      );
      const execution = h.host.execute('app-far', 'worker.hang');
      await waitFor(() => moduleReady, 'the module to connect');
      expect(await executeServerCommand('crash-frame', { url: '127.0.0.1' })).to.equal(true);
      await waitFor(() => !crashing.responding, 'the crashed panel to be marked not responding');
      await honestStillWorks(h);
      const result = await execution;
      expect([ErrorCode.CALL_TIMEOUT, ErrorCode.CONNECTION_LOST]).to.include(result.error?.code);
      return { refused: refusedWhen(result.status === 'failed' && !crashing.responding) };
    },
  );

  attack(
    'the store fails midway through uninstalling: the old state is whole, in memory and on disk, and the caller gets the error',
    async () => {
      const name = `faulty-${Math.random().toString(36).slice(2)}`;
      const store = new FaultyStore(name);
      h = await createHarness({ store, timeouts: { handshake: 5000, call: 5000 } });
      await h.mountGuest('honest');
      await h.host.registry.storage('app-a', 'p1').set('kept', 'value');
      await h.host.registry.setSetting('app-a', 'configuration.level', 3);
      store.failNext = true;
      const error = await h.host.registry.uninstall('app-a').then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(error, 'the caller gets the error').to.not.equal(undefined);
      const kept = h.host.registry.installation('app-a')?.settings;
      expect(kept).to.deep.equal({ hyperparams: {}, configuration: { level: 3 } });
      expect(await h.host.registry.storage('app-a', 'p1').get('kept')).to.equal('value');
      // A fresh page on the same database sees the same.
      const again = createHost({ project: 'p1', user: { id: 'u1' }, store: new IndexedDbStore(name) });
      try {
        await again.ready;
        expect(again.registry.installation('app-a')?.settings).to.deep.equal({ hyperparams: {}, configuration: { level: 3 } });
        expect(await again.registry.storage('app-a', 'p1').get('kept')).to.equal('value');
        expect(await again.registry.storage('app-a', 'p1').get('poison')).to.equal(undefined);
      } finally {
        again.destroy();
        await new Promise((r) => setTimeout(r, 0));
        indexedDB.deleteDatabase(name);
      }
      return { refused: refusedWhen(error !== undefined && kept !== undefined) };
    },
  );

  attack(
    'the page reloads in the middle of saving settings, ten times: each load finds the old or the new values, never a mix, and nothing that was saved is lost',
    async () => {
      h = await createHarness({ timeouts: { handshake: 5000, call: 5000 } });
      await h.mountGuest('honest');
      const db = `saver-${Math.random().toString(36).slice(2)}`;
      const messages: { saver: string; n?: number; found?: Record<string, number> }[] = [];
      const onMessage = (event: MessageEvent) => {
        if (typeof event.data?.saver === 'string') messages.push(event.data);
      };
      addEventListener('message', onMessage);
      const page = document.createElement('iframe');
      page.src = `/test/fixtures/settings-saver.html#db=${db}`;
      document.body.append(page);
      let whole = 0;
      try {
        let lastSaved = 0;
        for (let round = 0; round <= 10; round++) {
          const loaded = await waitFor(() => messages.find((m) => m.saver === 'loaded'), `load ${round}`);
          const { a, b, c } = loaded.found ?? {};
          expect(a === b && b === c, `load ${round} found ${JSON.stringify(loaded.found)}`).to.equal(true);
          expect(a ?? 0, 'every save that landed is there').to.be.at.least(lastSaved);
          if (round > 0) whole += refusedWhen(a === b && b === c && (a ?? 0) >= lastSaved);
          messages.length = 0;
          if (round === 10) break;
          // Let a few saves land (a different number each round), then reload while the next one runs.
          const target = (a ?? 0) + 1 + (round % 4);
          await waitFor(() => messages.some((m) => m.saver === 'saved' && m.n! >= target), `save ${target}`);
          lastSaved = Math.max(...messages.filter((m) => m.saver === 'saved').map((m) => m.n!));
          messages.length = 0;
          page.contentWindow!.location.reload();
        }
      } finally {
        removeEventListener('message', onMessage);
        page.remove();
        indexedDB.deleteDatabase(db);
      }
      // Each of the ten reloads mid-save that left the settings whole.
      return { tried: 10, refused: whole };
    },
  );
});
