import { expect } from 'chai';
import { zipSync, strToU8 } from 'fflate';
import { createHost, IndexedDbStore, MemoryStore, ErrorCode, SlotbridgeError } from '../../../src/index.js';

const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (err: SlotbridgeError) => err,
  );
const manifest = {
  name: 'packed',
  version: '1.0.0',
  icon: '${ASSET:icons/app.svg}',
  components: { panels: [{ name: 'p', supportedSlots: [{ type: 'itemViewer' }] }] },
};
const svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>';
const pack = (files: Record<string, string>) => zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, strToU8(v)])));
const baseUrl = 'https://apps.example.com/packed/1.0.0/';

describe('publishPackage', () => {
  it('publishes the manifest of a packed app and serves its assets from blob URLs, documents from data URLs', async () => {
    const host = createHost({ project: 'p1', user: { id: 'u1' }, store: new MemoryStore() });
    const record = await host.registry.publishPackage(
      pack({ 'app.json': JSON.stringify(manifest), 'assets/icons/app.svg': svg, 'assets/a.png': 'png', 'panels/p/index.html': '<p>x</p>' }),
      { baseUrl },
    );
    expect(record.name).to.equal('packed');
    const png = host.registry.assetUrl(record, 'a.png')!;
    expect(png.startsWith('blob:')).to.equal(true);
    expect((await fetch(png)).headers.get('content-type')).to.equal('image/png');
    const url = host.registry.assetUrl(record, 'icons/app.svg')!;
    expect(url.startsWith('data:image/svg+xml;base64,')).to.equal(true);
    const response = await fetch(url);
    expect(response.headers.get('content-type')).to.equal('image/svg+xml');
    expect(await response.text()).to.equal(svg);
    expect(host.registry.assetUrl(record, 'missing.png')).to.equal(undefined);
    host.destroy();
  });

  it('reads a DPK (dataloop.json at its root) as a Dataloop app, and keeps the assets across a reload', async () => {
    const db = `slotbridge-package-${Date.now()}`;
    const first = createHost({ project: 'p1', user: { id: 'u1' }, store: new IndexedDbStore(db) });
    const published = await first.registry.publishPackage(
      pack({ 'dataloop.json': JSON.stringify(manifest), 'assets/icons/app.svg': svg }),
      { baseUrl },
    );
    expect(published.manifest.bridge).to.equal('dataloop');
    const other = await first.registry.publishPackage(pack({ 'app.json': JSON.stringify({ ...manifest, name: 'packed-native' }) }), {
      baseUrl,
    });
    expect(other.manifest.bridge).to.equal('slotbridge');
    first.destroy();
    const second = createHost({ project: 'p1', user: { id: 'u1' }, store: new IndexedDbStore(db) });
    await second.ready;
    const record = second.registry.app('packed')!;
    expect(await (await fetch(second.registry.assetUrl(record, 'icons/app.svg')!)).text()).to.equal(svg);
    second.destroy();
  });

  it('refuses a zip without a manifest, a corrupt zip, an invalid manifest and a zip bomb, and changes nothing', async () => {
    const host = createHost({ project: 'p1', user: { id: 'u1' }, store: new MemoryStore() });
    const noManifest = await rejection(host.registry.publishPackage(pack({ 'assets/a.txt': 'x' }), { baseUrl }));
    expect(noManifest?.code).to.equal(ErrorCode.MANIFEST_INVALID);
    expect(noManifest?.message).to.match(/no app\.json or dataloop\.json/);
    const corrupt = await rejection(host.registry.publishPackage(new Uint8Array([80, 75, 3, 4, 1, 2, 3, 4, 5]), { baseUrl }));
    expect(corrupt?.code).to.equal(ErrorCode.BAD_INPUT);
    const invalid = await rejection(
      host.registry.publishPackage(pack({ 'app.json': JSON.stringify({ ...manifest, version: 'x' }) }), { baseUrl }),
    );
    expect(invalid?.code).to.equal(ErrorCode.MANIFEST_INVALID);
    // A small zip whose directory claims its file inflates to almost 4 GB.
    const bomb = pack({ 'app.json': JSON.stringify(manifest), 'assets/big.bin': 'tiny' });
    const view = new DataView(bomb.buffer, bomb.byteOffset, bomb.byteLength);
    for (let i = 0; i < bomb.length - 4; i++) {
      if (view.getUint32(i, true) === 0x02014b50) view.setUint32(i + 24, 0xfffffff0, true); // central directory: uncompressed size
    }
    const refused = await rejection(host.registry.publishPackage(bomb, { baseUrl }));
    expect(refused?.code).to.equal(ErrorCode.PAYLOAD_TOO_LARGE);
    const notBytes = await rejection(host.registry.publishPackage('zip' as never, { baseUrl }));
    expect(notBytes?.code).to.equal(ErrorCode.BAD_INPUT);
    expect(host.registry.available()).to.deep.equal([]);
    host.destroy();
  });
});
