/**
 * Where package files and artifact bytes live: content-addressed by SHA-256,
 * so the same bytes are stored once and a digest names them forever. An S3
 * store implements the same three methods.
 */
export interface BlobStore {
  /** Stores `bytes` (once: the same bytes again are a no-op) and resolves with their digest, `sha256:<hex>` (`digest`: the caller's, when it computed it already). */
  put(bytes: Uint8Array, digest?: string): Promise<string>;
  /** The bytes of `digest`, or undefined when there are none. */
  get(digest: string): Promise<Uint8Array | undefined>;
  has(digest: string): Promise<boolean>;
}
