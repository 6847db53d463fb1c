/**
 * What a frame's connection needs beyond the host core, loaded when the
 * first frame mounts: the schemas of penpal's messages and of the guest's
 * hello, and the built-in namespaces, with zod/mini under them. A page that
 * only publishes, installs or shows settings never loads it.
 */
export { builtinApi } from './builtins.js';
export { parseHello } from './hello.js';
export { parsePenpalMessage } from './penpal-message.js';

export type BridgeRuntime = typeof import('./bridge-runtime.js');
