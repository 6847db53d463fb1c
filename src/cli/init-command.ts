import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { validateManifest } from '../manifest/validate.js';
import { CliError } from './app-files.js';
import { appTemplate } from './init-template.js';
import type { Output } from './output.js';
import { builtFile, dependencySpec, pyodideSpec } from './serve/package-root.js';
import { GUEST_SDK_PATH } from './serve/platform-server.js';

const USAGE = 'Usage: slotbridge init <dir> [--name <app-name>] [--python]';

/** `slotbridge init <dir>`: a new app (one panel, one toolbar; with --python, a Python function too) in a new or empty folder. */
export function initCommand(args: readonly string[], out: Output): number {
  let name: string | undefined;
  let python = false;
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--name') {
      name = args[++i];
      if (!name) throw new CliError(`init: --name needs a name. ${USAGE}`, 2);
    } else if (arg === '--python') python = true;
    else if (arg.startsWith('-')) throw new CliError(`init: unknown option ${arg}. ${USAGE}`, 2);
    else positional.push(arg);
  }
  if (positional.length !== 1) throw new CliError(`init: name exactly one folder to create. ${USAGE}`, 2);
  const dir = resolve(positional[0]);
  if (existsSync(dir) && (!statSync(dir).isDirectory() || readdirSync(dir).length > 0)) {
    throw new CliError(`init: ${positional[0]} already exists and is not an empty folder; name a new folder.`);
  }
  const appName = name ?? slug(basename(dir));
  if (!appName) throw new CliError(`init: cannot make an app name from "${basename(dir)}"; pass --name my-app.`, 2);
  const title = appName.replace(/[-_]+/g, ' ').replace(/^\w/, (c) => c.toUpperCase());
  const files = appTemplate(appName, title, { slotbridge: dependencySpec(), ...(python ? { pyodide: pyodideSpec() } : {}) }, python);
  // The template must stay valid: check before writing anything.
  const check = validateManifest(files['app.json']);
  if (!check.ok)
    throw new CliError(`init: "${appName}" does not make a valid app: ${check.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`, 2);
  const sdk = builtFile('browser', 'slotbridge-guest.js');

  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  mkdirSync(join(dir, dirname(GUEST_SDK_PATH)), { recursive: true });
  copyFileSync(sdk, join(dir, GUEST_SDK_PATH));
  // "Created my-app in my-app" says the name twice: the folder alone says both when they agree.
  const where = basename(dir) === appName ? `${positional[0]}/` : `${appName} in ${positional[0]}/`;
  out.stdout(
    `Created ${where}: app.json, one panel (panels/main/) and its test, ${python ? 'a Python function (modules/main.py), two toolbar buttons' : 'one toolbar'}.`,
  );
  out.stdout(`Next: cd ${positional[0]} && npm install && npm test, then npm run dev`);
  return 0;
}

/** A recommended app name: lower case letters, digits and "-". */
function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 100);
}
