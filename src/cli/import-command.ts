import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { validateManifest } from '../manifest/validate.js';
import { CliError, readText } from './app-files.js';
import { convertClearmlApp } from './clearml-app.js';
import type { Output } from './output.js';

const USAGE = 'Usage: slotbridge import <file.app.conf> [-o app.json]';

/**
 * `slotbridge import <file.app.conf> [-o app.json]`: a ClearML app config as
 * a slotbridge manifest, validated. Prints it (or writes it with -o) and the
 * warnings; exit 1 when the result has errors.
 */
export async function importCommand(args: readonly string[], out: Output): Promise<number> {
  const outIndex = args.findIndex((a) => a === '-o' || a === '--out');
  const target = outIndex >= 0 ? args[outIndex + 1] : undefined;
  if (outIndex >= 0 && !target) throw new CliError(`import: -o needs a file name. ${USAGE}`, 2);
  const files = outIndex >= 0 ? args.filter((_, i) => i !== outIndex && i !== outIndex + 1) : [...args];
  const unknown = files.find((a) => a.startsWith('-'));
  if (unknown) throw new CliError(`import: unknown option ${unknown}. ${USAGE}`, 2);
  if (files.length !== 1) throw new CliError(`import: name one ClearML app config. ${USAGE}`, 2);
  const file = files[0];
  const text = readText(file);
  // An app config is data: it may not pull in other files or URLs, nor read this machine's environment.
  if (/^\s*include\b/m.test(text)) throw new CliError(`${file}: includes are not supported; put everything in one file.`);
  let conf: unknown;
  try {
    const { parse } = createRequire(import.meta.url)('@pushcorn/hocon-parser') as {
      parse: (options: { text: string; env: boolean; strict: boolean }) => Promise<unknown>;
    };
    conf = await parse({ text, env: false, strict: false });
  } catch (err) {
    throw new CliError(`${file}: not a valid HOCON app config (${(err as Error).message}).`);
  }
  if (typeof conf !== 'object' || conf === null || Array.isArray(conf))
    throw new CliError(`${file}: an app config is an object of sections (General fields, task, wizard, dashboard).`);
  const { manifest, warnings } = convertClearmlApp(conf as Record<string, unknown>);
  const result = validateManifest(manifest);
  const json = `${JSON.stringify(manifest, null, 2)}\n`;
  if (target) writeFileSync(target, json);
  else out.stdout(json.trimEnd());
  for (const warning of warnings) out.stderr(`warning  ${warning}`);
  for (const issue of result.warnings) out.stderr(`warning  ${issue.path || '(root)'}: ${issue.message} [${issue.code}]`);
  for (const issue of result.errors) out.stderr(`error    ${issue.path || '(root)'}: ${issue.message} [${issue.code}]`);
  out.stderr(
    `${result.ok ? 'ok  ' : 'FAIL'} ${file}: ${result.ok ? 'converted' : 'converted, but the manifest is invalid'}${target ? ` -> ${target}` : ''}`,
  );
  return result.ok ? 0 : 1;
}
