import { expect } from 'chai';
import { openDB } from 'idb';
import {
  createHost,
  ErrorCode,
  IndexedDbStore,
  MemoryStore,
  type ArtifactRecord,
  type Execution,
  type Host,
  type SlotbridgeError,
} from '../../../src/index.js';
import { artifactManifest, createHarness, fixtures, type Harness } from './harness.js';

const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (err: SlotbridgeError) => err,
  );

async function publish(host: Host, name: string, project?: string) {
  await host.registry.publish(artifactManifest(name), { baseUrl: fixtures, scope: 'organization' });
  await host.registry.install(name, project ? { project } : {});
}

const ref = (execution: Execution, output: string) => (execution.outputs[output] as { artifact: string }).artifact;

describe('artifacts', () => {
  let h: Harness;
  afterEach(() => h?.destroy());

  async function harness(options: Parameters<typeof createHarness>[0] = {}) {
    h = await createHarness({ apps: [], ...options });
    await publish(h.host, 'art-a');
    return h;
  }

  it('stores an artifact output through its serialize: the Execution keeps a reference, the record is listed, the bytes are read', async () => {
    await harness();
    const stored: ArtifactRecord[] = [];
    h.host.on('artifact:stored', (r) => stored.push(r));
    const execution = await h.host.execute('art-a', 'masks.make_mask', { size: 4 });
    expect(execution.status).to.equal('success', JSON.stringify(execution.error));
    const id = ref(execution, 'mask');
    expect(execution.outputs).to.deep.equal({ mask: { artifact: id } });
    const record = await h.host.artifacts.get(id);
    expect(record).to.deep.include({
      id,
      type: 'mask',
      app: 'art-a',
      project: 'p1',
      execution: execution.id,
      mediaType: 'application/x-mask',
      size: 18,
      encoding: 'bytes',
    });
    expect(record!.createdAt).to.be.a('number');
    expect(stored).to.deep.equal([record]);
    expect(await h.host.artifacts.list({ app: 'art-a' })).to.deep.equal([record]);
    expect(await h.host.artifacts.list({ execution: execution.id })).to.deep.equal([record]);
    expect(await h.host.artifacts.list({ execution: 'exec-other' })).to.deep.equal([]);
    // encode_mask: width, height, then the bits: a 2 × 2 corner of ones in a 4 × 4 mask.
    expect([...(await h.host.artifacts.read(id))]).to.deep.equal([4, 4, 1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it("records the item an artifact was made for (the run's context item), and none without one", async () => {
    await harness();
    const forItem = await h.host.execute('art-a', 'masks.make_mask', { size: 2 }, { context: { item: { id: 'item-7', name: 'cat.jpg' } } });
    expect(await h.host.artifacts.get(ref(forItem, 'mask'))).to.deep.include({ item: 'item-7' });
    const withoutItem = await h.host.execute('art-a', 'masks.make_mask', { size: 2 }, { context: { item: { name: 'no id' } } });
    expect(await h.host.artifacts.get(ref(withoutItem, 'mask'))).to.not.have.property('item');
  });

  it('hands a reference to a second function deserialized, and keeps the reference in its Execution', async () => {
    await harness();
    const made = await h.host.execute('art-a', 'masks.make_mask', { size: 6 });
    const used = await h.host.execute('art-a', 'masks.mask_area', { mask: { artifact: ref(made, 'mask') } });
    expect(used.status).to.equal('success', JSON.stringify(used.error));
    expect(used.outputs).to.deep.equal({ area: 9 });
    expect(used.inputs).to.deep.equal({ mask: { artifact: ref(made, 'mask') } });
  });

  it('stores a JSON value as UTF-8 JSON text and gives deserialize the value back', async () => {
    await harness();
    const made = await h.host.execute('art-a', 'masks.make_stats', { size: 3 });
    const id = ref(made, 'stats');
    expect(await h.host.artifacts.get(id)).to.deep.include({ encoding: 'json', mediaType: 'application/json' });
    expect(new TextDecoder().decode(await h.host.artifacts.read(id))).to.equal('{"size":3,"cells":9}');
    const described = await h.host.execute('art-a', 'masks.describe', { stats: { artifact: id } });
    expect(described.outputs).to.deep.equal({ text: '9 cells' });
  });

  it('stores several artifact outputs of one call together, next to plain outputs', async () => {
    await harness();
    const execution = await h.host.execute('art-a', 'masks.make_both', { size: 2 });
    expect(execution.outputs['label']).to.equal('mask of 2');
    const records = await h.host.artifacts.list({ execution: execution.id });
    expect(records.map((r) => r.type).sort()).to.deep.equal(['mask', 'stats']);
  });

  it('stores nothing of a call whose serialize fails: the Execution fails with the reason', async () => {
    await harness();
    const execution = await h.host.execute('art-a', 'masks.make_with_broken', { size: 2 });
    expect(execution.status).to.equal('failed');
    expect(execution.error?.code).to.equal(ErrorCode.EXECUTION_FAILED);
    expect(execution.error?.message).to.match(/Artifact:broken, serialize \(masks\.encode_broken\): cannot encode/);
    expect(await h.host.artifacts.list()).to.deep.equal([], 'the mask serialized before it is not kept');
  });

  it('refuses a missing artifact with ARTIFACT_NOT_FOUND, before anything runs', async () => {
    await harness();
    const err = await rejection(h.host.execute('art-a', 'masks.mask_area', { mask: { artifact: 'art-nothing' } }));
    expect(err?.code).to.equal(ErrorCode.ARTIFACT_NOT_FOUND);
    expect(err?.message).to.match(/art-nothing/);
    expect(document.querySelector('[data-slotbridge-modules] iframe')).to.equal(null, 'no module was started');
    expect((await rejection(h.host.artifacts.read('art-nothing')))?.code).to.equal(ErrorCode.ARTIFACT_NOT_FOUND);
    expect((await rejection(h.host.artifacts.delete('art-nothing')))?.code).to.equal(ErrorCode.ARTIFACT_NOT_FOUND);
    expect(await h.host.artifacts.get('art-nothing')).to.equal(undefined);
  });

  it("refuses another project's artifact with SCOPE_VIOLATION", async () => {
    await harness();
    await h.host.registry.install('art-a', { project: 'p2' });
    h.host.project = 'p2';
    const made = await h.host.execute('art-a', 'masks.make_mask', { size: 2 });
    expect(made.project).to.equal('p2');
    h.host.project = 'p1';
    expect(await h.host.artifacts.list()).to.deep.equal([], 'p1 lists only its own');
    expect(await h.host.artifacts.list({ project: 'p2' })).to.have.length(1);
    const err = await rejection(h.host.execute('art-a', 'masks.mask_area', { mask: { artifact: ref(made, 'mask') } }));
    expect(err?.code).to.equal(ErrorCode.SCOPE_VIOLATION);
  });

  it("refuses INVALID_ARGUMENTS for a value that is no reference, another type's artifact, or another app's", async () => {
    await harness();
    await publish(h.host, 'art-b');
    const stats = await h.host.execute('art-a', 'masks.make_stats', { size: 2 });
    const otherApp = await h.host.execute('art-b', 'masks.make_mask', { size: 2 });
    const notRef = await rejection(h.host.execute('art-a', 'masks.mask_area', { mask: { width: 2, bits: [1] } }));
    expect(notRef?.code).to.equal(ErrorCode.INVALID_ARGUMENTS);
    expect(notRef?.message).to.match(/\{ artifact: "<id>" \}/);
    const wrongType = await rejection(h.host.execute('art-a', 'masks.mask_area', { mask: { artifact: ref(stats, 'stats') } }));
    expect(wrongType?.code).to.equal(ErrorCode.INVALID_ARGUMENTS);
    expect(wrongType?.message).to.match(/takes an Artifact:mask of art-a; artifact .* is an Artifact:stats of art-a/);
    const wrongApp = await rejection(h.host.execute('art-a', 'masks.mask_area', { mask: { artifact: ref(otherApp, 'mask') } }));
    expect(wrongApp?.code).to.equal(ErrorCode.INVALID_ARGUMENTS);
    expect(wrongApp?.message).to.match(/of art-b/);
    expect((await rejection(h.host.artifacts.list({ app: 3 } as never)))?.code).to.equal(ErrorCode.BAD_INPUT);
    expect((await rejection(h.host.artifacts.read(undefined as never)))?.code).to.equal(ErrorCode.BAD_INPUT);
  });

  it('bounds the bytes an app keeps: past its quota the Execution fails with STORAGE_FULL and nothing is added', async () => {
    // A 6 × 6 mask takes 38 bytes: two fit in 80, a third does not.
    await harness({ limits: { maxArtifactBytes: 80 } });
    const first = await h.host.execute('art-a', 'masks.make_mask', { size: 6 });
    await h.host.execute('art-a', 'masks.make_mask', { size: 6 });
    const third = await h.host.execute('art-a', 'masks.make_mask', { size: 6 });
    expect(third.status).to.equal('failed');
    expect(third.error?.code).to.equal(ErrorCode.STORAGE_FULL);
    expect(third.error?.message).to.match(/keeps 76 bytes .* quota of 80/);
    expect(await h.host.artifacts.list()).to.have.length(2);
    await h.host.artifacts.delete(ref(first, 'mask'));
    expect((await h.host.execute('art-a', 'masks.make_mask', { size: 6 })).status).to.equal('success', 'deleting made room');
    expect(h.host.artifacts.quota).to.equal(80);
    expect(() => createHost({ project: 'p', user: { id: 'u' }, store: new MemoryStore(), limits: { maxArtifactBytes: -1 } })).to.throw(
      /maxArtifactBytes is a positive number/,
    );
  });

  it('deletes an artifact: gone from the list, unreadable, announced', async () => {
    await harness();
    const deleted: string[] = [];
    h.host.on('artifact:deleted', (r) => deleted.push(r.id));
    const id = ref(await h.host.execute('art-a', 'masks.make_mask', { size: 2 }), 'mask');
    await h.host.artifacts.delete(id);
    expect(deleted).to.deep.equal([id]);
    expect(await h.host.artifacts.list()).to.deep.equal([]);
    expect((await rejection(h.host.artifacts.read(id)))?.code).to.equal(ErrorCode.ARTIFACT_NOT_FOUND);
  });

  it("deletes an app's artifacts when it is uninstalled, and keeps them with keepData", async () => {
    await harness();
    await publish(h.host, 'art-b');
    const kept = ref(await h.host.execute('art-a', 'masks.make_mask', { size: 2 }), 'mask');
    const other = ref(await h.host.execute('art-b', 'masks.make_mask', { size: 2 }), 'mask');
    await h.host.registry.uninstall('art-a', { keepData: true });
    expect((await h.host.artifacts.get(kept))?.app).to.equal('art-a');
    await h.host.registry.install('art-a');
    await h.host.registry.uninstall('art-a');
    expect(await h.host.artifacts.get(kept)).to.equal(undefined);
    expect((await rejection(h.host.artifacts.read(kept)))?.code).to.equal(ErrorCode.ARTIFACT_NOT_FOUND);
    expect((await h.host.artifacts.list()).map((r) => r.id)).to.deep.equal([other], "the other app's stay");
  });

  it("lets a guest list and read its own app's artifacts, and not another app's", async () => {
    await harness();
    await publish(h.host, 'art-b');
    const own = ref(await h.host.execute('art-a', 'masks.make_mask', { size: 2 }), 'mask');
    const foreign = ref(await h.host.execute('art-b', 'masks.make_mask', { size: 2 }), 'mask');
    await h.mountGuest('g', { app: 'art-a' });
    const list = await h.command('g', 'call', { method: 'artifacts.list', args: [] });
    expect(list.value.map((r: ArtifactRecord) => r.id)).to.deep.equal([own]);
    const read = await h.command('g', 'call', { method: 'artifacts.read', args: [own] });
    expect([...(read.value as Uint8Array)]).to.deep.equal([2, 2, 1, 0, 0, 0]);
    const refused = await h.command('g', 'call', { method: 'artifacts.read', args: [foreign] });
    expect(refused).to.include({ ok: false, code: ErrorCode.ARTIFACT_NOT_FOUND });
    // The id the guest sent may be named back (it starts "art-", and a random one may go on with "b").
    expect(String(refused.message).replace(foreign, 'the id')).to.not.match(/art-b/, 'nothing about the other app is revealed');
  });

  it('runs the codecs of a platform module on the executor', async () => {
    const calls: string[] = [];
    h = await createHarness({
      apps: [],
      functions: {
        execute: ({ function: fn, inputs }) => {
          calls.push(fn);
          if (fn === 'make_stats') return { cells: (inputs['size'] as number) ** 2 };
          if (fn === 'encode_stats') {
            // A view of part of a larger buffer: only the view is stored.
            const view = new Uint8Array(new ArrayBuffer(1000), 100, 12);
            view.set(new TextEncoder().encode(JSON.stringify(inputs['value'])));
            return view;
          }
          if (fn === 'decode_stats') return JSON.parse(new TextDecoder().decode(inputs['data'] as Uint8Array));
          if (fn === 'describe') return `${(inputs['stats'] as { cells: number }).cells} cells`;
          throw new Error(`no ${fn}`);
        },
      },
    });
    await h.host.registry.publish(artifactManifest('art-server', { entryPoint: 'main.py' }), { baseUrl: fixtures });
    await h.host.registry.install('art-server');
    const made = await h.host.execute('art-server', 'masks.make_stats', { size: 5 });
    expect(await h.host.artifacts.get(ref(made, 'stats'))).to.deep.include({ encoding: 'bytes', size: 12 });
    expect((await h.host.artifacts.read(ref(made, 'stats'))).buffer.byteLength).to.equal(12);
    const described = await h.host.execute('art-server', 'masks.describe', { stats: { artifact: ref(made, 'stats') } });
    expect(described.outputs).to.deep.equal({ text: '25 cells' });
    expect(calls).to.deep.equal(['make_stats', 'encode_stats', 'decode_stats', 'describe']);
  });
});

describe('artifacts in IndexedDB', () => {
  it('survive the host going away: a new host on the same database lists them and hands them to a function', async () => {
    const name = `slotbridge-artifacts-${Date.now()}`;
    const first = createHost({ project: 'p1', user: { id: 'u1' }, store: new IndexedDbStore(name) });
    await publish(first, 'art-a');
    const made = await first.execute('art-a', 'masks.make_mask', { size: 4 });
    first.destroy();
    const second = createHost({ project: 'p1', user: { id: 'u1' }, store: new IndexedDbStore(name) });
    try {
      await second.ready;
      expect((await second.artifacts.list()).map((r) => r.id)).to.deep.equal([ref(made, 'mask')]);
      expect((await second.artifacts.read(ref(made, 'mask'))).length).to.equal(18);
      const used = await second.execute('art-a', 'masks.mask_area', { mask: { artifact: ref(made, 'mask') } });
      expect(used.outputs).to.deep.equal({ area: 4 });
    } finally {
      second.destroy();
    }
  });

  it('upgrade a version 2 database in place: its apps are kept and artifacts can be stored', async () => {
    const name = `slotbridge-v2-${Date.now()}`;
    const v2 = await openDB(name, 2, {
      upgrade(db) {
        db.createObjectStore('apps', { keyPath: ['name', 'version'] });
        db.createObjectStore('installations', { keyPath: ['project', 'app'] });
        db.createObjectStore('storage', { keyPath: ['project', 'app', 'key'] }).createIndex('byApp', ['project', 'app']);
        const reports = db.createObjectStore('reports', { keyPath: 'seq', autoIncrement: true });
        reports.createIndex('byApp', ['project', 'app']);
        reports.createIndex('bySeries', ['project', 'app', 'series']);
      },
    });
    const seed = createHost({ project: 'p1', user: { id: 'u1' }, store: new MemoryStore() });
    const record = await seed.registry.publish(artifactManifest('art-a'), { baseUrl: fixtures });
    seed.destroy();
    await v2.put('apps', record);
    v2.close();
    const host = createHost({ project: 'p1', user: { id: 'u1' }, store: new IndexedDbStore(name) });
    try {
      await host.ready;
      expect(host.registry.app('art-a')?.version).to.equal('1.0.0');
      await host.registry.install('art-a');
      const made = await host.execute('art-a', 'masks.make_mask', { size: 2 });
      expect(made.status).to.equal('success', JSON.stringify(made.error));
      expect(await host.artifacts.list()).to.have.length(1);
    } finally {
      host.destroy();
    }
  });
});
