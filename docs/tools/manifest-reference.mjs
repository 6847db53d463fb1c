// Writes docs/manifest-reference.md from the manifest's JSON Schema (itself
// generated from the zod schema): every field, its type, default and meaning.
// `node docs/tools/manifest-reference.mjs` after `npm run build`; a test
// checks the committed file matches.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export async function manifestReference() {
  const { manifestJsonSchema: schema } = await import('../../dist/manifest.js');
  const defs = schema.$defs ?? {};
  const resolve = (node) => (node?.$ref ? defs[node.$ref.replace('#/$defs/', '')] : node);
  const rows = [];

  const typeOf = (node) => {
    node = resolve(node);
    if (!node) return 'any';
    if (node.enum) return node.enum.map((v) => `\`${JSON.stringify(v)}\``).join(' · ');
    if (node.const !== undefined) return `\`${JSON.stringify(node.const)}\``;
    if (node.anyOf || node.oneOf) return (node.anyOf ?? node.oneOf).map(typeOf).join(' or ');
    if (node.type === 'array') return `${typeOf(node.items)}[]`;
    if (node.type === 'object' && node.additionalProperties && typeof node.additionalProperties === 'object' && !node.properties) return `{ [key]: ${typeOf(node.additionalProperties)} }`;
    return Array.isArray(node.type) ? node.type.join(' or ') : (node.type ?? 'any');
  };
  const cell = (text) => String(text ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');

  const seen = new Set();
  const walk = (node, path, required) => {
    node = resolve(node);
    if (!node || seen.has(node)) return;
    if (path) {
      const constraints = [];
      if (node.pattern) constraints.push(`pattern \`${node.pattern}\``);
      if (node.minLength !== undefined) constraints.push(`at least ${node.minLength} characters`);
      if (node.exclusiveMinimum !== undefined) constraints.push(`> ${node.exclusiveMinimum}`);
      const description = [node.description, constraints.length ? `(${constraints.join(', ')})` : ''].filter(Boolean).join(' ');
      rows.push(`| \`${path}\` | ${cell(typeOf(node))} | ${required ? 'yes' : ''} | ${node.default !== undefined ? `\`${cell(JSON.stringify(node.default))}\`` : ''} | ${cell(description)} |`);
    }
    const object = node.type === 'array' ? resolve(node.items) : node;
    if (!object?.properties) return;
    seen.add(node);
    const suffix = node.type === 'array' ? '[]' : '';
    for (const [name, child] of Object.entries(object.properties)) walk(child, path ? `${path}${suffix}.${name}` : name, object.required?.includes(name));
    seen.delete(node);
  };
  walk(schema, '', false);

  return `# Manifest reference

Generated from the manifest schema (\`src/manifest/schema.ts\`) by
\`docs/tools/manifest-reference.mjs\`; do not edit by hand. The same schema
gives \`slotbridge/manifest.schema.json\` (for editors) and
\`validateManifest\`. Objects keep fields they do not list (Dataloop's and
ClearML's other fields pass through unchanged).

${schema.description ?? ''}

| field | type | required | default | meaning |
| --- | --- | --- | --- | --- |
${rows.join('\n')}
`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(new URL('../manifest-reference.md', import.meta.url), await manifestReference());
  console.log('wrote docs/manifest-reference.md');
}
