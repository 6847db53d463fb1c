/**
 * A blob store in a folder: `blobs/<first two hex>/<the rest>`. A blob is
 * written to a temporary file, flushed, and renamed into place, so a server
 * killed mid-write leaves a stray temporary file, never a blob with wrong
 * bytes under a digest.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { BlobStore } from './blob-store.js';

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
    const path = this.#path(digest)!;
    if (await exists(path)) return digest;
    const tmp = join(this.#root, 'tmp');
    await mkdir(tmp, { recursive: true });
    await mkdir(join(path, '..'), { recursive: true });
    const partial = join(tmp, randomBytes(12).toString('hex'));
    const file = await open(partial, 'w');
    try {
      await file.writeFile(bytes);
      await file.sync();
    } finally {
      await file.close();
    }
    try {
      await rename(partial, path);
    } catch (err) {
      await rm(partial, { force: true });
      throw err;
    }
    return digest;
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
