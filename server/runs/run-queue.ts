/**
 * The queue under the runs: pg-boss, on the registry's own database (the
 * embedded PGlite too, through pg-boss's bring-your-own-connection option).
 * A job carries only its run's id; the `runs` table is the truth. A run is
 * enqueued in the transaction that records it, so a run never exists without
 * its job, nor a job without its run.
 */
import { CompiledQuery } from 'kysely';
import PgBoss from 'pg-boss';
import type { Database } from '../db/database.js';
import type { Db } from '../registry/context.js';

/** How long a claimed job may sit between pg-boss's fetch and the run's claim before pg-boss hands it out again. */
const DISPATCH_EXPIRE_SECONDS = 60;

/** PostgreSQL's deadlock_detected. */
const DEADLOCK = '40P01';

export class RunQueue {
  readonly #boss: PgBoss;
  /** Each queue made (or being made) on this server. */
  readonly #queues = new Map<string, Promise<void>>();

  private constructor(boss: PgBoss) {
    this.#boss = boss;
  }

  static async start(database: Database): Promise<RunQueue> {
    const boss = new PgBoss({
      db: { executeSql: (text: string, values?: unknown[]) => database.executeSql(text, values) },
      // The servers reap their own leases (runs.ts); pg-boss's maintenance also keeps its tables short.
      supervise: true,
      schedule: false,
      migrate: true,
    });
    // pg-boss reports its background failures here; a run's own failures reach its record.
    boss.on('error', () => undefined);
    await boss.start();
    return new RunQueue(boss);
  }

  /** Enqueues `run` on `queue`, inside `trx` (the transaction that records the run); `prepare` the queue before it. */
  async send(trx: Db, queue: string, run: string): Promise<void> {
    await this.#boss.send(queue, { run }, { expireInSeconds: DISPATCH_EXPIRE_SECONDS, retryLimit: 3, db: viaKysely(trx) });
  }

  /** The next run id on any of `queues`, its job completed once `take` says the run is claimed (or gone). */
  async next(queues: readonly string[], take: (run: string) => Promise<boolean>): Promise<boolean> {
    for (const queue of queues) {
      await this.prepare(queue);
      for (;;) {
        const job = (await this.#boss.fetch<{ run: string }>(queue, { batchSize: 1 })).at(0);
        if (!job) break;
        const taken = await take(job.data.run);
        await this.#boss.complete(queue, job.id);
        if (taken) return true;
      }
    }
    return false;
  }

  async stop(): Promise<void> {
    await this.#boss.stop({ graceful: false, wait: true, close: false });
  }

  /**
   * Makes `queue` if it is new: outside any transaction (on PGlite a
   * transaction holds the one connection). Once per queue on this server,
   * however many ask at once; pg-boss's queue creation, raced by another
   * server, can deadlock: it is tried again.
   */
  prepare(queue: string): Promise<void> {
    let made = this.#queues.get(queue);
    if (!made) {
      made = this.#create(queue);
      this.#queues.set(queue, made);
      made.catch(() => this.#queues.delete(queue));
    }
    return made;
  }

  async #create(queue: string): Promise<void> {
    for (let tries = 1; ; tries++) {
      try {
        await this.#boss.createQueue(queue);
        return;
      } catch (err) {
        if ((err as { code?: string }).code !== DEADLOCK || tries >= 5) throw err;
      }
    }
  }
}

/** pg-boss's `db` for one call, on a Kysely transaction. */
function viaKysely(trx: Db): { executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }> } {
  return {
    executeSql: async (text, values = []) => ({ rows: (await trx.executeQuery(CompiledQuery.raw(text, values))).rows }),
  };
}
