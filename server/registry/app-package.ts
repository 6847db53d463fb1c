/**
 * A package as the service reads it: every file, through the strict zip
 * reader (the browser registry's), within the same limits. The manifest is
 * `app.json`, or `dataloop.json` for a DPK.
 */
import { ErrorCode } from '../../src/errors/error-code.js';
import { SlotbridgeError } from '../../src/errors/slotbridge-error.js';
import { MAX_PACKAGE_BYTES, MAX_PACKAGE_FILES } from '../../src/registry/read-package.js';
import { crc32, inflateRawSync } from 'node:zlib';
import { inflateEntry, readZipDirectory, type ZipCodecs, type ZipEntry } from '../../src/registry/zip-reader.js';

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
  // Every file is checked now (sizes, CRC-32), not when first served: a package is whole or refused.
  let manifest = '';
  for (const entry of entries.values()) {
    const bytes = inflateEntry(zip, entry, NODE_CODECS);
    if (entry === manifestEntry) manifest = new TextDecoder().decode(bytes);
  }
  return { manifest, dataloop: !entries.has('app.json'), entries };
}
