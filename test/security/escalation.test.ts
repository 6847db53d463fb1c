/**
 * Permission escalation: a guest of app-a reaches for what it was not
 * granted, and for app-b's storage, settings, reports, events, panels,
 * functions and artifacts.
 */
import { expect } from 'chai';
import { artifactManifest, createHarness, fixtures, type Harness } from '../browser/bridge/harness.js';
import { ErrorCode } from '../../src/index.js';
import { attacks, honestStillWorks } from './attack.js';

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
    expect((await call('evil', 'items.remove', ['i1'])).code).to.equal(ErrorCode.PERMISSION_DENIED);
  });

  attack('calls constructor, __proto__ and unknown names as methods: METHOD_NOT_FOUND', async () => {
    const names = [['constructor', 'call'], ['__proto__', 'x'], ['items', 'constructor'], ['items', '__proto__'], ['storage', 'hasOwnProperty'], ['x', 'y']];
    for (const [ns, m] of names) expect((await h.command('evil', 'rawCall', { ns, m })).code).to.equal(ErrorCode.METHOD_NOT_FOUND, `${ns}.${m}`);
    return { tried: names.length };
  });

  attack("reads and overwrites another app's storage: it only ever sees its own", async () => {
    await call('honest', 'storage.set', ['secret', 'of app-a']);
    expect((await call('evil', 'storage.get', ['secret'])).value).to.equal(undefined);
    expect((await call('evil', 'storage.keys')).value).to.deep.equal([]);
    await call('evil', 'storage.set', ['secret', 'overwritten']);
    await call('evil', 'storage.remove', ['secret']);
    expect((await call('honest', 'storage.get', ['secret'])).value).to.equal('of app-a');
    return { tried: 4 };
  });

  attack("reads and writes another app's settings: only its own change", async () => {
    await h.host.registry.setSetting('app-a', 'configuration.token', 'of app-a');
    expect(((await call('evil', 'settings.get')).value as { configuration: object }).configuration).to.deep.equal({});
    await call('evil', 'settings.set', ['configuration.token', 'stolen']);
    expect(h.host.registry.installation('app-a')?.settings?.['configuration']).to.deep.equal({ token: 'of app-a' });
    return { tried: 2 };
  });

  attack("writes reports under another app's name: they are filed under its own", async () => {
    const batch = await h.command('evil', 'rawCall', { ns: 'report', m: 'batch', args: [[['scalar', 'loss', 'train', 1, 0.5, { app: 'app-a' }], ['log', 'forged', { app: 'app-a', project: 'p2' }]]] });
    expect(batch.value).to.have.length(2);
    await call('evil', 'report.scalar', ['loss', 'train', 2, 0.25]);
    expect(await h.host.registry.reports('app-a')).to.deep.equal([]);
    expect((await h.host.registry.reports('app-b')).every((r) => r.app === 'app-b' && r.project === 'p1')).to.equal(true);
    return { tried: 3 };
  });

  attack("emits events to another app's panels: only its own app's panels hear them", async () => {
    await h.mountGuest('evil-sibling', { app: 'app-b' });
    for (const tag of ['honest', 'evil-sibling']) await h.command(tag, 'listen', { event: 'steal' });
    await call('evil', 'events.emit', ['steal', { from: 'app-b' }]);
    await h.record('evil-sibling', 'event:steal');
    expect(h.records.some((r) => r.tag === 'honest' && r.id === 'event:steal')).to.equal(false);
  });

  attack("opens another app's panel: only its own panels can be named", async () => {
    expect((await call('evil', 'ui.openPanel', ['app-a/remote'])).code).to.equal(ErrorCode.BAD_INPUT);
    expect((await call('evil', 'ui.openPanel', ['../app-a/remote'])).code).to.equal(ErrorCode.BAD_INPUT);
    expect(h.host.panels.filter((p) => p.app === 'app-a')).to.have.length(1);
    return { tried: 2 };
  });

  attack("runs a function of another app: FUNCTION_NOT_FOUND, nothing runs", async () => {
    await h.host.registry.publish(artifactManifest('app-m'), { baseUrl: fixtures });
    await h.host.registry.install('app-m');
    for (const fn of ['masks.make_mask', 'app-m.masks.make_mask']) {
      const answer = await call('evil', 'functions.execute', [fn, { size: 2 }]);
      expect(answer.code ?? answer.value?.error?.code, JSON.stringify(answer)).to.equal(ErrorCode.FUNCTION_NOT_FOUND);
    }
    expect(await h.host.artifacts.list({ app: 'app-m' })).to.deep.equal([]);
    return { tried: 2 };
  });

  attack("reads another app's artifact by its id: ARTIFACT_NOT_FOUND", async () => {
    await h.host.registry.publish(artifactManifest('app-m'), { baseUrl: fixtures });
    await h.host.registry.install('app-m');
    const made = await h.host.execute('app-m', 'masks.make_mask', { size: 2 });
    const id = (made.outputs['mask'] as { artifact: string }).artifact;
    expect((await call('evil', 'artifacts.read', [id])).code).to.equal(ErrorCode.ARTIFACT_NOT_FOUND);
    expect((await call('evil', 'artifacts.list')).value).to.deep.equal([]);
    return { tried: 2 };
  });

  attack('passes a forged call context (app, project, user) as an extra argument: INVALID_ARGUMENTS', async () => {
    const forged = { app: 'app-a', project: 'p2', user: { id: 'admin' } };
    expect((await call('evil', 'storage.get', ['secret', forged])).code).to.equal(ErrorCode.INVALID_ARGUMENTS);
    expect((await call('evil', 'items.get', ['i1', forged])).code).to.equal(ErrorCode.INVALID_ARGUMENTS);
    return { tried: 2 };
  });
});
