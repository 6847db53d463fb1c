/**
 * A strict reader of an app package's zip. It reads the central directory
 * (what `unzip -l` and a reviewer see) and refuses the package, before
 * inflating a byte, for anything that could make two readers disagree or one
 * reader work without bound: an entry count or declared total over the
 * limits, encrypted or unknown compression, zip64, a name that is absolute,
 * climbs with `..`, holds a backslash or a control character, is not UTF-8,
 * or repeats another (exactly, or as a case-insensitive file system would
 * see it), a symbolic link, a local header that names another file, entries
 * whose data overlap (the trick of the biggest bombs), and a declared size
 * more than deflate can reach from the bytes stored. Then each entry is
 * inflated with its declared size as a hard cap, and its length and CRC-32
 * must match what the directory says: a zip that lies about its sizes stops
 * after at most its declared bytes, and is refused.
 */
import { Inflate } from 'fflate';
import { ErrorCode } from '../errors/error-code.js';
import { SlotbridgeError } from '../errors/slotbridge-error.js';

export interface ZipEntry {
  name: string;
  /** Bytes once inflated, as the directory declares them. */
  size: number;
  compressedSize: number;
  crc: number;
  method: 0 | 8;
  /** Where its data starts in the zip. */
  dataStart: number;
}

export interface ZipLimits {
  maxFiles: number;
  maxBytes: number;
}

/** Deflate cannot expand data by more than about 1,032 times. */
const MAX_DEFLATE_RATIO = 1100;
const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const INFLATE_CHUNK = 16 * 1024;

const fail = (message: string, code: ErrorCode = ErrorCode.BAD_INPUT): never => {
  throw new SlotbridgeError(code, message);
};

/** The files of a zip (directories left out), checked as above; nothing is inflated. */
export function readZipDirectory(bytes: Uint8Array, limits: ZipLimits): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = findEndOfDirectory(bytes, view);
  if (view.getUint16(end + 4, true) !== 0 || view.getUint16(end + 6, true) !== 0)
    fail('The package is a multi-part zip; make one file with slotbridge pack.');
  const count = view.getUint16(end + 10, true);
  const directorySize = view.getUint32(end + 12, true);
  const directoryStart = view.getUint32(end + 16, true);
  if (count === 0xffff || directoryStart === 0xffffffff)
    fail(
      `The package is a zip64 file; a package holds at most ${limits.maxFiles} files and ${limits.maxBytes} bytes, which a plain zip can hold.`,
    );
  if (count > limits.maxFiles)
    fail(
      `The package holds ${count} entries, more than ${limits.maxFiles}; nothing was read. Ship large data separately.`,
      ErrorCode.PAYLOAD_TOO_LARGE,
    );
  if (directoryStart + directorySize > end) fail("The zip's directory lies outside the file; the package is damaged.");

  const entries: ZipEntry[] = [];
  const seen = new Set<string>();
  const folded = new Map<string, string>();
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let declared = 0;
  let at = directoryStart;
  for (let i = 0; i < count; i++) {
    if (at + 46 > directoryStart + directorySize || view.getUint32(at, true) !== CENTRAL) fail("The zip's directory is damaged.");
    const madeBy = view.getUint16(at + 4, true) >> 8;
    const flags = view.getUint16(at + 8, true);
    const method = view.getUint16(at + 10, true);
    const crc = view.getUint32(at + 16, true);
    const compressedSize = view.getUint32(at + 20, true);
    const size = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const next = at + 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    const external = view.getUint32(at + 38, true);
    const localAt = view.getUint32(at + 42, true);
    const nameBytes = bytes.subarray(at + 46, at + 46 + nameLength);
    at = next;
    let name: string;
    try {
      name = decoder.decode(nameBytes);
    } catch {
      return fail(`Entry ${i + 1}'s name is not UTF-8; name files in UTF-8.`);
    }
    checkName(name);
    // Unix hosts keep the file's mode in the upper half of the external attributes.
    if (madeBy === 3 && ((external >>> 16) & S_IFMT) === S_IFLNK) fail(`"${name}" is a symbolic link; a package holds files only.`);
    if (seen.has(name))
      fail(`"${name}" is in the package twice; a reviewer could read one and the registry the other. Make it with slotbridge pack.`);
    seen.add(name);
    const key = name.normalize('NFC').toLowerCase();
    const clash = folded.get(key);
    if (clash !== undefined) fail(`"${name}" and "${clash}" are one file on a case-insensitive disk; rename one.`);
    folded.set(key, name);
    if (name.endsWith('/')) continue;
    if (flags & 1) fail(`"${name}" is encrypted; a package is not.`);
    if (method !== 0 && method !== 8) fail(`"${name}" uses compression method ${method}; a package uses deflate or none.`);
    if (method === 0 ? size !== compressedSize : size > compressedSize * MAX_DEFLATE_RATIO + 1024) {
      fail(
        `"${name}" declares ${size} bytes from ${compressedSize} stored, more than deflate can make; the package is a zip bomb or damaged.`,
        ErrorCode.PAYLOAD_TOO_LARGE,
      );
    }
    declared += size;
    if (declared > limits.maxBytes)
      fail(
        `The package declares more than ${limits.maxBytes / (1024 * 1024)} MB once unzipped; nothing was read. Ship large data separately.`,
        ErrorCode.PAYLOAD_TOO_LARGE,
      );
    if (localAt + 30 > directoryStart || view.getUint32(localAt, true) !== LOCAL)
      fail(`"${name}" has no local header where the directory says; the package is damaged.`);
    const localNameLength = view.getUint16(localAt + 26, true);
    const localName = bytes.subarray(localAt + 30, localAt + 30 + localNameLength);
    if (localNameLength !== nameLength || !localName.every((b, j) => b === nameBytes[j]))
      fail(`"${name}" is named otherwise in its local header; the package is damaged or crafted.`);
    const dataStart = localAt + 30 + localNameLength + view.getUint16(localAt + 28, true);
    if (dataStart + compressedSize > directoryStart) fail(`"${name}"'s data runs past the zip's directory; the package is damaged.`);
    entries.push({ name, size, compressedSize, crc, method: method as 0 | 8, dataStart });
  }
  // Entries that share data are how the biggest zip bombs multiply: each entry's data is its own.
  const byStart = [...entries].sort((a, b) => a.dataStart - b.dataStart);
  for (let i = 1; i < byStart.length; i++) {
    const before = byStart[i - 1];
    if (before.dataStart + before.compressedSize > byStart[i].dataStart)
      fail(`"${before.name}" and "${byStart[i].name}" share their data; the package is a zip bomb or damaged.`);
  }
  return entries;
}

/** Faster native codecs where there are some (Node's `zlib`): a raw inflate that stops past `max` bytes (throwing), and a CRC-32. */
export interface ZipCodecs {
  inflateRaw(data: Uint8Array, max: number): Uint8Array;
  crc32(data: Uint8Array): number;
}

/**
 * The bytes of one entry: inflated no further than its declared size, and
 * checked against its size and CRC-32.
 */
export function inflateEntry(bytes: Uint8Array, entry: ZipEntry, codecs?: ZipCodecs): Uint8Array {
  const stored = storedBytes(bytes, entry);
  let out: Uint8Array;
  if (entry.method === 0) out = stored.slice();
  else if (codecs) {
    try {
      out = codecs.inflateRaw(stored, entry.size);
    } catch (err) {
      return inflateFailed(entry, err);
    }
  } else {
    out = new Uint8Array(entry.size);
    let length = 0;
    const inflate = new Inflate((chunk) => {
      if (length + chunk.length > entry.size) tooLarge(entry);
      out.set(chunk, length);
      length += chunk.length;
    });
    try {
      for (let at = 0; at < stored.length; at += INFLATE_CHUNK)
        inflate.push(stored.subarray(at, at + INFLATE_CHUNK), at + INFLATE_CHUNK >= stored.length);
      if (stored.length === 0) inflate.push(new Uint8Array(0), true);
    } catch (err) {
      inflateFailed(entry, err);
    }
    out = out.subarray(0, length);
  }
  return checkInflated(entry, out, codecs);
}

/** An entry's bytes as they sit in the zip (deflated or stored). */
export function storedBytes(bytes: Uint8Array, entry: ZipEntry): Uint8Array {
  return bytes.subarray(entry.dataStart, entry.dataStart + entry.compressedSize);
}

/** An inflater's failure as the reader's error: past the declared size (a bomb), or not deflate. */
export function inflateFailed(entry: ZipEntry, err: unknown): never {
  if (err instanceof SlotbridgeError) throw err;
  if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) tooLarge(entry);
  return fail(`"${entry.name}" is not readable deflate data (${err instanceof Error ? err.message : String(err)}).`);
}

/** Inflated bytes held to the entry's declared size and CRC-32. */
export function checkInflated(entry: ZipEntry, out: Uint8Array, codecs?: Pick<ZipCodecs, 'crc32'>): Uint8Array {
  if (out.length !== entry.size)
    fail(`"${entry.name}" inflates to ${out.length} bytes, not the ${entry.size} it declares; the package is damaged.`);
  if ((codecs ? codecs.crc32(out) : crc32(out)) >>> 0 !== entry.crc)
    fail(`"${entry.name}" fails its CRC-32 check; the package is damaged.`);
  return out;
}

function tooLarge(entry: ZipEntry): never {
  return fail(
    `"${entry.name}" inflates to more than the ${entry.size} bytes it declares; the package is refused.`,
    ErrorCode.PAYLOAD_TOO_LARGE,
  );
}

function findEndOfDirectory(bytes: Uint8Array, view: DataView): number {
  // The end record is the last 22 bytes, unless a comment (at most 65,535 bytes) follows it.
  for (let at = bytes.length - 22; at >= 0 && at >= bytes.length - 22 - 0xffff; at--) {
    if (view.getUint32(at, true) === EOCD && at + 22 + view.getUint16(at + 20, true) === bytes.length) return at;
  }
  return fail('The package is not a zip (no end of central directory); make it with slotbridge pack.');
}

/** A name that lands inside the package's folder on every system, or a refusal naming why not. */
function checkName(name: string): void {
  const problem =
    name === ''
      ? 'is empty'
      : /[\u0000-\u001f\u007f]/.test(name)
        ? 'holds a control character'
        : name.includes('\\')
          ? 'holds a backslash'
          : name.startsWith('/') || /^[A-Za-z]:/.test(name)
            ? 'is absolute'
            : name
                  .replace(/\/$/, '')
                  .split('/')
                  .some((part) => part === '' || part === '.' || part === '..')
              ? 'has an empty, "." or ".." part'
              : undefined;
  if (problem) fail(`An entry's name ${problem} (${JSON.stringify(name.slice(0, 200))}); every file of a package lies inside it.`);
}

let table: Uint32Array | undefined;

function crc32(data: Uint8Array): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) crc = table[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
