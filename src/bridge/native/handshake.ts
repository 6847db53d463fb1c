/**
 * The native handshake, in the order it runs:
 *
 * 1. The host puts a fresh secret (`sb-secret`) and its own origin
 *    (`sb-origin`) in the frame URL's fragment, and expects the frame by the
 *    secret (`window-hub.ts`).
 * 2. The guest (`slotbridge/guest`) starts penpal with the secret as its
 *    channel and posts SYN to its parent at `sb-origin`. The host binds the
 *    frame's window on that first message, and from then on takes only what
 *    comes from that window, at the expected origin, on that channel, in a
 *    valid shape (`frame-messenger.ts`).
 * 3. The host answers SYN (an opaque origin cannot be targeted, so nothing is
 *    posted to the frame before its own SYN), then ACK1/ACK2; ACK2 carries a
 *    private MessagePort, and everything after travels on it.
 * 4. The guest's first call is `hello({ protocol, functions, events })`;
 *    this file checks it and answers `{ protocol, context, capabilities }`.
 *    The frame is then ready: `call(method, args)` reaches the router, and
 *    events go one way on the port as `[name, payload, secret]`.
 * 5. `bye()` (pagehide), a SYN from a new participant, or a second load
 *    event without one ends the document's connection (`connection.ts`).
 */
import * as z from 'zod/mini';
import type { Methods } from 'penpal';
import { ErrorCode } from '../../errors/error-code.js';
import { SlotbridgeError } from '../../errors/slotbridge-error.js';
import { toWireError } from '../../errors/wire.js';
import type { BridgePort } from '../adapter.js';
import { type HelloRequest, type HelloResponse, majorOf, PROTOCOL_VERSION } from '../protocol.js';

const HelloSchema = z.object({
  protocol: z.string().check(z.maxLength(20)),
  functions: z.array(z.string().check(z.maxLength(100))).check(z.maxLength(1000)),
  events: z.array(z.string().check(z.maxLength(128))).check(z.maxLength(1000)),
});

/** The hello, or `PROTOCOL_MISMATCH` when it is unreadable or of another major than `hostProtocol`. */
export function parseHello(request: unknown, hostProtocol: string, host = 'this host'): HelloRequest {
  const parsed = HelloSchema.safeParse(request);
  if (parsed.success && majorOf(parsed.data.protocol) === majorOf(hostProtocol)) return parsed.data;
  const got = parsed.success ? parsed.data.protocol : 'an unreadable hello';
  throw new SlotbridgeError(
    ErrorCode.PROTOCOL_MISMATCH,
    `The guest speaks protocol ${got}; ${host} speaks ${hostProtocol}. Use a slotbridge/guest of the same major version as the host.`,
  );
}

/**
 * The penpal methods the host offers one frame: a null-prototype object, so
 * penpal's lookup finds nothing but these. `state.ready` records that this
 * connection said hello (its heartbeat and functions wait for it); `retire`
 * ends it (the guest's page is unloading).
 */
export function hostMethods(port: BridgePort, state: { ready: boolean; connected: boolean }, retire: () => void): Methods {
  const methods = Object.create(null) as Methods;
  methods['hello'] = (request: unknown): HelloResponse => {
    let hello: HelloRequest;
    try {
      hello = parseHello(request, PROTOCOL_VERSION);
    } catch (err) {
      port.fail(err as SlotbridgeError);
      throw toWireError(err);
    }
    // Penpal resolves its side before the first call arrives; this cannot happen with a real penpal guest.
    if (!state.connected)
      throw toWireError(new SlotbridgeError(ErrorCode.PROTOCOL_MISMATCH, 'hello came before the connection was set up.'));
    const { context, capabilities } = port.connected(hello);
    state.ready = true;
    return { protocol: PROTOCOL_VERSION, context, capabilities };
  };
  // The frame refuses calls before a handshake, for every adapter.
  methods['call'] = (method: unknown, args: unknown) => port.call(method, args);
  methods['bye'] = () => retire();
  return methods;
}
