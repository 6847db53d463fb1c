/**
 * Reads an app package (a zip made by `slotbridge pack`): its manifest and
 * its assets. Sizes are checked from the zip's directory before anything is
 * inflated, so a zip bomb is refused without being opened.
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
  if (!(bytes instanceof Uint8Array)) throw new SlotbridgeError(ErrorCode.BAD_INPUT, 'publishPackage takes the zip as a Uint8Array (from fetch(...).arrayBuffer(), a File, ...).');
  // Loaded on first use: most hosts never read a package, and the unzipper is a third of a host's weight.
  const { unzipSync } = await import('fflate');
  let declared = 0;
  let count = 0;
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter: (file) => {
        count++;
        declared += file.originalSize;
        if (count > MAX_PACKAGE_FILES || declared > MAX_PACKAGE_BYTES) {
          throw new SlotbridgeError(
            ErrorCode.PAYLOAD_TOO_LARGE,
            `The package declares more than ${count > MAX_PACKAGE_FILES ? `${MAX_PACKAGE_FILES} files` : `${MAX_PACKAGE_BYTES / (1024 * 1024)} MB once unzipped`}; nothing was read. Ship large data separately.`,
          );
        }
        return file.name === 'app.json' || file.name === 'dataloop.json' || (file.name.startsWith('assets/') && !file.name.endsWith('/'));
      },
    });
  } catch (err) {
    if (err instanceof SlotbridgeError) throw err;
    throw new SlotbridgeError(ErrorCode.BAD_INPUT, `The package is not a readable zip (${err instanceof Error ? err.message : String(err)}); make it with slotbridge pack.`);
  }
  const manifestFile = files['app.json'] ?? files['dataloop.json'];
  if (!manifestFile) {
    throw new SlotbridgeError(ErrorCode.MANIFEST_INVALID, 'The package has no app.json or dataloop.json at its root; make it with slotbridge pack <app-dir>.', { errors: [{ path: '', code: 'required', message: 'No manifest in the package.' }] });
  }
  const assets: Record<string, Uint8Array> = {};
  for (const [name, data] of Object.entries(files)) {
    if (!name.startsWith('assets/')) continue;
    const path = name.slice('assets/'.length);
    // The same rule as ${ASSET:...} references: nothing may climb out of assets/.
    if (path.split('/').some((part) => part === '..' || part === '')) continue;
    assets[path] = data;
  }
  // A DPK (Dataloop's package: dataloop.json at its root, no app.json) is a Dataloop app.
  return { manifest: new TextDecoder().decode(manifestFile), assets, dataloop: files['app.json'] === undefined };
}
