/**
 * docs/slots.md's element reference, rendered from dist/custom-elements.json
 * (which the build makes from the elements' classes and JSDoc). The test
 * compares; run this file to rewrite the section after changing an element:
 * `npm run build && node --import tsx test/node/support/elements-reference.ts`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../..', import.meta.url));
export const START = '<!-- element reference: from dist/custom-elements.json -->';
export const END = '<!-- end of element reference -->';

interface Named {
  name: string;
  description?: string;
  fieldName?: string;
  kind?: string;
  static?: boolean;
  privacy?: string;
  type?: { text: string };
  default?: string;
}
export interface ElementDeclaration {
  tagName?: string;
  name: string;
  summary?: string;
  attributes?: Named[];
  members?: Named[];
  events?: Named[];
  slots?: Named[];
  cssParts?: Named[];
  cssProperties?: Named[];
}
interface CustomElementsManifest {
  modules: { path: string; declarations?: ElementDeclaration[] }[];
}

/** The tags `slotbridge/slots` defines, in the order of its entry. */
export function definedTags(): string[] {
  const entry = readFileSync(`${root}slots/index.ts`, 'utf8');
  const folders = [...entry.matchAll(/from '\.\/([\w-]+)\/index\.js'/g)].map((m) => m[1]);
  // Each folder is one public element, named as its folder; its entry may define internal parts too.
  return folders.filter((folder) => readFileSync(`${root}slots/${folder}/index.ts`, 'utf8').includes(`define('${folder}'`));
}

export function readManifest(): CustomElementsManifest {
  return JSON.parse(readFileSync(`${root}dist/custom-elements.json`, 'utf8')) as CustomElementsManifest;
}

export function elementsOf(manifest: CustomElementsManifest): Map<string, ElementDeclaration> {
  const elements = new Map<string, ElementDeclaration>();
  for (const module of manifest.modules) for (const d of module.declarations ?? []) if (d.tagName) elements.set(d.tagName, d);
  return elements;
}

const cell = (text: string | undefined) => (text ?? '').replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|');

/** The section's markdown: per element, its attributes, properties, events, slots, parts and CSS custom properties. */
export function renderReference(manifest: CustomElementsManifest, tags: string[]): string {
  const elements = elementsOf(manifest);
  const out = [START, ''];
  for (const tag of tags) {
    const d = elements.get(tag);
    if (!d) continue;
    const attributes = d.attributes ?? [];
    const attributeFields = new Set(attributes.map((a) => a.fieldName));
    const properties = (d.members ?? []).filter((m) => m.kind === 'field' && !m.static && !attributeFields.has(m.name));
    const rows = [
      ...attributes.map((a) => [
        'attribute',
        `\`${a.name}\`${a.fieldName && a.fieldName !== a.name ? ` (\`.${a.fieldName}\`)` : ''}`,
        a.description,
      ]),
      ...properties.map((p) => ['property', `\`.${p.name}\``, p.description]),
      ...(d.events ?? []).map((e) => ['event', `\`${e.name}\``, e.description]),
      ...(d.slots ?? []).map((s) => ['slot', s.name ? `\`${s.name}\`` : '(default)', s.description]),
      ...(d.cssParts ?? []).map((p) => ['part', `\`${p.name}\``, p.description]),
      ...(d.cssProperties ?? []).map((p) => ['CSS property', `\`${p.name}\``, p.description]),
    ];
    out.push(`### \`<${tag}>\``, '', cell(d.summary), '', '| kind | name | meaning |', '| --- | --- | --- |');
    for (const [kind, name, description] of rows) out.push(`| ${kind} | ${name} | ${cell(description)} |`);
    out.push('');
  }
  out.push(END);
  return out.join('\n');
}

/** docs/slots.md with its element reference rendered afresh. */
export function withReference(docs: string, reference: string): string {
  const start = docs.indexOf(START);
  const end = docs.indexOf(END);
  if (start < 0 || end < start) throw new Error(`docs/slots.md has no element reference section (${START} ... ${END})`);
  return docs.slice(0, start) + reference + docs.slice(end + END.length);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const file = `${root}docs/slots.md`;
  writeFileSync(file, withReference(readFileSync(file, 'utf8'), renderReference(readManifest(), definedTags())));
}
