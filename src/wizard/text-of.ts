/** A value as text shows it: a scalar as its string, a list or a group as JSON. */
export function textOf(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'undefined':
      return 'undefined';
    case 'symbol':
      return value.toString();
    default:
      // An object or a list; a function has no JSON at all.
      return JSON.stringify(value) || '';
  }
}
