/**
 * Reads an app package (a zip made by `slotbridge pack`): its manifest and
 * its assets, through the strict zip reader (`zip-reader.ts`): counts, sizes
 * and names are checked from the zip's directory before anything is
 * inflated, and no entry inflates past what it declares.
 */
import { ErrorCode } from '../errors/error-code.js';
import { SlotbridgeError } from '../errors/slotbridge-error.js';

/** Largest total an app package may inflate to. */
export const MAX_PACKAGE_BYTES = 50 * 1024 * 1024;
/** Most files an app package may hold. */
export const MAX_PACKAGE_FILES = 2000;

export interface AppPackage {
  /** The manifest file's text. */
  manifest: string;
  /** `assets/...` files, by their path inside `assets/`. */
  assets: Record<string, Uint8Array>;
  /** A DPK: its manifest is a `dataloop.json` (there is no `app.json`). */
  dataloop: boolean;
}

export async function readPackage(bytes: Uint8Array): Promise<AppPackage> {
  if (!(bytes instanceof Uint8Array))
    throw new SlotbridgeError(
      ErrorCode.BAD_INPUT,
      'publishPackage takes the zip as a Uint8Array (from fetch(...).arrayBuffer(), a File, ...).',
    );
  // Loaded on first use: most hosts never read a package, and the unzipper is a third of a host's weight.
  const { readZipDirectory, inflateEntry } = await import('./zip-reader.js');
  const entries = readZipDirectory(bytes, { maxFiles: MAX_PACKAGE_FILES, maxBytes: MAX_PACKAGE_BYTES });
  const wanted = entries.filter((e) => e.name === 'app.json' || e.name === 'dataloop.json' || e.name.startsWith('assets/'));
  const files = new Map(wanted.map((entry) => [entry.name, inflateEntry(bytes, entry)]));
  const manifestFile = files.get('app.json') ?? files.get('dataloop.json');
  if (!manifestFile) {
    throw new SlotbridgeError(
      ErrorCode.MANIFEST_INVALID,
      'The package has no app.json or dataloop.json at its root; make it with slotbridge pack <app-dir>.',
      { errors: [{ path: '', code: 'required', message: 'No manifest in the package.' }] },
    );
  }
  const assets: Record<string, Uint8Array> = {};
  // The reader refused every name that could climb out of the package, so a path inside assets/ stays inside it.
  for (const [name, data] of files) if (name.startsWith('assets/')) assets[name.slice('assets/'.length)] = data;
  // A DPK (Dataloop's package: dataloop.json at its root, no app.json) is a Dataloop app.
  return { manifest: new TextDecoder().decode(manifestFile), assets, dataloop: !files.has('app.json') };
}
