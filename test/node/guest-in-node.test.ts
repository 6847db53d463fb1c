import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Runs `code` as an ES module in a fresh Node process at the package root, as an author's test file would run. */
function runInNode(code: string) {
  return spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd: root, encoding: 'utf8', timeout: 30_000 });
}

test('an extension tested in Node against createMockHost connects, calls the host, and the process ends once both are destroyed', () => {
  // The docs' example (docs/bridge.md, "Testing an extension"), through the built package's own exports.
  const run = runInNode(`
    import { connect } from 'slotbridge/guest';
    import { createMockHost } from 'slotbridge/guest/testing';
    const mock = createMockHost({ context: { item: { id: 'i1' } } });
    const host = await connect({ port: mock.port });
    await host.ui.notify({ message: 'Saved' });
    await host.storage.set('k', 42);
    await mock.setContext({ item: { id: 'i2' } });
    console.log(JSON.stringify({ notifications: mock.notifications, stored: await host.storage.get('k'), item: host.context.item.id }));
    host.destroy();
    mock.destroy();
  `);
  assert.equal(run.error, undefined, `the process did not end: ${run.error?.message}`);
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(JSON.parse(run.stdout.trim()), { notifications: [{ message: 'Saved', level: 'info' }], stored: 42, item: 'i2' });
});

test('connect() outside a page, without a port, fails at once with PROTOCOL_MISMATCH saying how to test', () => {
  const run = runInNode(`
    import { connect } from 'slotbridge/guest';
    try {
      await connect();
      console.log('connected');
    } catch (err) {
      console.log(JSON.stringify({ name: err.name, code: err.code, message: err.message }));
    }
  `);
  assert.equal(run.error, undefined, `the process did not end: ${run.error?.message}`);
  const failure = JSON.parse(run.stdout.trim());
  assert.equal(failure.name, 'SlotbridgeError');
  assert.equal(failure.code, 'PROTOCOL_MISMATCH');
  assert.match(failure.message, /connect\(\{ port: createMockHost\(\)\.port \}\)/);
});
