/**
 * What a frame's connection needs beyond the host core, loaded when the
 * first frame mounts: the schemas of penpal's messages and of the guest's
 * hello, and the built-in namespaces, with zod/mini under them. A page that
 * only publishes, installs or shows settings never loads it.
 */
import { builtinApi } from './builtins.js';
import { parseHello } from './hello.js';
import { parsePenpalMessage } from './penpal-message.js';

export { builtinApi, parseHello, parsePenpalMessage };

/** What the loaded chunk offers (its exports). */
export interface BridgeRuntime {
  builtinApi: typeof builtinApi;
  parseHello: typeof parseHello;
  parsePenpalMessage: typeof parsePenpalMessage;
}
