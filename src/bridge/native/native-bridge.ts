/**
 * The native protocol as an adapter: `slotbridge/guest` on the other side,
 * penpal underneath (see `handshake.ts` for the sequence). Its connection,
 * with penpal and the message schemas, loads with the first frame.
 */
import type { BridgeAdapter } from '../adapter.js';
import type { NativeConnection } from './connection.js';

/** The adapter an app gets when its manifest names no other (`bridge: "slotbridge"`). */
export function nativeBridge(): BridgeAdapter {
  let Connection: typeof NativeConnection | undefined;
  return {
    binds: 'secret',
    // A handshake message is penpal's, whose channel is the frame's secret (kept here, not with the message
    // schemas in penpal-message.ts, so that the host core does not load them before the first frame).
    secretOf: (data) => {
      const channel = (data as { channel?: unknown } | null)?.channel;
      return typeof channel === 'string' ? channel : undefined;
    },
    load: async () => {
      Connection ??= (await import('./connection.js')).NativeConnection;
    },
    connect: (port) => {
      if (!Connection) throw new Error('nativeBridge: connect() before load()');
      return new Connection(port);
    },
  };
}
