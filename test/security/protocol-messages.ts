/**
 * Arbitrary and mutated messages for the fuzzing tests: on the window,
 * penpal's (the handshake's), with the frame's secret or without, one field
 * set to anything, removed, or their type changed; on a guest's own port,
 * slotbridge's protocol lists (`[kind, ...]`) with an entry set to anything,
 * cut short or made longer; and anything at all.
 */
import fc from 'fast-check';

const TYPES = ['SYN', 'ACK1', 'ACK2', 'CALL', 'REPLY', 'DESTROY'];

function templates(secret: string): Record<string, unknown>[] {
  const base = (channel: unknown) => ({ namespace: 'penpal', channel });
  return [secret, 'guessed', undefined].flatMap((channel) => [
    { ...base(channel), type: 'SYN', participantId: 'p1' },
    { ...base(channel), type: 'ACK1' },
    { ...base(channel), type: 'ACK2' },
    { ...base(channel), type: 'CALL', id: 'c1', methodPath: ['call'], args: ['storage.get', ['k']] },
    { ...base(channel), type: 'CALL', id: 'c2', methodPath: ['event'], args: ['cmd', { op: 'context' }] },
    { ...base(channel), type: 'REPLY', callId: 'c1', value: 1 },
    { ...base(channel), type: 'REPLY', callId: 'c1', isError: true, value: { name: 'Error', message: 'x' } },
    { ...base(channel), type: 'DESTROY' },
  ]);
}

/** One mutation of a template. */
const mutation = (template: Record<string, unknown>) =>
  fc.oneof(
    fc
      .tuple(fc.constantFrom(...Object.keys(template), '__proto__', 'constructor', 'methodPath', 'args', 'value'), fc.anything())
      .map(([key, value]) => {
        const copy = { ...template };
        Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
        return copy;
      }),
    fc.constantFrom(...Object.keys(template)).map((key) => {
      const copy = { ...template };
      Reflect.deleteProperty(copy, key);
      return copy;
    }),
    fc.oneof(fc.constantFrom(...TYPES), fc.string()).map((type) => ({ ...template, type })),
    fc
      .array(fc.oneof(fc.string(), fc.constantFrom('call', 'hello', '__proto__', 'constructor', 'toString', 'apply')), { maxLength: 4 })
      .map((methodPath) => ({ ...template, methodPath })),
  );

/**
 * Messages that must be refused or answered with an error. `isAllowed`
 * drops the ones that are a well-formed message the sender may legitimately
 * send (a new handshake resets its own connection; a DESTROY ends it).
 */
export function fuzzMessages(secret: string, count: number, seed: number, isAllowed: (message: unknown) => boolean): unknown[] {
  const arbitrary = fc.oneof(
    { weight: 1, arbitrary: fc.anything() },
    { weight: 3, arbitrary: fc.constantFrom(...templates(secret)).chain(mutation) },
    // Protocol 1.2 events, `[name, payload, secret]`, with the secret, a guess, none, or one item more or less.
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          fc.oneof(fc.constantFrom('cmd', 'context', '__proto__'), fc.anything()),
          fc.anything(),
          fc.constantFrom(secret, 'guessed', undefined),
        )
        .chain((list) => fc.constantFrom(list, list.slice(0, 2), [...list, secret])),
    },
  );
  const out: unknown[] = [];
  let round = 0;
  while (out.length < count) {
    for (const message of fc.sample(arbitrary, { numRuns: count, seed: seed + round++ }))
      if (isAllowed(message) && out.length < count) out.push(message);
  }
  return out;
}

/** slotbridge's own port protocol, guest to host: a call, a function's result, a pong. */
const PORT_TEMPLATES: unknown[][] = [
  [0, 1, 'storage.get', ['k']],
  [0, 2, 'probe.record', [{ id: 'forged' }]],
  [1, 1, true, 'a result'],
  [1, 2, false, { name: 'SlotbridgeError', code: 'EXECUTION_FAILED', message: 'x' }],
  [2, 1],
];

/** Messages for a guest's own port: mutated protocol lists, and anything at all. */
export function portMessages(count: number, seed: number): unknown[] {
  const mutated = fc.constantFrom(...PORT_TEMPLATES).chain((template) =>
    fc.oneof(
      fc.tuple(fc.nat(template.length - 1), fc.anything()).map(([at, value]) => template.map((v, i) => (i === at ? value : v))),
      fc.nat(template.length - 1).map((length) => template.slice(0, length)),
      fc.anything().map((extra) => [...template, extra]),
      fc.oneof(fc.integer({ min: -1, max: 9 }), fc.string()).map((kind) => [kind, ...template.slice(1)]),
    ),
  );
  return fc.sample(fc.oneof({ weight: 1, arbitrary: fc.anything() }, { weight: 3, arbitrary: mutated }), { numRuns: count, seed });
}

/** A well-formed message of `type` on `secret`'s channel (`'list'`: a protocol 1.2 event with the secret). */
export function isOwnProtocolMessage(message: unknown, secret: string, types: string[]): boolean {
  if (Array.isArray(message)) return types.includes('list') && message[2] === secret;
  if (typeof message !== 'object' || message === null) return false;
  const m = message as Record<string, unknown>;
  return m['namespace'] === 'penpal' && m['channel'] === secret && typeof m['type'] === 'string' && types.includes(m['type']);
}
