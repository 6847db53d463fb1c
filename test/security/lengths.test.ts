/**
 * Resource abuse through lengths: a list's length costs its sender nothing on
 * the wire (a sparse list of four billion holes is a few bytes), so every
 * length a guest controls must be bounded before the host spreads, parses or
 * walks it. Each message here is under 1 KB as sent; none may crash the tab
 * or hold its thread for a second.
 */
import { expect } from 'chai';
import { createHarness, crossOriginFixtures, fixtures, secretOf, type Harness } from '../browser/bridge/harness.js';
import { ErrorCode, type BridgeLogEntry, type PanelHandle } from '../../src/index.js';
import { attacks, honestStillWorks, longestStall } from './attack.js';

/** A list of `length` holes and one entry: a few bytes once cloned. */
function sparse(length: number): unknown[] {
  const list: unknown[] = [];
  list.length = length;
  list[3] = 'x';
  return list;
}

for (const [placement, baseUrl] of [
  ['same site', fixtures],
  ['another site', crossOriginFixtures],
] as const) {
  describe(`security: lengths a guest sets (panels on ${placement})`, () => {
    let h: Harness;
    let log: BridgeLogEntry[];
    let fuzz: PanelHandle;
    let uncaught: unknown[];
    const onError = (event: ErrorEvent) => uncaught.push(event.message);
    const attack = attacks('resource abuse', async () => {
      expect(uncaught, 'uncaught errors on the host page').to.deep.equal([]);
      await honestStillWorks(h);
    });

    beforeEach(async () => {
      uncaught = [];
      log = [];
      addEventListener('error', onError);
      h = await createHarness({ baseUrl, timeouts: { handshake: 5000, call: 5000 }, log: (entry) => log.push(entry) });
      await h.mountGuest('honest');
      const slot = document.createElement('div');
      h.container.append(slot);
      fuzz = h.host.mount('app-a', 'fuzz', slot);
      await h.record('fuzz', 'ready');
    });

    afterEach(() => {
      removeEventListener('error', onError);
      h.destroy();
    });

    /** Has the fuzzing panel put `messages` on its own port (or penpal's), then waits for its next real call to be answered. */
    let batch = 0;
    async function onPort(messages: unknown[], via: 'port' | 'penpal' = 'port'): Promise<void> {
      const id = `lengths-${++batch}`;
      fuzz.element.contentWindow!.postMessage({ sbFuzz: id, via, messages }, '*');
      await h.record('fuzz', id);
    }

    /** A call on the guest's own port (slotbridge's protocol). */
    const call = (id: number, method: string, args: unknown) => [0, id, method, args];
    /** A penpal CALL, on penpal's port (the handshake's). */
    const penpalCall = (secret: string, id: string, methodPath: string[], args: unknown) => ({
      namespace: 'penpal',
      channel: secret,
      type: 'CALL',
      id,
      methodPath,
      args,
    });

    attack(
      'sends penpal calls (on the handshake port) whose argument lists are billions long: dropped before penpal spreads them, the tab stays up',
      async () => {
        const secret = secretOf(fuzz.element);
        const before = log.length;
        const stall = await longestStall(() =>
          onPort(
            [
              penpalCall(secret, 'huge-1', ['call'], sparse(2 ** 32 - 1)),
              penpalCall(secret, 'huge-2', ['hello'], sparse(500_000_000)),
              penpalCall(secret, 'huge-3', ['bye'], sparse(100_000)),
            ],
            'penpal',
          ),
        );
        const dropped = log.slice(before).filter((e) => e.frame === fuzz.id && e.kind === 'rejected').length;
        expect(dropped).to.equal(3, 'each malformed call logged as rejected');
        expect(stall).to.be.below(1000);
        expect(fuzz.state).to.equal('ready');
        return { tried: 3, refused: dropped };
      },
    );

    attack(
      'calls methods with billions of arguments, and storage, events and reports with sparse lists: each refused at once',
      async () => {
        const before = log.length;
        const tries = [
          call(1001, 'probe.record', sparse(2 ** 32 - 1)),
          call(1002, 'storage.set', ['k', sparse(2 ** 32 - 1)]),
          call(1003, 'events.emit', ['spam', { deep: [sparse(1_000_000_000)] }]),
          call(1004, 'report.batch', [sparse(3_000_000_000)]),
          call(1005, 'report.batch', [[sparse(3_000_000_000)]]),
        ];
        const stall = await longestStall(() => onPort(tries));
        const refused = log.slice(before).filter((e) => e.frame === fuzz.id && e.kind === 'call' && e.outcome === 'error');
        expect(refused.map((e) => e.code).sort()).to.deep.equal(
          [
            ErrorCode.INVALID_ARGUMENTS,
            ErrorCode.PAYLOAD_TOO_LARGE,
            ErrorCode.PAYLOAD_TOO_LARGE,
            ErrorCode.PAYLOAD_TOO_LARGE,
            ErrorCode.PAYLOAD_TOO_LARGE,
          ].sort(),
        );
        expect(stall).to.be.below(1000);
        expect(await h.host.registry.storage('app-a', 'p1').keys()).to.deep.equal([]);
        return { tried: tries.length, refused: refused.length };
      },
    );

    attack(
      'has the SDK store, emit and report lists of four billion holes twenty times each: refused at once, the host thread never held for a second',
      async () => {
        await h.mountGuest('evil');
        const tries = [
          { method: 'storage.set', before: ['k'] },
          { method: 'events.emit', before: ['spam'] },
          { method: 'report.plot', before: ['loss', 'train'] },
        ];
        let refused = 0;
        const stall = await longestStall(async () => {
          for (const t of tries) {
            const codes = (await h.command('evil', 'sparseCalls', { ...t, count: 20, length: 2 ** 32 - 1 })).value as Record<
              string,
              number
            >;
            expect(codes, t.method).to.deep.equal({ [ErrorCode.PAYLOAD_TOO_LARGE]: 20 });
            refused += codes[ErrorCode.PAYLOAD_TOO_LARGE];
          }
        });
        expect(stall).to.be.below(1000);
        expect(await h.host.registry.storage('app-a', 'p1').keys()).to.deep.equal([]);
        return { tried: 60, refused };
      },
    );
  });
}
