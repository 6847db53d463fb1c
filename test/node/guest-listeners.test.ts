import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Listeners } from '../../src/guest/listeners.js';

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
