/** How the manifest schema documents itself: each part's description, where `toJSONSchema` and the docs find it. */
import * as z from 'zod/mini';

// Descriptions live in zod's global registry, where toJSONSchema finds them.
export function doc<T extends z.ZodMiniType>(schema: T, description: string): T {
  z.globalRegistry.add(schema, { description });
  return schema;
}

export const text = (description: string) => doc(z.string(), description);
export const optionalText = (description: string) => z.optional(text(description));
