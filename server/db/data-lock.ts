/**
 * One server per data folder: two PGlite processes writing one folder corrupt
 * it. The lock is a folder made with `mkdir` (atomic: one of two racers gets
 * it) holding the owner's pid. A lock whose process is gone (a server killed
 * with SIGKILL) is taken over.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCode } from '../../src/errors/error-code.js';
import { SlotbridgeError } from '../../src/errors/slotbridge-error.js';

export interface DataLock {
  release(): void;
}

export function lockDataFolder(folder: string): DataLock {
  mkdirSync(folder, { recursive: true });
  const lock = join(folder, 'lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      return { release: () => rmSync(lock, { recursive: true, force: true }) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number(readPid(lock));
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && alive(owner)) {
        throw new SlotbridgeError(
          ErrorCode.CONFLICT,
          `Another slotbridge server (pid ${owner}) is using the data folder ${folder}; stop it first, or give this one another --data folder. Two servers on one embedded database would corrupt it; for more than one server, use PostgreSQL (DATABASE_URL).`,
        );
      }
      // Its process is gone: the lock is stale.
      rmSync(lock, { recursive: true, force: true });
    }
  }
  throw new SlotbridgeError(ErrorCode.CONFLICT, `Could not lock the data folder ${folder}; another server may be starting on it.`);
}

function readPid(lock: string): string {
  try {
    return readFileSync(join(lock, 'pid'), 'utf8').trim();
  } catch {
    return '';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
