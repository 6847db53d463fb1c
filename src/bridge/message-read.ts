/**
 * Reading a message's data is where the browser unpacks it: a message of two
 * million keys holds the page for seconds at that first read, before any
 * check can run. The host reads the data of its own frames' messages only,
 * and through here, timed: a frame whose one message takes longer than
 * `SLOW_READ_MS` to unpack is not an honest guest, and is closed, so it can
 * hold the page at most once.
 */

import { ErrorCode } from '../errors/error-code.js';
import { SlotbridgeError } from '../errors/slotbridge-error.js';

/** No honest guest's message takes a second to unpack: the payload cap's 64 MB of plain data takes a fraction of it. */
export const SLOW_READ_MS = 1000;

/** The event's data, and how long its first read took when that was over `SLOW_READ_MS` (else 0). */
export function readTimed(event: MessageEvent): { data: unknown; slow: number } {
  const started = performance.now();
  const data: unknown = event.data;
  const took = performance.now() - started;
  return { data, slow: took > SLOW_READ_MS ? took : 0 };
}

/** A frame posted a message that held the page `ms` to unpack: it is failed and read no more. */
export function tooSlowToRead(ms: number): SlotbridgeError {
  return new SlotbridgeError(
    ErrorCode.PAYLOAD_TOO_LARGE,
    `The frame posted a message that held the page ${Math.round(ms)} ms to unpack; nothing more of it is read. Send large data as bytes (a Uint8Array or ArrayBuffer), which unpack at once.`,
  );
}
