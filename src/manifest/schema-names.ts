/** The names and versions a manifest holds: app names, component names, versions, permissions. */
import * as z from 'zod/mini';
import { doc } from './schema-doc.js';

// App names follow Dioptra's rule (unique, no path characters); slug-ness is only a warning.
export const APP_NAME = /^(?!\.{1,2}$)[^\u0000-\u001f\u007f/\\]{1,100}$/;
// Component names become URL path segments and `module.function` parts: no dots, no slashes.
const COMPONENT_NAME = /^[A-Za-z0-9_][A-Za-z0-9_-]{0,99}$/;
const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;
const PERMISSION = /^[a-z][a-zA-Z0-9_-]*:[a-zA-Z*][a-zA-Z0-9_*-]*$/;

export const AppName = doc(
  z.string().check(
    z.regex(APP_NAME, {
      error: 'write 1 to 100 characters with no control character, "/" or "\\", and not "." or ".." (a slug such as "my-app" is best)',
    }),
  ),
  'Unique name of the app in a deployment. 1-100 characters; no control characters, "/" or "\\"; not "." or "..". A slug ([a-z0-9][a-z0-9_-]*) is recommended.',
);

/** A component name, with its own description (a schema has one description, so each use gets its own schema). */
export const componentName = (description: string) =>
  doc(
    z.string().check(
      z.regex(COMPONENT_NAME, {
        error: 'write 1 to 100 letters, digits, "_" or "-", starting with a letter, digit or "_"',
      }),
    ),
    description,
  );

export const ComponentName = componentName('Name of a panel, toolbar, module or function: letters, digits, "_" and "-".');

export const Version = doc(
  z.string().check(z.regex(SEMVER, { error: 'write a semantic version such as "1.2.0"' })),
  'Semantic version (three numbers, e.g. 1.2.0). Missing means 0.0.0, with a warning.',
);

export const Permission = doc(
  z.string().check(z.regex(PERMISSION, { error: 'write "namespace:verb", such as "items:read"' })),
  'A permission the app asks for, as namespace:verb (e.g. items:read).',
);
