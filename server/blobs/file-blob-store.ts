/**
 * A blob store in a folder: `blobs/<first two hex>/<the rest>`. A blob is
 * written to a temporary file, flushed, and renamed into place, so a server
 * killed mid-write leaves a stray temporary file, never a blob with wrong
 * bytes under a digest.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { BlobStore, StagedBlob } from './blob-store.js';

const DIGEST = /^sha256:([0-9a-f]{64})$/;

export function digestOf(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

export class FileBlobStore implements BlobStore {
  readonly #root: string;

  constructor(root: string) {
    this.#root = root;
  }

  async put(bytes: Uint8Array, known?: string): Promise<string> {
    const digest = known ?? digestOf(bytes);
    if (await exists(this.#path(digest)!)) return digest;
    return this.stage(bytes).keep(digest);
  }

  stage(bytes: Uint8Array): StagedBlob {
    const partial = join(this.#root, 'tmp', randomBytes(12).toString('hex'));
    const written = this.#write(partial, bytes);
    // Whoever keeps or drops it sees the failure; an unwatched one is not an unhandled rejection.
    written.catch(() => undefined);
    let settled = false;
    return {
      keep: async (digest) => {
        const path = this.#path(digest);
        if (!path || settled) throw new Error(`a staged blob is kept once, under a sha256 digest (not ${digest})`);
        settled = true;
        await written;
        try {
          if (await exists(path)) await rm(partial, { force: true });
          else {
            await mkdir(join(path, '..'), { recursive: true });
            await rename(partial, path);
          }
        } catch (err) {
          await rm(partial, { force: true });
          throw err;
        }
        return digest;
      },
      drop: async () => {
        if (settled) return;
        settled = true;
        await written.catch(() => undefined);
        await rm(partial, { force: true });
      },
    };
  }

  async #write(partial: string, bytes: Uint8Array): Promise<void> {
    await mkdir(join(partial, '..'), { recursive: true });
    const file = await open(partial, 'w');
    try {
      await file.writeFile(bytes);
      await file.sync();
    } finally {
      await file.close();
    }
  }

  async get(digest: string): Promise<Uint8Array | undefined> {
    const path = this.#path(digest);
    if (!path) return undefined;
    try {
      return new Uint8Array(await readFile(path));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  async has(digest: string): Promise<boolean> {
    const path = this.#path(digest);
    return path !== undefined && (await exists(path));
  }

  #path(digest: string): string | undefined {
    const hex = DIGEST.exec(digest)?.[1];
    return hex ? join(this.#root, hex.slice(0, 2), hex.slice(2)) : undefined;
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
