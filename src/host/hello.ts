/** The guest's `hello`: parsed by a schema, its protocol major checked against the host's. */
import * as z from 'zod/mini';
import { ErrorCode, SlotbridgeError } from '../errors/index.js';
import { type HelloRequest, majorOf } from '../bridge/protocol.js';

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
