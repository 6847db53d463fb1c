/**
 * A deadline for a promise, with its timer cleared as soon as the promise
 * settles. (Penpal's own per-call timeout is never cleared on a reply: each
 * call would leave a live timer behind for the whole timeout.)
 */
export function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => unknown): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(onTimeout()), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
