/**
 * slotbridge's own protocol on the private port a guest hands the host with
 * its `hello` (penpal carries the handshake up to there; see `handshake.ts`
 * and docs/bridge.md). Each message is a short list whose first entry says
 * what it is. Only this folder knows these shapes: the host's end (`host-link.ts`)
 * and the guest's (`guest-link.ts`) read and write them with these names.
 *
 * Guest to host:
 * - `[CALL, id, method, args]`: one call; answered by one REPLY.
 * - `[RESULT, id, ok, value]`: what a function the host invoked returned (or threw).
 * - `[PONG, id]`: the answer to a heartbeat.
 * - `[BYE]`: this document is going away (pagehide).
 *
 * Host to guest:
 * - `[REPLY, id, ok, value]`: a call's result, or its refusal (`{ name, code, message }`).
 * - `[EVENT, name, payload]`: an event the guest listens to, one way.
 * - `[INVOKE, id, fn, inputs]`: runs a function the guest registered.
 * - `[PING, id]`: the heartbeat.
 * - `[CLOSED]`: the host closed the connection (the frame closed or reloaded): calls in flight fail now.
 */
// The first entry of each list: plain constants, which a minifier writes as the numbers themselves.

/** Guest to host. */
export const CALL = 0;
export const RESULT = 1;
export const PONG = 2;
export const BYE = 3;

/** Host to guest. */
export const REPLY = 0;
export const EVENT = 1;
export const INVOKE = 2;
export const PING = 3;
export const CLOSED = 4;

/** How an answer settles what waited for it. */
export type Settle = (ok: boolean, value: unknown) => void;
