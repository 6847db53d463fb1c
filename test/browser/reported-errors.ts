/**
 * Runs `fn` and returns what it reported with `reportError` (or threw from a
 * task) meanwhile, instead of letting mocha fail the test on them: the page's
 * `onerror` is the test's for that time.
 */
export async function reportedErrors(fn: () => Promise<void>): Promise<unknown[]> {
  const reported: unknown[] = [];
  const mochas = window.onerror;
  window.onerror = (_message, _source, _line, _column, error) => {
    reported.push(error);
    return true;
  };
  try {
    await fn();
  } finally {
    window.onerror = mochas;
  }
  return reported;
}
