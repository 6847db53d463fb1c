/**
 * App packages built to fool a reader: zips that lie about their sizes, bombs
 * that share their data, entries named twice (or twice on a case-insensitive
 * disk), names that climb out, symbolic links, a damaged CRC, zip64 and
 * counts past the limit. Each is refused before anything is published, and
 * the platform page is never held while it is read.
 */
import { expect } from 'chai';
import { strToU8, zipSync } from 'fflate';
import { createHarness, crossOriginFixtures, type Harness } from '../browser/bridge/harness.js';
import { ErrorCode, type SlotbridgeError } from '../../src/index.js';
import { attacks, honestStillWorks, longestStall } from './attack.js';

const manifest = strToU8(JSON.stringify({ name: 'crafted', version: '1.0.0', components: { panels: [{ name: 'p', url: 'p.html', supportedSlots: [{ type: 'itemViewer' }] }] } }));

/** A zip of `files` (deflated unless `store`), and the places of each entry's fields, to be rewritten. */
function zipOf(files: Record<string, Uint8Array>, store = false) {
  const zip = zipSync(Object.fromEntries(Object.entries(files).map(([name, data]) => [name, [data, { level: store ? 0 : 9 }]])));
  const view = new DataView(zip.buffer);
  const central: Record<string, number> = {};
  const local: Record<string, number> = {};
  for (let at = 0; at + 4 <= zip.length; at++) {
    const sig = view.getUint32(at, true);
    if (sig === 0x02014b50) central[new TextDecoder().decode(zip.subarray(at + 46, at + 46 + view.getUint16(at + 28, true)))] = at;
    else if (sig === 0x04034b50) local[new TextDecoder().decode(zip.subarray(at + 30, at + 30 + view.getUint16(at + 26, true)))] = at;
  }
  let eocd = zip.length - 22;
  while (view.getUint32(eocd, true) !== 0x06054b50) eocd--;
  return { zip, view, central, local, eocd };
}

/** Renames an entry in place (same length), in both its headers. */
function rename(z: ReturnType<typeof zipOf>, from: string, to: string): void {
  z.zip.set(strToU8(to), z.central[from]! + 46);
  z.zip.set(strToU8(to), z.local[from]! + 30);
}

/** Each crafted package, with the code it must be refused with and the words that say why. */
function craftedPackages(): { what: string; zip: Uint8Array; code: string; says: RegExp }[] {
  const out: { what: string; zip: Uint8Array; code: string; says: RegExp }[] = [];
  // 24 MB of zeros deflate to about 24 KB; the directory says 1 KB.
  const liar = zipOf({ 'app.json': manifest, 'assets/big.bin': new Uint8Array(24 * 1024 * 1024) });
  liar.view.setUint32(liar.central['assets/big.bin']! + 24, 1024, true);
  liar.view.setUint32(liar.local['assets/big.bin']! + 22, 1024, true);
  out.push({ what: 'declares 1 KB, inflates to 24 MB', zip: liar.zip, code: ErrorCode.PAYLOAD_TOO_LARGE, says: /more than the 1024 bytes it declares/ });

  const short = zipOf({ 'app.json': manifest, 'assets/a.txt': strToU8('x'.repeat(5000)) });
  short.view.setUint32(short.central['assets/a.txt']! + 24, 6000, true);
  out.push({ what: 'declares more than it inflates to', zip: short.zip, code: ErrorCode.BAD_INPUT, says: /not the 6000 it declares/ });

  const ratio = zipOf({ 'app.json': manifest, 'assets/big.bin': new Uint8Array(1024 * 1024) });
  ratio.view.setUint32(ratio.central['assets/big.bin']! + 24, 40 * 1024 * 1024, true);
  out.push({ what: 'declares 40 MB from 1 KB stored', zip: ratio.zip, code: ErrorCode.PAYLOAD_TOO_LARGE, says: /more than deflate can make/ });

  const crc = zipOf({ 'app.json': manifest, 'assets/a.txt': strToU8('honest text') }, true);
  crc.zip[crc.local['assets/a.txt']! + 30 + 'assets/a.txt'.length] ^= 0xff;
  out.push({ what: 'damaged bytes (CRC-32)', zip: crc.zip, code: ErrorCode.BAD_INPUT, says: /CRC-32/ });

  const twice = zipOf({ 'app.json': manifest, 'bpp.json': strToU8(JSON.stringify({ name: 'other', version: '9.0.0' })) });
  rename(twice, 'bpp.json', 'app.json');
  out.push({ what: 'app.json twice', zip: twice.zip, code: ErrorCode.BAD_INPUT, says: /twice/ });

  const cased = zipOf({ 'app.json': manifest, 'assets/Icon.png': strToU8('a'), 'assets/icon.png': strToU8('b') });
  out.push({ what: 'two names one file on a case-insensitive disk', zip: cased.zip, code: ErrorCode.BAD_INPUT, says: /case-insensitive/ });

  for (const name of ['assets/../../evil.js', '/etc/evil.js', 'assets\\..\\evil.js', 'C:/evil.js', 'assets//x.js', 'assets/./x.js', 'assets/\u0001x.js']) {
    out.push({ what: `an entry named ${JSON.stringify(name)}`, zip: zipOf({ 'app.json': manifest, [name]: strToU8('x') }).zip, code: ErrorCode.BAD_INPUT, says: /lies inside it/ });
  }

  const link = zipOf({ 'app.json': manifest, 'assets/link.txt': strToU8('/etc/passwd') }, true);
  link.view.setUint16(link.central['assets/link.txt']! + 4, (3 << 8) | 20, true);
  link.view.setUint32(link.central['assets/link.txt']! + 38, (0o120777 << 16) >>> 0, true);
  out.push({ what: 'a symbolic link', zip: link.zip, code: ErrorCode.BAD_INPUT, says: /symbolic link/ });

  const shared = zipOf({ 'app.json': manifest, 'assets/a.bin': new Uint8Array(4096), 'assets/b.bin': new Uint8Array(4096) });
  shared.view.setUint32(shared.central['assets/b.bin']! + 42, shared.view.getUint32(shared.central['assets/a.bin']! + 42, true), true);
  out.push({ what: 'two entries pointing at one data', zip: shared.zip, code: ErrorCode.BAD_INPUT, says: /local header|share their data/ });

  const many = zipOf({ 'app.json': manifest });
  many.view.setUint16(many.eocd + 10, 0xffff, true);
  out.push({ what: 'zip64 (an entry count of 0xffff)', zip: many.zip, code: ErrorCode.BAD_INPUT, says: /zip64/ });

  const count = zipOf({ 'app.json': manifest });
  count.view.setUint16(count.eocd + 10, 2001, true);
  out.push({ what: '2,001 entries', zip: count.zip, code: ErrorCode.PAYLOAD_TOO_LARGE, says: /more than 2000/ });
  return out;
}

describe('security: crafted app packages', () => {
  let h: Harness;
  const attack = attacks('resource abuse', () => honestStillWorks(h));

  beforeEach(async () => {
    h = await createHarness({ timeouts: { handshake: 5000, call: 5000 } });
    await h.mountGuest('honest');
  });

  afterEach(() => h.destroy());

  attack('publishes zips that lie, repeat, climb out, link or share their data: each refused with why, nothing published, the page never held', async () => {
    const packages = craftedPackages();
    let refused = 0;
    for (const { what, zip, code, says } of packages) {
      let error: SlotbridgeError | undefined;
      const stall = await longestStall(async () => {
        error = await h.host.registry.publishPackage(zip, { baseUrl: crossOriginFixtures }).then(
          () => undefined,
          (err: SlotbridgeError) => err,
        );
      });
      expect(error?.code, what).to.equal(code);
      expect(error?.message, what).to.match(says);
      expect(stall, `${what}: the page was held`).to.be.below(1000);
      expect(h.host.registry.app('crafted'), what).to.equal(undefined);
      expect(h.host.registry.app('other'), what).to.equal(undefined);
      refused++;
    }
    // The same files, honestly zipped, publish.
    await h.host.registry.publishPackage(zipOf({ 'app.json': manifest, 'assets/a.txt': strToU8('honest text') }).zip, { baseUrl: crossOriginFixtures });
    expect(h.host.registry.app('crafted')?.assets?.['a.txt']).to.deep.equal(strToU8('honest text'));
    return { tried: packages.length, refused };
  });
});
