/** `slotbridge/server`: the registry as a service, to run (`slotbridge serve`) or to mount in a platform's own Node app. */
export { createServer, type ServerOptions, type SlotbridgeServer } from './server.js';
export { signUserToken, type PlatformUser } from './auth/user-token.js';
export type { BlobStore } from './blobs/blob-store.js';
export { startRunner, type Runner, type RunnerOptions } from './runner/runner.js';
