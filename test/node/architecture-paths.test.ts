import { it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';

const root = new URL('../../', import.meta.url);
const doc = readFileSync(new URL('docs/architecture.md', root), 'utf8');

/** Each "## The path of ..." section's steps: the file each numbered step starts with. */
function paths(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const section of doc.split(/^## /m).slice(1)) {
    const [title] = section.split('\n', 1);
    if (!title.startsWith('The path of')) continue;
    out.set(
      title,
      [...section.matchAll(/^\d+\. `([^`]+)`/gm)].map((m) => m[1]),
    );
  }
  return out;
}

it('shows the paths of a mount, a handshake, a hello, a call, an event and an execute', () => {
  assert.deepEqual(
    [...paths().keys()],
    [
      'The path of a mount',
      'The path of a handshake',
      'The path of a hello',
      'The path of a call',
      'The path of an event',
      'The path of an execute',
    ],
  );
});

it('names for each step of a path a file that exists, and no file twice in a path', () => {
  for (const [title, files] of paths()) {
    assert.ok(files.length >= 3, `${title}: at least three steps`);
    for (const file of files) assert.ok(existsSync(new URL(file, root)), `${title}: ${file} does not exist`);
    const twice = files.filter((file, i) => files.indexOf(file) !== i);
    assert.deepEqual(twice, [], `${title} passes a file twice`);
  }
});
