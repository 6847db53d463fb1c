import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parsePenpalMessage } from '../../src/bridge/native/penpal-message.js';

const channel = 'f'.repeat(32);
const call = { namespace: 'penpal', channel, type: 'CALL', id: 'c1', methodPath: ['call'], args: ['items.get', ['i1']] };

describe("the host's check of a frame's penpal messages", () => {
  it('takes a well-formed call and each handshake message', () => {
    assert.ok(parsePenpalMessage(call, channel));
    for (const message of [
      { namespace: 'penpal', channel, type: 'SYN', participantId: 'p' },
      { namespace: 'penpal', channel, type: 'ACK1', methodPaths: [['hello'], ['call']] },
      { namespace: 'penpal', channel, type: 'ACK2' },
      { namespace: 'penpal', channel, type: 'REPLY', callId: 'c1', value: 1 },
      { namespace: 'penpal', channel, type: 'DESTROY' },
    ]) {
      assert.ok(parsePenpalMessage(message, channel), message.type);
    }
  });

  it('drops messages without the frame secret or with a bad shape', () => {
    for (const message of [
      { ...call, channel: 'guessed' },
      { ...call, channel: undefined },
      { ...call, namespace: 'other' },
      { ...call, methodPath: 'call' },
      { ...call, methodPath: ['a', 'b', 'c', 'd', 'e'] },
      { ...call, methodPath: [1] },
      { ...call, args: 'x' },
      { ...call, id: 7 },
      { ...call, id: 'x'.repeat(101) },
      { ...call, type: 'NOPE' },
      'garbage',
      null,
      42,
    ]) {
      assert.equal(parsePenpalMessage(message, channel), undefined, JSON.stringify(message));
    }
  });
});
