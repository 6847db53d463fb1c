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
    load: async () => {
      Connection ??= (await import('./connection.js')).NativeConnection;
    },
    connect: (port) => {
      if (!Connection) throw new Error('nativeBridge: connect() before load()');
      return new Connection(port);
    },
  };
}
