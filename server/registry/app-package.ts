/**
 * A package as the service reads it: every file, through the strict zip
 * reader (the browser registry's), within the same limits. The manifest is
 * `app.json`, or `dataloop.json` for a DPK.
 */
import { ErrorCode } from '../../src/errors/error-code.js';
import { SlotbridgeError } from '../../src/errors/slotbridge-error.js';
import { MAX_PACKAGE_BYTES, MAX_PACKAGE_FILES } from '../../src/registry/read-package.js';
import { promisify } from 'node:util';
import { crc32, inflateRaw, inflateRawSync } from 'node:zlib';
import {
  checkInflated,
  inflateEntry,
  inflateFailed,
  readZipDirectory,
  storedBytes,
  type ZipCodecs,
  type ZipEntry,
} from '../../src/registry/zip-reader.js';

const inflateRawAsync = promisify(inflateRaw);

/** Node's own inflate (stopping past the declared size) and CRC-32: the same checks, natively. */
export const NODE_CODECS: ZipCodecs = {
  inflateRaw: (data, max) => inflateRawSync(data, { maxOutputLength: Math.max(max, 1) }),
  crc32: (data) => crc32(data),
};

export interface PackageFiles {
  manifest: string;
  dataloop: boolean;
  /** Every file's directory entry, by path. */
  entries: Map<string, ZipEntry>;
}

export function readAppPackage(zip: Uint8Array): PackageFiles {
  const entries = new Map(readZipDirectory(zip, { maxFiles: MAX_PACKAGE_FILES, maxBytes: MAX_PACKAGE_BYTES }).map((e) => [e.name, e]));
  const manifestEntry = entries.get('app.json') ?? entries.get('dataloop.json');
  if (!manifestEntry) {
    throw new SlotbridgeError(
      ErrorCode.MANIFEST_INVALID,
      'The package has no app.json or dataloop.json at its root; make it with slotbridge pack <app-dir>.',
      { errors: [{ path: '', code: 'required', message: 'No manifest in the package.' }] },
    );
  }
  const manifest = new TextDecoder().decode(inflateEntry(zip, manifestEntry, NODE_CODECS));
  return { manifest, dataloop: !entries.has('app.json'), entries };
}

/**
 * Every file checked (inflated no further than its declared size, its CRC-32)
 * before the package is kept, not when first served: a package is whole or
 * refused. Inflated on libuv's threads, so a publish checks while it writes.
 */
export async function checkPackageFiles(zip: Uint8Array, entries: Map<string, ZipEntry>): Promise<void> {
  await Promise.all(
    [...entries.values()].map(async (entry) => {
      const stored = storedBytes(zip, entry);
      let out: Uint8Array;
      if (entry.method === 0) out = stored;
      else {
        try {
          out = await inflateRawAsync(stored, { maxOutputLength: Math.max(entry.size, 1), chunkSize: Math.max(entry.size, 64) });
        } catch (err) {
          inflateFailed(entry, err);
        }
      }
      checkInflated(entry, out, NODE_CODECS);
    }),
  );
}
