import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Listeners, type OnceListener } from '../../src/guest/listeners.js';

test('the guest listener table calls each listener of a name with the payload, and none of other names', () => {
  const table = new Listeners();
  const got: string[] = [];
  table.add('tick', (n) => got.push(`a${n}`));
  table.add('tick', (n) => got.push(`b${n}`));
  table.add('other', () => got.push('other'));
  table.emit('tick', 1);
  assert.deepEqual(got, ['a1', 'b1']);
  assert.equal(table.count('tick'), 2);
  assert.equal(table.count('nobody'), 0);
});

test('the guest listener table calls a function added twice once, like addEventListener', () => {
  const table = new Listeners();
  let calls = 0;
  const fn = () => calls++;
  table.add('tick', fn);
  table.add('tick', fn);
  table.emit('tick', undefined);
  assert.equal(calls, 1);
  assert.equal(table.count('tick'), 1);
});

test('the guest listener table removes one listener, or every listener of a name, or all', () => {
  const table = new Listeners();
  const got: string[] = [];
  const a = () => got.push('a');
  table.add('tick', a);
  table.add('tick', () => got.push('b'));
  table.add('tock', () => got.push('c'));
  table.remove('tick', a);
  table.emit('tick', undefined);
  table.remove('tick');
  table.emit('tick', undefined);
  assert.deepEqual(got, ['b']);
  table.clear();
  table.emit('tock', undefined);
  assert.deepEqual(got, ['b']);
  assert.equal(table.count('tock'), 0);
});

test('an emit calls the listeners there when it started: one added meanwhile waits for the next, one removed meanwhile still runs', () => {
  const table = new Listeners();
  const got: string[] = [];
  const late = () => got.push('late');
  const second = () => got.push('second');
  table.add('tick', () => {
    got.push('first');
    table.add('tick', late);
    table.remove('tick', second);
  });
  table.add('tick', second);
  table.emit('tick', undefined);
  assert.deepEqual(got, ['first', 'second']);
  table.emit('tick', undefined);
  assert.deepEqual(got, ['first', 'second', 'first', 'late']);
});

test('a listener that throws is reported, and the listeners after it still get the event', () => {
  const table = new Listeners();
  const got: unknown[] = [];
  const reported: unknown[] = [];
  const failure = new Error('a listener that fails on purpose');
  const pageReportError = globalThis.reportError;
  globalThis.reportError = (err) => reported.push(err);
  try {
    table.add('tick', () => {
      throw failure;
    });
    table.add('tick', (n) => got.push(n));
    table.emit('tick', 1);
    table.emit('tick', 2);
  } finally {
    globalThis.reportError = pageReportError;
  }
  assert.deepEqual(got, [1, 2]);
  assert.deepEqual(reported, [failure, failure]);
});

test('remove finds a listener added through once by the function it was given', () => {
  const table = new Listeners();
  const fn = () => {};
  const wrapper: OnceListener = Object.assign(() => fn(), { listener: fn });
  table.add('tick', wrapper);
  table.add('tick', () => {});
  table.remove('tick', fn);
  assert.equal(table.count('tick'), 1);
});
