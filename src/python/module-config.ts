/**
 * What the host tells a Python module frame about its module, in the frame
 * URL's `module` query parameter: the entry point to fetch, the functions
 * to register, and Dataloop's class layout. The runner parses it by schema.
 */
import * as z from 'zod/mini';

const Name = z.string().check(z.regex(/^[A-Za-z_][A-Za-z0-9_]{0,99}$/));

export const PythonModuleConfig = z.object({
  /** The entry point's absolute URL (under the app's base URL). */
  entry: z.string().check(z.maxLength(4000)),
  /** The module's name in the manifest. */
  module: z.string().check(z.maxLength(200)),
  /** The functions to register: the manifest's, and the artifact codecs that name this module. */
  functions: z.array(Name).check(z.maxLength(500)),
  /** Dataloop's layout: the class whose methods are the functions, made once with `initInputs`. */
  className: z.optional(Name),
  initInputs: z.record(Name, z.unknown()),
});
export type PythonModuleConfig = z.infer<typeof PythonModuleConfig>;
