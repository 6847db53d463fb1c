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
 *    posted to the frame before its own SYN), then ACK1/ACK2; ACK2 carries
 *    penpal's port.
 * 4. The guest's one penpal call is `hello({ protocol, functions, events },
 *    port)`: `port` is a MessagePort of its own, moved to the host. This file
 *    checks the hello and answers `{ protocol, context, capabilities }`.
 *    The frame is then ready, and everything after travels on that port in
 *    slotbridge's own protocol (`port-messages.ts`).
 * 5. `BYE` (pagehide), a SYN from a new participant, or a second load
 *    event without one ends the document's connection (`connection.ts`).
 */
import * as z from 'zod/mini';
import type { Methods } from 'penpal';
import { ErrorCode } from '../../errors/error-code.js';
import { SlotbridgeError } from '../../errors/slotbridge-error.js';
import { toWireError } from '../../errors/wire.js';
import { type HelloRequest, type HelloResponse, majorOf } from '../protocol.js';

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
 * The penpal methods the host offers one document: `hello` alone, on a
 * null-prototype object, so penpal's lookup finds nothing else. `connected`
 * takes the checked hello and the guest's port and answers what to tell it;
 * what it throws (a hello of another major version...) is the guest's answer.
 */
export function handshakeMethods(
  hostProtocol: string,
  connected: (hello: HelloRequest, port: MessagePort) => Omit<HelloResponse, 'protocol'>,
  refused: (error: SlotbridgeError) => void = () => undefined,
  host?: string,
): Methods {
  const methods = Object.create(null) as Methods;
  methods['hello'] = (request: unknown, port: unknown): HelloResponse => {
    try {
      const hello = parseHello(request, hostProtocol, host);
      if (!(port instanceof MessagePort))
        throw new SlotbridgeError(ErrorCode.PROTOCOL_MISMATCH, "hello takes the request and a MessagePort of the guest's own.");
      return { protocol: hostProtocol, ...connected(hello, port) };
    } catch (err) {
      if (err instanceof SlotbridgeError) refused(err);
      throw toWireError(err);
    }
  };
  return methods;
}

/** The host's penpal methods, as the guest's side of penpal sees them. */
// A type alias, not an interface: penpal's Methods constraint needs an implicit index signature.
export type HostHandshake = {
  hello(request: HelloRequest, port: MessagePort): Promise<HelloResponse>;
};
