/** The same contract, run against every RegistryStore. */
import { expect } from 'chai';
import {
  IndexedDbStore,
  MemoryStore,
  ErrorCode,
  SlotbridgeError,
  type RegistryStore,
  type AppRecord,
  type Installation,
  type ArtifactRecord,
} from '../../../src/index.js';

let dbCount = 0;
const stores: [string, () => RegistryStore][] = [
  ['MemoryStore', () => new MemoryStore()],
  ['IndexedDbStore', () => new IndexedDbStore(`slotbridge-contract-${Date.now()}-${++dbCount}`)],
];

const record = (name: string, version: string): AppRecord => ({
  name,
  version,
  manifest: { name, version } as never,
  baseUrl: 'https://apps.example.com/',
  scope: 'project',
  project: 'p1',
  provider: undefined,
  publishedAt: 1,
});
const installation = (app: string, configuration: Record<string, unknown> = {}): Installation => ({
  app,
  version: '1.0.0',
  project: 'p1',
  grant: ['items:read'],
  settings: { hyperparams: {}, configuration },
  installedAt: 1,
});
const report = (i: number, kind = 'log', metric?: string) => ({
  app: 'a',
  project: 'p1',
  panel: 'x',
  kind,
  time: i,
  metric,
  series: `${kind}/${metric}`,
  n: i + 1,
  text: `line ${i}`,
});

for (const [name, make] of stores) {
  describe(`${name} (RegistryStore contract)`, () => {
    let store: RegistryStore;
    beforeEach(() => {
      store = make();
    });
    afterEach(() => store.close());

    it('keeps apps and installations for load()', async () => {
      await store.write([
        { type: 'putApp', record: record('a', '1.0.0') },
        { type: 'putApp', record: record('a', '1.1.0') },
        { type: 'putInstallation', installation: installation('a') },
      ]);
      const { apps, installations } = await store.load();
      expect(apps.map((r) => r.version).sort()).to.deep.equal(['1.0.0', '1.1.0']);
      expect(installations).to.deep.equal([installation('a')]);
      await store.write([{ type: 'deleteInstallation', project: 'p1', app: 'a' }]);
      expect((await store.load()).installations).to.deep.equal([]);
    });

    it('keeps storage per app and project', async () => {
      await store.write([
        { type: 'putStorage', project: 'p1', app: 'a', key: 'k', value: { n: 1 } },
        { type: 'putStorage', project: 'p1', app: 'b', key: 'k', value: 2 },
        { type: 'putStorage', project: 'p2', app: 'a', key: 'k', value: 3 },
      ]);
      expect(await store.storageGet('p1', 'a', 'k')).to.deep.equal({ n: 1 });
      expect(await store.storageGet('p1', 'b', 'k')).to.equal(2);
      expect(await store.storageKeys('p2', 'a')).to.deep.equal(['k']);
      expect(await store.storageCount('p1', 'a')).to.equal(1);
      await store.write([{ type: 'deleteStorage', project: 'p1', app: 'a', key: 'k' }]);
      expect(await store.storageGet('p1', 'a', 'k')).to.equal(undefined);
    });

    it("keeps the newest points of each series past its kind's limit, oldest dropped first", async () => {
      for (let i = 0; i < 5; i++)
        await store.write([
          {
            type: 'addReports',
            reports: [report(i, 'log'), report(i, 'scalar', 'loss'), report(i, 'scalar', 'acc')],
            limits: { log: 3, scalar: 2 },
          },
        ]);
      const kept = await store.reports('p1', 'a');
      const times = (series: string) => kept.filter((r) => r.series === series).map((r) => r.time);
      expect(times('log/undefined')).to.deep.equal([2, 3, 4]);
      expect(times('scalar/loss')).to.deep.equal([3, 4]);
      expect(times('scalar/acc')).to.deep.equal([3, 4]);
    });

    it('trims within one batch larger than the limit', async () => {
      await store.write([{ type: 'addReports', reports: [0, 1, 2, 3, 4, 5].map((i) => report(i)), limits: { log: 4 } }]);
      expect((await store.reports('p1', 'a')).map((r) => r.time)).to.deep.equal([2, 3, 4, 5]);
    });

    it("clears an app's storage and reports in one project only", async () => {
      await store.write([
        { type: 'putStorage', project: 'p1', app: 'a', key: 'k', value: 1 },
        { type: 'putStorage', project: 'p2', app: 'a', key: 'k', value: 1 },
        { type: 'addReports', reports: [report(1)], limits: { log: 10 } },
      ]);
      await store.write([{ type: 'clearAppData', project: 'p1', app: 'a' }]);
      expect(await store.storageKeys('p1', 'a')).to.deep.equal([]);
      expect(await store.reports('p1', 'a')).to.deep.equal([]);
      expect(await store.storageKeys('p2', 'a')).to.deep.equal(['k']);
    });

    it("keeps artifacts per project and app, their bytes apart, and clears them with the app's data", async () => {
      const art = (id: string, project: string, app: string, createdAt: number): ArtifactRecord => ({
        id,
        type: 'mask',
        app,
        project,
        execution: 'exec-1',
        mediaType: 'application/octet-stream',
        size: 3,
        createdAt,
        encoding: 'bytes',
      });
      await store.write([
        { type: 'putArtifact', record: art('art-2', 'p1', 'a', 2), data: new Uint8Array([4, 5, 6]) },
        { type: 'putArtifact', record: art('art-1', 'p1', 'a', 1), data: new Uint8Array([1, 2, 3]) },
        { type: 'putArtifact', record: art('art-3', 'p1', 'b', 3), data: new Uint8Array([7, 8, 9]) },
        { type: 'putArtifact', record: art('art-4', 'p2', 'a', 4), data: new Uint8Array([0]) },
      ]);
      expect((await store.artifacts('p1', 'a')).map((r) => r.id)).to.have.members(['art-1', 'art-2']);
      expect((await store.artifacts('p1')).map((r) => r.id)).to.have.members(['art-1', 'art-2', 'art-3']);
      expect(await store.artifact('art-3')).to.deep.equal(art('art-3', 'p1', 'b', 3));
      expect([...(await store.artifactData('art-2'))!]).to.deep.equal([4, 5, 6]);
      await store.write([{ type: 'deleteArtifact', id: 'art-2' }]);
      expect(await store.artifact('art-2')).to.equal(undefined);
      expect(await store.artifactData('art-2')).to.equal(undefined);
      await store.write([{ type: 'clearAppData', project: 'p1', app: 'a' }]);
      expect(await store.artifacts('p1', 'a')).to.deep.equal([]);
      expect(await store.artifactData('art-1')).to.equal(undefined);
      expect((await store.artifacts('p1')).map((r) => r.id)).to.deep.equal(['art-3']);
      expect((await store.artifacts('p2')).map((r) => r.id)).to.deep.equal(['art-4']);
    });

    it('lands a batch whole or not at all: a write failing midway leaves the old state', async () => {
      await store.write([
        { type: 'putInstallation', installation: installation('a', { v: 'old' }) },
        { type: 'putStorage', project: 'p1', app: 'a', key: 'k', value: 'old' },
      ]);
      const error = await store
        .write([
          { type: 'putInstallation', installation: installation('a', { v: 'new' }) },
          { type: 'putStorage', project: 'p1', app: 'a', key: 'k', value: 'new' },
          // A function cannot be stored: this write fails after two that succeeded.
          { type: 'putStorage', project: 'p1', app: 'a', key: 'f', value: () => 1 },
        ])
        .then(
          () => undefined,
          (err: unknown) => err,
        );
      expect(error).to.be.instanceOf(SlotbridgeError);
      expect((error as SlotbridgeError).code).to.equal(ErrorCode.BAD_INPUT);
      expect((await store.load()).installations[0].settings).to.deep.equal({ hyperparams: {}, configuration: { v: 'old' } });
      expect(await store.storageGet('p1', 'a', 'k')).to.equal('old');
      expect(await store.storageKeys('p1', 'a')).to.deep.equal(['k']);
    });

    it('hands out copies: changing what it returned changes nothing stored', async () => {
      await store.write([{ type: 'putStorage', project: 'p1', app: 'a', key: 'k', value: { n: 1 } }]);
      const value = (await store.storageGet('p1', 'a', 'k')) as { n: number };
      value.n = 2;
      expect(await store.storageGet('p1', 'a', 'k')).to.deep.equal({ n: 1 });
    });
  });
}
