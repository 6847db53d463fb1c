/**
 * Deadlines for promises, on one shared timer per timeout length instead of
 * a timer per call: calls with the same timeout expire in the order they
 * started, so each length needs only a queue and the timer of its head. A
 * settled call only marks its entry; the timer, once armed, stays until it
 * fires, so a stream of calls costs no timer work at all. When it fires on an
 * empty queue it is not armed again: an idle page holds no timer.
 * (Penpal's own per-call timeout is also avoided because it is never cleared
 * on a reply: each call would leave a live timer behind for the whole timeout.)
 */
interface Entry {
  at: number;
  expire: () => void;
  done: boolean;
}

interface Queue {
  items: Entry[];
  head: number;
  timer: ReturnType<typeof setTimeout> | undefined;
}

const queues = new Map<number, Queue>();

/** Calls `expire` after `ms` unless the returned cancel function runs first. */
export function addDeadline(ms: number, expire: () => void): () => void {
  let queue = queues.get(ms);
  if (!queue) queues.set(ms, (queue = { items: [], head: 0, timer: undefined }));
  // Date.now(), not performance.now(): a deadline needs no sub-millisecond precision, and it is several times cheaper.
  const entry: Entry = { at: Date.now() + ms, expire, done: false };
  queue.items.push(entry);
  if (queue.timer === undefined) arm(ms, queue);
  return () => {
    if (entry.done) return;
    entry.done = true;
    settleHead(queue);
  };
}

/** Rejects with `onTimeout()` if `promise` has not settled within `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => unknown): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const cancel = addDeadline(ms, () => reject(onTimeout()));
    promise.then(
      (value) => {
        cancel();
        resolve(value);
      },
      (error: unknown) => {
        cancel();
        reject(error);
      },
    );
  });
}

/** Drops settled entries from the head, so that memory follows the calls in flight. */
function settleHead(queue: Queue): void {
  while (queue.head < queue.items.length && queue.items[queue.head].done) queue.head++;
  if (queue.head === queue.items.length) {
    queue.items.length = 0;
    queue.head = 0;
  } else if (queue.head > 1024 && queue.head * 2 > queue.items.length) {
    queue.items = queue.items.slice(queue.head);
    queue.head = 0;
  }
}

/** Stops the timers of queues with nothing in flight (for teardown: an idle page then holds no timer). */
export function releaseIdleDeadlines(): void {
  for (const [ms, queue] of queues) {
    settleHead(queue);
    if (queue.items.length === 0) {
      clearTimeout(queue.timer);
      queues.delete(ms);
    }
  }
}

function arm(ms: number, queue: Queue): void {
  const head = queue.items[queue.head];
  queue.timer = setTimeout(
    () => {
      queue.timer = undefined;
      const now = Date.now();
      while (queue.head < queue.items.length && queue.items[queue.head].at <= now) {
        const entry = queue.items[queue.head++];
        if (!entry.done) {
          entry.done = true;
          entry.expire();
        }
      }
      settleHead(queue);
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- an expire() above may have armed it again
      if (queue.timer !== undefined) return;
      if (queue.items.length > 0) arm(ms, queue);
      else queues.delete(ms);
    },
    Math.max(0, head.at - Date.now()),
  );
}
