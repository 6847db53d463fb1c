import * as z from 'zod/mini';
import { ManifestSchema } from './schema.js';

/** The JSON Schema (draft 2020-12) of a manifest as authors write it, generated from the zod schema. */
export const manifestJsonSchema: Record<string, unknown> = /* @__PURE__ */ buildJsonSchema();

function buildJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(ManifestSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return { ...schema, $id: 'urn:slotbridge:manifest.schema.json', title: 'slotbridge app manifest' };
}
