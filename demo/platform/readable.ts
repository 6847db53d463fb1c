/** A value as a person reads it: an object's fields as `name value` joined by ` · `, a list with commas, text without quotes. */
export function readable(value: unknown): string {
  if (Array.isArray(value)) return value.map(readable).join(', ');
  if (value && typeof value === 'object')
    return Object.entries(value)
      .map(([key, v]) => `${key} ${readable(v)}`)
      .join(' · ');
  return String(value);
}
