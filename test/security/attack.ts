/**
 * The security suite's cases. Each one performs an attack and asserts that it
 * failed; then the class's health check proves that the host and a second,
 * honest panel still work. Either way a row goes to the suite's table
 * (`npm run test:security`): a case that fails counts nothing as refused.
 * A case returns what it saw refused; a helper such as `refusedWhen` counts
 * one observation.
 */
import { executeServerCommand } from '@web/test-runner-commands';
import { expect } from 'chai';
import type { Harness } from '../browser/bridge/harness.js';

export type AttackClass =
  | 'sandbox escape'
  | 'origin and identity spoofing'
  | 'permission escalation'
  | 'injection'
  | 'resource abuse'
  | 'UI integrity'
  | 'fuzzing: protocol'
  | 'fuzzing: manifests'
  | 'faults'
  | 'soak'
  | 'xFrame'
  | 'Python';

/**
 * What a case observed: hostile inputs tried (1 unless said), how many of
 * them it saw refused (counted from what came back, never copied from
 * `tried`), leaks found.
 */
export interface Outcome {
  tried?: number;
  refused: number;
  leaks?: number;
}

export interface TallyRow {
  class: AttackClass;
  case: string;
  tried: number;
  refused: number;
  healthy: boolean;
  leaks: number;
}

export function tally(row: TallyRow): Promise<unknown> {
  return executeServerCommand('security-tally', row);
}

/** Declares the cases of one class: `attack(title, run)`, each followed by `healthy()`. */
export function attacks(cls: AttackClass, healthy: () => Promise<void>) {
  return (title: string, run: () => Promise<Outcome>): void => {
    it(title, async () => {
      let outcome: Outcome = { refused: 0 };
      let failure: unknown;
      try {
        outcome = await run();
      } catch (err) {
        failure = err;
      }
      let isHealthy = false;
      try {
        await healthy();
        isHealthy = true;
      } catch (err) {
        failure ??= err;
      }
      const tried = outcome.tried ?? 1;
      await tally({
        class: cls,
        case: title,
        tried,
        refused: failure ? 0 : outcome.refused,
        healthy: isHealthy,
        leaks: outcome.leaks ?? 0,
      });
      // What the attack's own checks threw (an assertion's error), as it was thrown.
      if (failure !== undefined) throw failure as Error;
    });
  };
}

/** The honest panel (tag `honest`) still gets answers, and the host still runs functions. */
export async function honestStillWorks(h: Harness): Promise<void> {
  const answer = await h.command('honest', 'call', { method: 'items.get', args: ['still-here'] });
  expect(answer.value).to.deep.equal({ id: 'still-here', name: 'Item still-here' });
  expect((await h.host.execute('app-a', 'worker.double', { n: 2 })).outputs).to.deep.equal({ result: 4 });
  expect(h.host.panels.find((p) => p.context['tag'] === 'honest')?.state).to.equal('ready');
}

/** The longest the host page's thread was held while `work` ran, in ms (a 10 ms timer that notes its own lateness). */
export async function longestStall(work: () => Promise<unknown>): Promise<number> {
  let longest = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 10);
  try {
    await work();
    await new Promise((r) => setTimeout(r, 50));
  } finally {
    clearInterval(timer);
  }
  return longest;
}

/** 1 when `observed` is the refusal expected, else 0: a refusal counted from what came back. */
export function refusedWhen(observed: boolean): number {
  return observed ? 1 : 0;
}
