/**
 * Resolves once `check` returns a value other than undefined/false. Polls on
 * animation frames; the long deadline only stops a broken test from hanging,
 * it is not a timing assertion.
 */
export async function waitFor<T>(check: () => T | undefined | false | null, what: string, deadlineMs = 15_000): Promise<T> {
  const end = performance.now() + deadlineMs;
  for (;;) {
    const value = check();
    // A promise is truthy at once: an async check would pass before it ran.
    if (value instanceof Promise) throw new Error(`waitFor was given an async check for ${what}; use waitForAsync`);
    if (value !== undefined && value !== false && value !== null) return value;
    if (performance.now() > end) throw new Error(`Gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** `waitFor` for a check that has to await (a server command); resolves once it gives a value other than undefined. */
export async function waitForAsync<T>(check: () => Promise<T | undefined>, what: string, deadlineMs = 15_000): Promise<T> {
  const end = performance.now() + deadlineMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (performance.now() > end) throw new Error(`Gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
