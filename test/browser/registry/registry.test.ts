import { expect } from 'chai';
import { createHost, IndexedDbStore, MemoryStore, ErrorCode, SlotbridgeError, type Host } from '../../../src/index.js';
import { storeError } from '../../../src/registry/store/registry-store.js';
import { createHarness, fixtureManifest, fixtures } from '../bridge/harness.js';
import { reportedErrors } from '../reported-errors.js';

let dbCount = 0;
const uniqueDb = () => `slotbridge-registry-test-${Date.now()}-${++dbCount}`;
const hostOn = (db: string, project = 'p1') => createHost({ project, user: { id: 'u1' }, store: new IndexedDbStore(db) });
const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (err: SlotbridgeError) => err,
  );
const app = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  version: '1.0.0',
  permissions: ['items:read', 'items:write'],
  ...extra,
});

describe('the registry', () => {
  const hosts: Host[] = [];
  const track = (host: Host) => (hosts.push(host), host);
  /** A host of project p1 on a memory store, destroyed after the test. */
  const memoryHost = () => track(createHost({ project: 'p1', user: { id: 'u1' }, store: new MemoryStore() }));
  afterEach(() => {
    for (const host of hosts.splice(0)) host.destroy();
  });

  it('keeps apps, installs, grants, settings, storage and reports across a reload (a new host on the same IndexedDB)', async () => {
    const db = uniqueDb();
    const h = await createHarness({ store: new IndexedDbStore(db) });
    await h.host.registry.install('app-a', { grant: ['probe:write'] });
    await h.host.registry.saveSettings('app-a', { threshold: 0.7 });
    await h.mountGuest('a');
    await h.command('a', 'call', { method: 'storage.set', args: ['k', { n: 1 }] });
    await h.command('a', 'call', { method: 'report.log', args: ['step 1'] });
    h.destroy();

    const again = await createHarness({ store: new IndexedDbStore(db), apps: [] });
    hosts.push(again.host);
    await again.host.ready;
    expect(again.host.registry.app('app-a')?.version).to.equal('1.0.0');
    const installation = again.host.registry.installation('app-a')!;
    expect(installation.grant).to.deep.equal(['probe:write']);
    expect(installation.settings).to.deep.equal({ hyperparams: {}, configuration: { threshold: 0.7 } });
    expect(await again.host.registry.storage('app-a', 'p1').get('k')).to.deep.equal({ n: 1 });
    expect((await again.host.registry.reports('app-a')).map((r) => r['text'])).to.deep.equal(['step 1']);
    // Mounting works straight from what was stored.
    await again.mountGuest('b');
    expect((await again.command('b', 'call', { method: 'storage.get', args: ['k'] })).value).to.deep.equal({ n: 1 });
    again.container.remove();
  });

  it('refuses an invalid manifest with MANIFEST_INVALID and every error in details', async () => {
    const host = memoryHost();
    const error = await rejection(host.registry.publish({ name: '../x', version: 'one' }, { baseUrl: fixtures }));
    expect(error?.code).to.equal(ErrorCode.MANIFEST_INVALID);
    expect((error?.details as { errors: { path: string }[] }).errors.map((e) => e.path).sort()).to.deep.equal(['name', 'version']);
    expect(host.registry.available()).to.deep.equal([]);
  });

  it('refuses a republished version (VERSION_EXISTS) and a name owned by another provider (NAME_TAKEN)', async () => {
    const host = memoryHost();
    await host.registry.publish(app('a', { provider: 'Acme' }), { baseUrl: fixtures });
    expect((await rejection(host.registry.publish(app('a', { provider: 'Acme' }), { baseUrl: fixtures })))?.code).to.equal(
      ErrorCode.VERSION_EXISTS,
    );
    expect(
      (await rejection(host.registry.publish(app('a', { provider: 'Evil', version: '2.0.0' }), { baseUrl: fixtures })))?.code,
    ).to.equal(ErrorCode.NAME_TAKEN);
    await host.registry.publish(app('a', { provider: 'Acme', version: '1.1.0' }), { baseUrl: fixtures });
    expect(host.registry.app('a')?.version).to.equal('1.1.0');
  });

  it('serializes changes: two publishes of one version at once give one VERSION_EXISTS', async () => {
    const host = memoryHost();
    const results = await Promise.allSettled([
      host.registry.publish(app('a'), { baseUrl: fixtures }),
      host.registry.publish(app('a'), { baseUrl: fixtures }),
    ]);
    expect(results.map((r) => r.status).sort()).to.deep.equal(['fulfilled', 'rejected']);
  });

  it('keeps a project app to its project (SCOPE_VIOLATION) and lets each project install an organization app', async () => {
    const host = memoryHost();
    await host.registry.publish(app('local'), { baseUrl: fixtures });
    await host.registry.publish(app('shared'), { baseUrl: fixtures, scope: 'organization' });
    expect(host.registry.available({ project: 'p2' }).map((a) => a.name)).to.deep.equal(['shared']);
    expect((await rejection(host.registry.install('local', { project: 'p2' })))?.code).to.equal(ErrorCode.SCOPE_VIOLATION);
    await host.registry.install('shared', { project: 'p1' });
    await host.registry.install('shared', { project: 'p2', grant: ['items:read'] });
    expect(host.registry.installed({ project: 'p2' }).map((i) => i.grant)).to.deep.equal([['items:read']]);
  });

  it('installs the latest version unless pinned, and refuses a grant beyond the manifest', async () => {
    const host = memoryHost();
    await host.registry.publish(app('a'), { baseUrl: fixtures });
    await host.registry.publish(app('a', { version: '1.2.0' }), { baseUrl: fixtures });
    expect((await host.registry.install('a')).version).to.equal('1.2.0');
    expect((await host.registry.install('a', { version: '1.0.0' })).version).to.equal('1.0.0');
    expect((await rejection(host.registry.install('a', { version: '9.9.9' })))?.code).to.equal(ErrorCode.APP_NOT_FOUND);
    expect((await rejection(host.registry.install('ghost')))?.code).to.equal(ErrorCode.APP_NOT_FOUND);
    expect((await rejection(host.registry.install('a', { grant: ['admin:all'] })))?.code).to.equal(ErrorCode.PERMISSION_DENIED);
  });

  it('starts settings from the wizard defaults', async () => {
    const host = memoryHost();
    await host.registry.publish(
      app('a', {
        wizard: {
          entries: [
            {
              name: 'threshold',
              type: 'float',
              default: 0.5,
              target: { field: 'hyperparams', section: 'General', name: 'threshold', format: 'json' },
            },
            { name: 'label', type: 'string' },
            { name: 'mode', type: 'string', default: 'fast' },
          ],
        },
      }),
      { baseUrl: fixtures },
    );
    expect((await host.registry.install('a')).settings).to.deep.equal({
      hyperparams: { General: { threshold: 0.5 } },
      configuration: { mode: 'fast' },
    });
  });

  it('uninstall deletes settings, storage and reports unless keepData, and says so in an event', async () => {
    const db = uniqueDb();
    const host = track(hostOn(db));
    const events: unknown[] = [];
    host.on('app:uninstalled', (info) => events.push(info));
    await host.registry.publish(app('a'), { baseUrl: fixtures });
    await host.registry.install('a');
    await host.registry.storage('a', 'p1').set('k', 1);
    await host.registry.addReport({ app: 'a', project: 'p1', panel: 'x', kind: 'log', time: 1 });
    await host.registry.uninstall('a', { keepData: true });
    expect(await host.registry.storage('a', 'p1').get('k')).to.equal(1);
    await host.registry.install('a');
    await host.registry.uninstall('a');
    expect(await host.registry.storage('a', 'p1').get('k')).to.equal(undefined);
    expect(await host.registry.reports('a')).to.deep.equal([]);
    expect(events).to.deep.equal([
      { app: 'a', project: 'p1', keepData: true },
      { app: 'a', project: 'p1', keepData: false },
    ]);
    expect((await rejection(host.registry.uninstall('a')))?.code).to.equal(ErrorCode.NOT_INSTALLED);
  });

  it('emits app:published and app:installed', async () => {
    const host = memoryHost();
    const seen: string[] = [];
    host.on('app:published', () => seen.push('published'));
    host.on('app:installed', () => seen.push('installed'));
    await host.registry.publish(app('a'), { baseUrl: fixtures });
    await host.registry.install('a');
    expect(seen).to.deep.equal(['published', 'installed']);
  });

  it('installs, and calls the other listeners, when a platform listener throws; the page gets the error as its own', async () => {
    const host = memoryHost();
    const seen: string[] = [];
    host.on('app:installed', () => {
      throw new Error('a platform listener that fails on purpose');
    });
    host.on('app:installed', (installation) => seen.push(installation.app));
    const reported = await reportedErrors(async () => {
      await host.registry.publish(app('a'), { baseUrl: fixtures });
      await host.registry.install('a');
    });
    expect(seen).to.deep.equal(['a']);
    expect(host.registry.installation('a')?.version).to.equal('1.0.0');
    expect(reported.map((err) => (err as Error).message)).to.deep.equal(['a platform listener that fails on purpose']);
  });

  it('off removes a listener added with once, and a function never added removes nothing', async () => {
    const host = memoryHost();
    const seen: string[] = [];
    const once = () => seen.push('once');
    host.once('app:published', once);
    host.off('app:published', once);
    host.on('app:published', () => seen.push('on'));
    host.off('app:published', () => seen.push('never added'));
    await host.registry.publish(app('a'), { baseUrl: fixtures });
    expect(seen).to.deep.equal(['on']);
  });

  it('refuses a host listener that is not a function, or of an event the host does not emit, with BAD_INPUT, and keeps the ones it has', async () => {
    const host = memoryHost();
    const seen: string[] = [];
    host.on('app:published', () => seen.push('published'));
    expect(() => host.on('app:published', 'notify me' as never))
      .to.throw(SlotbridgeError, /take a function to call with the event; got string/)
      .with.property('code', ErrorCode.BAD_INPUT);
    expect(() => host.once('app:published', undefined as never))
      .to.throw(SlotbridgeError)
      .with.property('code', ErrorCode.BAD_INPUT);
    expect(() => host.on('app:instaled' as never, () => seen.push('misspelt')))
      .to.throw(SlotbridgeError, /emits no event "app:instaled"; listen to one of: app:published, app:installed,/)
      .with.property('code', ErrorCode.BAD_INPUT);
    await host.registry.publish(app('a'), { baseUrl: fixtures });
    expect(seen).to.deep.equal(['published']);
  });

  it('publishes every real Dataloop manifest of the conformance corpus', async () => {
    const host = track(createHost({ project: 'p1', user: { id: 'u1' }, store: new IndexedDbStore(uniqueDb()) }));
    const files = [
      'active-learning',
      'ai-playground',
      'clip-smart-search',
      'create-prompt',
      'dataset-cleanup',
      'dataset-insights',
      'dql-agent-smart-search',
      'dtlpy-metrics',
      'example-panel-toolbar__example-panel-toolbar',
      'example-panel-toolbar__example-route-slot',
      'item-viewer',
      'jupyter-notebook-app',
      'ml-compare-solution',
      'ocr-tesseract',
      'owlv2-sam-system-toolbar',
      'preview-dm',
      'preview-dm__processing',
      'reference-viewer',
      'video-tracker-sam',
      'yolo-world-sam-system-toolbar',
    ];
    const published = new Set<string>();
    for (const file of files) {
      const text = await (await fetch(`/__shared/conformance/dataloop/${file}__dataloop.json`)).text();
      const record = await host.registry.publish(text, { baseUrl: `https://apps.example.com/${file}/` });
      published.add(record.name);
    }
    // Two files of one repository publish the same app name (preview-dm): a name is unique, not a file.
    expect(host.registry.available().length).to.equal(published.size);
  });

  it('reads a manifest given as the fixture harness publishes it', async () => {
    const host = memoryHost();
    expect((await host.registry.publish(fixtureManifest('x'), { baseUrl: fixtures })).manifest.components.panels.length).to.be.greaterThan(
      0,
    );
  });
});

describe('two hosts on one database (two tabs)', () => {
  it("see each other's installs, settings and uninstalls through BroadcastChannel", async () => {
    const db = `slotbridge-tabs-${Date.now()}`;
    const a = createHost({ project: 'p1', user: { id: 'u1' }, store: new IndexedDbStore(db) });
    const b = createHost({ project: 'p1', user: { id: 'u1' }, store: new IndexedDbStore(db) });
    const seen: string[] = [];
    b.on('app:published', () => seen.push('published'));
    b.on('app:installed', () => seen.push('installed'));
    b.on('settings:changed', () => seen.push('settings'));
    b.on('app:uninstalled', () => seen.push('uninstalled'));
    const until = async (what: string) => {
      for (let i = 0; i < 500 && !seen.includes(what); i++) await new Promise((r) => setTimeout(r, 10));
      expect(seen).to.include(what);
    };
    await a.registry.publish(app('shared-app'), { baseUrl: fixtures });
    await until('published');
    await a.registry.install('shared-app');
    await until('installed');
    expect(b.registry.installation('shared-app')?.grant).to.deep.equal(['items:read', 'items:write']);
    await a.registry.saveSettings('shared-app', { n: 2 });
    await until('settings');
    expect(b.registry.installation('shared-app')?.settings).to.deep.equal({ hyperparams: {}, configuration: { n: 2 } });
    await a.registry.uninstall('shared-app');
    await until('uninstalled');
    expect(b.registry.installation('shared-app')).to.equal(undefined);
    a.destroy();
    b.destroy();
  });
});

describe('the registry when its store fails', () => {
  it('surfaces STORAGE_FULL and keeps the previous state whole', async () => {
    const inner = new MemoryStore();
    let full = false;
    const store = {
      load: () => inner.load(),
      write: (writes: Parameters<MemoryStore['write']>[0]) =>
        full ? Promise.reject(storeError(new DOMException('quota', 'QuotaExceededError'))) : inner.write(writes),
      storageGet: inner.storageGet.bind(inner),
      storageKeys: inner.storageKeys.bind(inner),
      storageCount: inner.storageCount.bind(inner),
      storageEntries: inner.storageEntries.bind(inner),
      reports: inner.reports.bind(inner),
      artifacts: inner.artifacts.bind(inner),
      artifact: inner.artifact.bind(inner),
      artifactData: inner.artifactData.bind(inner),
      close: () => inner.close(),
    };
    const host = createHost({ project: 'p1', user: { id: 'u1' }, store });
    await host.registry.publish(app('a'), { baseUrl: fixtures });
    await host.registry.install('a');
    await host.registry.saveSettings('a', { v: 'old' });
    full = true;
    const settings = await rejection(host.registry.saveSettings('a', { v: 'new' }));
    expect(settings?.code).to.equal(ErrorCode.STORAGE_FULL);
    expect(settings?.message).to.match(/Nothing of this change was saved/);
    expect(host.registry.installation('a')?.settings).to.deep.equal({ hyperparams: {}, configuration: { v: 'old' } });
    expect((await rejection(host.registry.uninstall('a')))?.code).to.equal(ErrorCode.STORAGE_FULL);
    expect(host.registry.installation('a')).to.not.equal(undefined);
    expect((await rejection(host.registry.publish(app('b'), { baseUrl: fixtures })))?.code).to.equal(ErrorCode.STORAGE_FULL);
    expect(host.registry.app('b')).to.equal(undefined);
    host.destroy();
  });
});

describe('upgrading an app', () => {
  it('installs the newer version; an open panel of the old one keeps running until reopened', async () => {
    const h = await createHarness();
    const old = await h.mountGuest('old');
    await h.host.registry.publish({ ...fixtureManifest('app-a'), version: '2.0.0' }, { baseUrl: fixtures });
    const upgraded = await h.host.registry.install('app-a');
    expect(upgraded.version).to.equal('2.0.0');
    expect(old.state).to.equal('ready');
    expect((await h.command('old', 'call', { method: 'items.get', args: ['x'] })).ok).to.equal(true);
    const fresh = await h.mountGuest('new');
    expect(fresh.state).to.equal('ready');
    expect(h.host.registry.installedApp('app-a')?.version).to.equal('2.0.0', 'a panel mounted now is of the installed version');
    expect(Object.keys(fresh).sort()).to.deep.equal(
      ['app', 'close', 'context', 'element', 'error', 'id', 'panel', 'ready', 'reload', 'responding', 'slot', 'state'],
      'a handle shows its documented members and nothing of the frame',
    );
    h.destroy();
  });
});
