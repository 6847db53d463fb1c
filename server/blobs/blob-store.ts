/**
 * Where package files and artifact bytes live: content-addressed by SHA-256,
 * so the same bytes are stored once and a digest names them forever. An S3
 * store implements the same methods.
 */
export interface BlobStore {
  /**
   * Starts writing `bytes` before their digest is known (while they are still
   * being checked): nothing is stored under a digest until `keep`, and `drop`
   * throws the written bytes away (a no-op after `keep`).
   */
  stage(bytes: Uint8Array): StagedBlob;
  /** Stores `bytes` (once: the same bytes again are a no-op) and resolves with their digest, `sha256:<hex>` (`digest`: the caller's, when it computed it already). */
  put(bytes: Uint8Array, digest?: string): Promise<string>;
  /** The bytes of `digest`, or undefined when there are none. */
  get(digest: string): Promise<Uint8Array | undefined>;
  has(digest: string): Promise<boolean>;
}

export interface StagedBlob {
  /** Stores the staged bytes under `digest` (theirs: the caller computed it); the same bytes stored already are a no-op. */
  keep(digest: string): Promise<string>;
  drop(): Promise<void>;
}
