// Files stay small enough to read: the host composes (under 250 lines), the
// frame's state machine is under 200, and no source file under src/ or slots/
// is over 300 (tests aside).
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
const lines = (file: string) => readFileSync(join(root, file), 'utf8').split('\n').length - 1;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [relative(root, path)] : [];
  });
}

it('keeps src/ and slots/ in files of at most 300 lines, the host under 250 and the frame state machine under 200', () => {
  const long = ['src', 'slots'].flatMap((dir) => sources(join(root, dir))).filter((file) => lines(file) > 300);
  assert.deepEqual(long, [], `over 300 lines: ${long.map((f) => `${f} (${lines(f)})`).join(', ')}`);
  assert.ok(lines('src/host/host.ts') < 250, `src/host/host.ts has ${lines('src/host/host.ts')} lines`);
  assert.ok(lines('src/host/frame-state.ts') < 200, `src/host/frame-state.ts has ${lines('src/host/frame-state.ts')} lines`);
});
