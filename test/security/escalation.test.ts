/**
 * Permission escalation: a guest of app-a reaches for what it was not
 * granted, and for app-b's storage, settings, reports, events, panels,
 * functions and artifacts.
 */
import { expect } from 'chai';
import { artifactManifest, createHarness, fixtures, type Harness } from '../browser/bridge/harness.js';
import { ErrorCode } from '../../src/index.js';
import { attacks, honestStillWorks, refusedWhen } from './attack.js';

describe('security: permission escalation', () => {
  let h: Harness;
  const attack = attacks('permission escalation', () => honestStillWorks(h));

  beforeEach(async () => {
    h = await createHarness({ apps: ['app-a', 'app-b'], timeouts: { handshake: 5000, call: 5000 } });
    await h.mountGuest('honest');
    await h.mountGuest('evil', { app: 'app-b' });
  });

  afterEach(() => h.destroy());

  const call = async (tag: string, method: string, args: unknown[] = []) => h.command(tag, 'call', { method, args });

  attack('calls a platform method it was not granted: PERMISSION_DENIED', async () => {
    const answer = await call('evil', 'items.remove', ['i1']);
    expect(answer.code).to.equal(ErrorCode.PERMISSION_DENIED);
    return { refused: refusedWhen(answer.code === ErrorCode.PERMISSION_DENIED) };
  });

  attack(
    'keeps calling what a re-install took away, from the open panel, a reloaded one and one mounted later: PERMISSION_DENIED at once, supports() says no',
    async () => {
      expect((await call('evil', 'items.get', ['i1'])).ok).to.equal(true, 'granted at first');
      expect((await h.command('evil', 'supports', { method: 'items.get' })).value).to.equal(true);
      await h.host.registry.install('app-b', { grant: ['probe:write'] });
      const denied = [await call('evil', 'items.get', ['i1'])];
      expect((await h.command('evil', 'supports', { method: 'items.get' })).value).to.equal(false, 'the guest was told');
      // Retry: the same panel in a fresh frame.
      const evil = h.host.panels.find((p) => p.context['tag'] === 'evil')!;
      h.records.splice(0, h.records.length);
      evil.reload();
      await h.record('evil', 'ready');
      denied.push(await call('evil', 'items.get', ['i1']));
      // A frame started after the change, as a module is.
      await h.mountGuest('late', { app: 'app-b' });
      denied.push(await call('late', 'items.get', ['i1']));
      for (const answer of denied) expect(answer.code).to.equal(ErrorCode.PERMISSION_DENIED);
      // Granting it back works the same way, without a reload.
      await h.host.registry.install('app-b', { grant: ['probe:write', 'items:read'] });
      expect((await call('late', 'items.get', ['i1'])).ok).to.equal(true);
      return { tried: 3, refused: denied.filter((a) => a.code === ErrorCode.PERMISSION_DENIED).length };
    },
  );

  attack(
    "emits the host's own events (context, theme, settings, sb:capabilities) to its sibling frames: PERMISSION_DENIED, the sibling keeps the truth",
    async () => {
      await h.mountGuest('sibling', { app: 'app-b' });
      const names = ['context', 'theme', 'locale', 'settings', 'sb:capabilities', 'sb:ping'];
      const answers = [];
      for (const name of names)
        answers.push(
          await call('evil', 'events.emit', [name, name === 'sb:capabilities' ? ['items.remove'] : { project: 'forged', app: 'app-a' }]),
        );
      for (const answer of answers) expect(answer.code).to.equal(ErrorCode.PERMISSION_DENIED);
      const context = (await h.command('sibling', 'context')).value as Record<string, unknown>;
      expect([context['project'], context['app']]).to.deep.equal(['p1', 'app-b']);
      expect((await h.command('sibling', 'supports', { method: 'items.remove' })).value).to.equal(false);
      return { tried: names.length, refused: answers.filter((a) => a.code === ErrorCode.PERMISSION_DENIED).length };
    },
  );

  attack('keeps writing storage and reports while its app is uninstalled: nothing sent meanwhile survives into a reinstall', async () => {
    const storage = h.host.registry.storage('app-b', 'p1');
    // The guest's own writes, on their way as the platform uninstalls the app...
    for (let i = 0; i < 20; i++)
      h.host.emit('cmd', {
        id: `w${i}`,
        tag: 'evil',
        op: 'call',
        method: i % 2 ? 'storage.set' : 'report.log',
        args: i % 2 ? [`k${i}`, i] : [`line ${i}`],
      });
    const uninstalling = h.host.registry.uninstall('app-b');
    // ...and writes that certainly arrive while it runs: queued behind it, or during it.
    const late = [
      storage.set('queued', 1),
      storage.remove('k1'),
      h.host.registry.addReport({ app: 'app-b', project: 'p1', panel: 'remote', kind: 'log', time: Date.now(), text: 'late' }),
    ];
    await uninstalling;
    const codes = await Promise.all(
      late.map((p) =>
        p.then(
          () => 'stored',
          (err: { code: string }) => err.code,
        ),
      ),
    );
    // The storage writes were queued behind the uninstall; the report was taken before it began, and cleared with the rest.
    expect(codes.slice(0, 2)).to.deep.equal([ErrorCode.NOT_INSTALLED, ErrorCode.NOT_INSTALLED]);
    await new Promise((r) => setTimeout(r, 300));
    await h.host.registry.install('app-b');
    expect(await storage.keys()).to.deep.equal([]);
    expect(await h.host.registry.reports('app-b')).to.deep.equal([]);
    // Once the app is gone, a report is refused at once.
    await h.host.registry.uninstall('app-b');
    codes.push(
      await h.host.registry.addReport({ app: 'app-b', project: 'p1', panel: 'remote', kind: 'log', time: Date.now(), text: 'after' }).then(
        () => 'stored',
        (err: { code: string }) => err.code,
      ),
    );
    expect(codes[3]).to.equal(ErrorCode.NOT_INSTALLED);
    await h.host.registry.install('app-b');
    return { tried: codes.length, refused: codes.filter((c) => c === ErrorCode.NOT_INSTALLED).length };
  });

  attack('calls constructor, __proto__ and unknown names as methods: METHOD_NOT_FOUND', async () => {
    const names = [
      ['constructor', 'call'],
      ['__proto__', 'x'],
      ['items', 'constructor'],
      ['items', '__proto__'],
      ['storage', 'hasOwnProperty'],
      ['x', 'y'],
    ];
    let refused = 0;
    for (const [ns, m] of names) {
      const answer = await h.command('evil', 'rawCall', { ns, m });
      expect(answer.code).to.equal(ErrorCode.METHOD_NOT_FOUND, `${ns}.${m}`);
      refused += refusedWhen(answer.code === ErrorCode.METHOD_NOT_FOUND);
    }
    return { tried: names.length, refused };
  });

  attack("reads and overwrites another app's storage: it only ever sees its own", async () => {
    await call('honest', 'storage.set', ['secret', 'of app-a']);
    const read = await call('evil', 'storage.get', ['secret']);
    const keys = await call('evil', 'storage.keys');
    expect(read.value).to.equal(undefined);
    expect(keys.value).to.deep.equal([]);
    await call('evil', 'storage.set', ['secret', 'overwritten']);
    await call('evil', 'storage.remove', ['secret']);
    const kept = (await call('honest', 'storage.get', ['secret'])).value === 'of app-a';
    expect(kept).to.equal(true);
    // The overwrite and the removal landed in its own storage: app-a's value stands for both.
    return {
      tried: 4,
      refused: refusedWhen(read.value === undefined) + refusedWhen((keys.value as unknown[]).length === 0) + 2 * refusedWhen(kept),
    };
  });

  attack("reads and writes another app's settings: only its own change", async () => {
    await h.host.registry.setSetting('app-a', 'configuration.token', 'of app-a');
    expect(((await call('evil', 'settings.get')).value as { configuration: object }).configuration).to.deep.equal({});
    await call('evil', 'settings.set', ['configuration.token', 'stolen']);
    const theirs = h.host.registry.installation('app-a')?.settings?.['configuration'] as { token?: string } | undefined;
    expect(theirs).to.deep.equal({ token: 'of app-a' });
    const ownView = ((await call('evil', 'settings.get')).value as { configuration: { token?: string } }).configuration;
    return { tried: 2, refused: refusedWhen(ownView.token !== 'of app-a') + refusedWhen(theirs?.token === 'of app-a') };
  });

  attack("writes reports under another app's name: they are filed under its own", async () => {
    const batch = await h.command('evil', 'rawCall', {
      ns: 'report',
      m: 'batch',
      args: [
        [
          ['scalar', 'loss', 'train', 1, 0.5, { app: 'app-a' }],
          ['log', 'forged', { app: 'app-a', project: 'p2' }],
        ],
      ],
    });
    expect(batch.value).to.have.length(2);
    await call('evil', 'report.scalar', ['loss', 'train', 2, 0.25]);
    expect(await h.host.registry.reports('app-a')).to.deep.equal([]);
    const own = await h.host.registry.reports('app-b');
    expect(own.every((r) => r.app === 'app-b' && r.project === 'p1')).to.equal(true);
    // Each forged report was filed under app-b in p1 instead.
    return { tried: 3, refused: own.filter((r) => r.app === 'app-b' && r.project === 'p1').length };
  });

  attack("emits events to another app's panels: only its own app's panels hear them", async () => {
    await h.mountGuest('evil-sibling', { app: 'app-b' });
    for (const tag of ['honest', 'evil-sibling']) await h.command(tag, 'listen', { event: 'steal' });
    await call('evil', 'events.emit', ['steal', { from: 'app-b' }]);
    await h.record('evil-sibling', 'event:steal');
    const heard = h.records.some((r) => r.tag === 'honest' && r.id === 'event:steal');
    expect(heard).to.equal(false);
    return { refused: refusedWhen(!heard) };
  });

  attack("opens another app's panel: only its own panels can be named", async () => {
    const answers = [await call('evil', 'ui.openPanel', ['app-a/remote']), await call('evil', 'ui.openPanel', ['../app-a/remote'])];
    for (const answer of answers) expect(answer.code).to.equal(ErrorCode.BAD_INPUT);
    expect(h.host.panels.filter((p) => p.app === 'app-a')).to.have.length(1);
    return { tried: 2, refused: answers.filter((a) => a.code === ErrorCode.BAD_INPUT).length };
  });

  attack('runs a function of another app: FUNCTION_NOT_FOUND, nothing runs', async () => {
    await h.host.registry.publish(artifactManifest('app-m'), { baseUrl: fixtures });
    await h.host.registry.install('app-m');
    let refused = 0;
    for (const fn of ['masks.make_mask', 'app-m.masks.make_mask']) {
      const answer = await call('evil', 'functions.execute', [fn, { size: 2 }]);
      const code = answer.code ?? answer.value?.error?.code;
      expect(code, JSON.stringify(answer)).to.equal(ErrorCode.FUNCTION_NOT_FOUND);
      refused += refusedWhen(code === ErrorCode.FUNCTION_NOT_FOUND);
    }
    expect(await h.host.artifacts.list({ app: 'app-m' })).to.deep.equal([]);
    return { tried: 2, refused };
  });

  attack("reads another app's artifact by its id: ARTIFACT_NOT_FOUND", async () => {
    await h.host.registry.publish(artifactManifest('app-m'), { baseUrl: fixtures });
    await h.host.registry.install('app-m');
    const made = await h.host.execute('app-m', 'masks.make_mask', { size: 2 });
    const id = (made.outputs['mask'] as { artifact: string }).artifact;
    const read = await call('evil', 'artifacts.read', [id]);
    const list = await call('evil', 'artifacts.list');
    expect(read.code).to.equal(ErrorCode.ARTIFACT_NOT_FOUND);
    expect(list.value).to.deep.equal([]);
    return {
      tried: 2,
      refused: refusedWhen(read.code === ErrorCode.ARTIFACT_NOT_FOUND) + refusedWhen((list.value as unknown[]).length === 0),
    };
  });

  attack('passes a forged call context (app, project, user) as an extra argument: INVALID_ARGUMENTS', async () => {
    const forged = { app: 'app-a', project: 'p2', user: { id: 'admin' } };
    const answers = [await call('evil', 'storage.get', ['secret', forged]), await call('evil', 'items.get', ['i1', forged])];
    for (const answer of answers) expect(answer.code).to.equal(ErrorCode.INVALID_ARGUMENTS);
    return { tried: 2, refused: answers.filter((a) => a.code === ErrorCode.INVALID_ARGUMENTS).length };
  });
});
