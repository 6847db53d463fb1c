/**
 * Checks the schema cannot express: names that must be unique, references
 * that must point at something, safety rules, and the warnings for what the
 * browser host accepts but does not run. They read the raw JSON defensively
 * (a malformed part is skipped: the schema reports it), so that one manifest
 * gets every problem at once, not only the schema's.
 */
import { compileFilter } from './filter.js';
import { type IssueList, ManifestIssueCode as Code } from './issues.js';
import { ioTypeProblem } from './io-values.js';
import { APP_NAME } from './schema.js';
import { ASSET_REFERENCE, pageUrlProblem, relativePathProblem } from './urls.js';
import { isPythonModule } from './python-module.js';
import {
  BROWSER_SLOT_TYPES,
  IO_TYPES,
  artifactTypeOf,
  KEPT_COMPONENT_LISTS,
  KEPT_TOP_LEVEL_FIELDS,
  SANDBOX_ALLOWLIST,
} from './vocabulary.js';

type Json = Record<string, unknown>;
type Path = (string | number)[];
interface Named {
  name: string;
  index: number;
  node: Json;
}

const obj = (v: unknown): Json | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
/** The elements of a list that are objects with a string name, with their index. */
const named = (v: unknown): Named[] =>
  list(v).flatMap((node, index) => {
    const o = obj(node);
    const name = str(o?.['name']);
    return o && name !== undefined ? [{ name, index, node: o }] : [];
  });
const ioTypes: ReadonlySet<string> = new Set(IO_TYPES);

const SLUG = /^[a-z0-9][a-z0-9_-]*$/;
const browserSlots: ReadonlySet<string> = new Set(BROWSER_SLOT_TYPES);
const sandboxAllowed: ReadonlySet<string> = new Set(SANDBOX_ALLOWLIST);

export function checkCrossReferences(manifest: Json, schemaKeys: readonly string[], issues: IssueList): void {
  const components = obj(manifest['components']) ?? {};
  checkGeneral(manifest, components, schemaKeys, issues);
  checkPanels(components, issues);
  checkModules(components, issues);
  checkToolbars(components, issues);
  checkArtifacts(components, issues);
  const wizard = obj(manifest['wizard']);
  if (wizard) checkWizardEntries(wizard['entries'], ['wizard', 'entries'], [], issues);
  checkAssetReferences(manifest, [], issues);
}

function checkGeneral(manifest: Json, components: Json, schemaKeys: readonly string[], issues: IssueList): void {
  const name = str(manifest['name']);
  if (name !== undefined && APP_NAME.test(name) && !SLUG.test(name)) {
    issues.warn(
      ['name'],
      Code.NAME_NOT_SLUG,
      `"${name}" is not a slug; it works, but a name such as "${slugify(name)}" is easier to use in URLs and commands.`,
    );
  }
  if (manifest['version'] === undefined) {
    issues.warn(
      ['version'],
      Code.VERSION_MISSING,
      'No version: treated as "0.0.0". Add "version": "1.0.0" so that upgrades can be told apart.',
    );
  }
  const known = new Set<string>([...schemaKeys, ...KEPT_TOP_LEVEL_FIELDS]);
  for (const key of Object.keys(manifest)) {
    if (!known.has(key))
      issues.warn([key], Code.UNKNOWN_FIELD, `"${key}" is not a manifest field; it is kept but nothing reads it. Check the spelling.`);
  }
  const seen = new Set<unknown>();
  list(manifest['permissions']).forEach((permission, i) => {
    if (seen.has(permission))
      issues.warn(['permissions', i], Code.DUPLICATE_NAME, `${JSON.stringify(permission)} is listed twice; remove the repeat.`);
    seen.add(permission);
  });
  for (const kept of KEPT_COMPONENT_LISTS) {
    if (list(components[kept]).length > 0) {
      issues.warn(
        ['components', kept],
        Code.COMPONENT_NOT_RUN,
        `components.${kept} is kept for the platform; the browser host does not run it.`,
      );
    }
  }
  if (list(manifest['services']).length > 0) {
    issues.warn(['services'], Code.COMPONENT_NOT_RUN, 'services is kept for the platform; the browser host does not run it.');
  }
}

function checkPanels(components: Json, issues: IssueList): void {
  const panels = named(components['panels']);
  checkUnique(panels, ['components', 'panels'], 'panel', issues);
  list(components['panels']).forEach((node, i) => {
    const panel = obj(node);
    if (!panel) return;
    const path: Path = ['components', 'panels', i];
    checkPageUrl(panel['url'], [...path, 'url'], issues);
    list(panel['supportedSlots']).forEach((slot, s) => {
      const type = str(obj(slot)?.['type']);
      if (type && !browserSlots.has(type)) {
        issues.warn(
          [...path, 'supportedSlots', s, 'type'],
          Code.SLOT_NOT_RUN,
          `Slot type "${type}" is kept, but the browser host only shows panels in ${BROWSER_SLOT_TYPES.join(', ')}.`,
        );
      }
    });
    list(panel['sandbox']).forEach((token, t) => {
      if (typeof token !== 'string' || sandboxAllowed.has(token)) return;
      const unsafe = token === 'allow-same-origin' || token.startsWith('allow-top-navigation');
      issues.error(
        [...path, 'sandbox', t],
        unsafe ? Code.UNSAFE_SANDBOX : Code.INVALID_VALUE,
        unsafe
          ? `"${token}" would let the panel escape its sandbox, so it is refused. Keep data in the bridge's storage (host.storage) and navigate with host.ui.openPanel.`
          : `"${token}" is not an allowed sandbox token; use one of: ${SANDBOX_ALLOWLIST.join(', ')}.`,
      );
    });
  });
}

function checkModules(components: Json, issues: IssueList): void {
  const modules = named(components['modules']);
  checkUnique(modules, ['components', 'modules'], 'module', issues);
  for (const { node: module, index: m } of modules) {
    const path: Path = ['components', 'modules', m];
    checkPageUrl(module['url'], [...path, 'url'], issues);
    // A Python entry point is fetched by the browser: it names a file of the app, as a page does.
    if (module['url'] === undefined && isPythonModule(module)) checkPageUrl(module['entryPoint'], [...path, 'entryPoint'], issues);
    checkUnique(named(module['functions']), [...path, 'functions'], 'function', issues);
    for (const { node: fn, index: f } of named(module['functions'])) {
      for (const side of ['input', 'output'] as const) checkUnique(named(fn[side]), [...path, 'functions', f, side], side, issues);
      for (const { node: param, index: p } of named(fn['input'])) {
        const type = str(param['type']);
        if (param['value'] === undefined || type === undefined || (!ioTypes.has(type) && artifactTypeOf(type) === undefined)) continue;
        const problem = ioTypeProblem(type, param['value']);
        if (problem)
          issues.error(
            [...path, 'functions', f, 'input', p, 'value'],
            Code.INVALID_TYPE,
            `The default does not fit type ${type}: ${problem}.`,
          );
      }
    }
  }
}

function checkToolbars(components: Json, issues: IssueList): void {
  const toolbars = list(components['toolbars']);
  checkUnique(named(toolbars), ['components', 'toolbars'], 'toolbar', issues);
  const panelNames = named(components['panels']).map((p) => p.name);
  const modules = named(components['modules']);
  toolbars.forEach((node, i) => {
    const invoke = obj(obj(node)?.['invoke']);
    const type = str(invoke?.['type']);
    const namespace = str(invoke?.['namespace']);
    if (!invoke || namespace === undefined || namespace === '') return;
    const path: Path = ['components', 'toolbars', i, 'invoke'];
    if (type === 'script') {
      issues.warn(
        [...path, 'type'],
        Code.SCRIPT_NOT_RUN,
        'invoke.type "script" is kept, but slotbridge never runs extension scripts in the host page; use "panel" or "function".',
      );
    } else if (type === 'panel' && !panelNames.includes(namespace)) {
      issues.error(
        [...path, 'namespace'],
        Code.UNKNOWN_REFERENCE,
        `No panel is named "${namespace}"; write one of: ${listOrNone(panelNames)}.`,
      );
    } else if (type === 'function') {
      const parts = namespace.split('.');
      if (parts.length < 2 || parts.length > 3 || parts.some((part) => part === '')) {
        issues.error(
          [...path, 'namespace'],
          Code.INVALID_FORMAT,
          `"${namespace}" is not a function reference; write "module.function" (or Dataloop's "service.module.function").`,
        );
        return;
      }
      // In the three-part form the service may be created elsewhere: only module.function is checked.
      const [moduleName, fnName] = parts.slice(-2) as [string, string];
      const module = modules.find((m) => m.name === moduleName);
      const functions = named(module?.node['functions']).map((fn) => fn.name);
      if (!module) {
        issues.error(
          [...path, 'namespace'],
          Code.UNKNOWN_REFERENCE,
          `No module is named "${moduleName}"; write one of: ${listOrNone(modules.map((m) => m.name))}.`,
        );
      } else if (!functions.includes(fnName)) {
        issues.error(
          [...path, 'namespace'],
          Code.UNKNOWN_REFERENCE,
          `Module "${moduleName}" has no function "${fnName}"; write one of: ${listOrNone(functions)}.`,
        );
      }
    }
  });
}

/**
 * Artifact type names are unique; each names a module of the app and two of
 * its declared functions; every `Artifact:<name>` IO type names one of them.
 */
function checkArtifacts(components: Json, issues: IssueList): void {
  const artifacts = named(components['artifacts']);
  checkUnique(artifacts, ['components', 'artifacts'], 'artifact type', issues);
  const modules = named(components['modules']);
  for (const { node: artifact, index } of artifacts) {
    const path: Path = ['components', 'artifacts', index];
    const moduleName = str(artifact['module']);
    if (moduleName === undefined) continue;
    const module = modules.find((m) => m.name === moduleName);
    if (!module) {
      issues.error(
        [...path, 'module'],
        Code.UNKNOWN_REFERENCE,
        `No module is named "${moduleName}"; write one of: ${listOrNone(modules.map((m) => m.name))}.`,
      );
      continue;
    }
    const functions = named(module.node['functions']).map((fn) => fn.name);
    for (const codec of ['serialize', 'deserialize'] as const) {
      const fn = str(artifact[codec]);
      if (fn !== undefined && !functions.includes(fn)) {
        issues.error(
          [...path, codec],
          Code.UNKNOWN_REFERENCE,
          `Module "${moduleName}" declares no function "${fn}"; declare it in the module's functions, or write one of: ${listOrNone(functions)}.`,
        );
      }
    }
  }
  const declared = artifacts.map((a) => a.name);
  for (const { node: module, index: m } of modules) {
    for (const { node: fn, index: f } of named(module['functions'])) {
      for (const side of ['input', 'output'] as const) {
        for (const { node: param, index: p } of named(fn[side])) {
          const type = artifactTypeOf(str(param['type']) ?? '');
          if (type !== undefined && !declared.includes(type)) {
            issues.error(
              ['components', 'modules', m, 'functions', f, side, p, 'type'],
              Code.UNKNOWN_REFERENCE,
              `No artifact type is named "${type}"; declare it in components.artifacts, or write one of: ${listOrNone(declared.map((a) => `Artifact:${a}`))}.`,
            );
          }
        }
      }
    }
  }
}

/**
 * Wizard names are unique per level; a `conditional` or `default_conditional_on`
 * may only name a field that comes earlier (in this level or an enclosing one).
 */
function checkWizardEntries(entries: unknown, path: Path, earlier: readonly string[], issues: IssueList): void {
  const fields = named(entries);
  checkUnique(fields, path, 'wizard field', issues);
  const visible = [...earlier];
  const everywhere = new Set(collectNames(entries));
  for (const { node: entry, name, index } of fields) {
    const here: Path = [...path, index];
    list(obj(entry['conditional'])?.['entries']).forEach((condition, c) => {
      const target = str(obj(condition)?.['name']);
      if (target !== undefined) checkEarlier(target, visible, everywhere, name, [...here, 'conditional', 'entries', c, 'name'], issues);
    });
    const defaultOn = str(obj(entry['default_conditional_on'])?.['name']);
    if (defaultOn !== undefined) checkEarlier(defaultOn, visible, everywhere, name, [...here, 'default_conditional_on', 'name'], issues);
    const filters = obj(obj(obj(entry['choices'])?.['filter'])?.['fields']);
    for (const [field, pattern] of Object.entries(filters ?? {})) {
      if (typeof pattern !== 'string') continue;
      try {
        compileFilter(pattern);
      } catch (error) {
        issues.error([...here, 'choices', 'filter', 'fields', field], Code.INVALID_FORMAT, (error as Error).message);
      }
    }
    const target = obj(entry['target']);
    if (target?.['field'] === 'hyperparams' && !str(target['section'])) {
      issues.error([...here, 'target', 'section'], Code.REQUIRED, 'A hyperparams target needs a section, e.g. "section": "General".');
    }
    if (entry['item_template'] !== undefined)
      checkWizardEntries(entry['item_template'], [...here, 'item_template'], [...visible, name], issues);
    visible.push(name);
  }
}

function checkEarlier(
  name: string,
  visible: readonly string[],
  everywhere: ReadonlySet<string>,
  owner: string,
  path: Path,
  issues: IssueList,
): void {
  if (visible.includes(name)) return;
  const why = everywhere.has(name) ? `"${name}" does not come before "${owner}"` : `no field is named "${name}"`;
  const choices = visible.length ? `: ${listOrNone(visible)}` : ', and none comes before it';
  issues.error(path, Code.UNKNOWN_REFERENCE, `${why}; a condition may only name an earlier field${choices}.`);
}

function collectNames(entries: unknown): string[] {
  return named(entries).flatMap((e) => [e.name, ...collectNames(e.node['item_template'])]);
}

function checkPageUrl(url: unknown, path: Path, issues: IssueList): void {
  if (typeof url !== 'string') return;
  const problem = pageUrlProblem(url);
  if (problem) issues.error(path, Code.UNSAFE_URL, `"${url}": ${problem}.`);
}

/** Every `${ASSET:file}` in every string must stay inside the app's assets folder. */
function checkAssetReferences(value: unknown, path: Path, issues: IssueList): void {
  // The preflight already bounded the depth, so recursion here is safe.
  if (typeof value === 'string') {
    for (const match of value.matchAll(ASSET_REFERENCE)) {
      const problem = relativePathProblem(match[1]);
      if (problem) issues.error(path, Code.BAD_ASSET, `${match[0]}: ${problem}; write \${ASSET:file} with a file inside assets/.`);
    }
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => checkAssetReferences(v, [...path, i], issues));
  } else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) checkAssetReferences(v, [...path, k], issues);
  }
}

function checkUnique(items: readonly Named[], path: Path, what: string, issues: IssueList): void {
  const first = new Map<string, number>();
  for (const item of items) {
    const earlier = first.get(item.name);
    if (earlier === undefined) first.set(item.name, item.index);
    else
      issues.error(
        [...path, item.index, 'name'],
        Code.DUPLICATE_NAME,
        `Another ${what} (at index ${earlier}) is already named "${item.name}"; names must be unique.`,
      );
  }
}

function listOrNone(names: readonly string[]): string {
  return names.length ? [...new Set(names)].map((n) => `"${n}"`).join(', ') : '(none declared)';
}

function slugify(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9_-]+/g, '-')
      .replace(/^[-_]+|-+$/g, '') || 'my-app'
  );
}
