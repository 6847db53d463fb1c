/**
 * The guest's `report.*`: every report made in one task goes to the host as
 * one `report.batch` call, so a guest reporting thousands of points a second
 * sends a few messages, not thousands. Each report's promise still settles on
 * its own (a refused one rejects with the host's code).
 */
import { SlotbridgeError } from '../errors/slotbridge-error.js';
import { ErrorCode } from '../errors/error-code.js';

/** Mirrors the host's `MAX_REPORT_BATCH`. */
const MAX_BATCH = 5000;

type Call = (method: string, args: unknown[]) => Promise<unknown>;
interface Queued {
  entry: unknown[];
  resolve(): void;
  reject(error: unknown): void;
}

export function reportMethods(call: Call): Record<'scalar' | 'log' | 'plot' | 'image', (...args: unknown[]) => Promise<void>> {
  let queue: Queued[] = [];
  const flush = (): void => {
    const batch = queue;
    queue = [];
    if (batch.length === 0) return;
    call('report.batch', [batch.map((q) => q.entry)]).then(
      (results) => {
        batch.forEach((q, i) => {
          const failure = (results as unknown[] | undefined)?.[i];
          if (!failure) q.resolve();
          else q.reject(SlotbridgeError.fromJSON(failure) ?? new SlotbridgeError(ErrorCode.INVALID_ARGUMENTS, 'The report was refused.'));
        });
      },
      (error: unknown) => batch.forEach((q) => q.reject(error)),
    );
  };
  const report =
    (kind: string) =>
    (...args: unknown[]): Promise<void> =>
      new Promise((resolve, reject) => {
        if (queue.length === 0) queueMicrotask(flush);
        queue.push({ entry: [kind, ...args], resolve, reject });
        if (queue.length >= MAX_BATCH) flush();
      });
  return { scalar: report('scalar'), log: report('log'), plot: report('plot'), image: report('image') };
}
