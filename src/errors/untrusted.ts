/**
 * Checks of what a caller the types cannot vouch for passed: a platform's
 * JavaScript, a guest's message. Typed `unknown` on purpose, so that the
 * check stays whatever the declared type claims.
 */

/** An object (or array), not null. */
export function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

/** A string of at least one character. */
export function isName(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

/** `T`'s keys, each of which may hold anything. */
export type Untrusted<T> = { readonly [K in keyof T]?: unknown };
