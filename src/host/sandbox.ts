/**
 * The sandbox attribute of a frame: `allow-scripts`, plus the manifest's
 * allowlisted extras, plus the host's own extras. Never `allow-same-origin`
 * for a frame on the host's origin: script in it could remove its own sandbox.
 */
import { ErrorCode } from '../errors/error-code.js';
import { SlotbridgeError } from '../errors/slotbridge-error.js';
import { SANDBOX_ALLOWLIST } from '../manifest/vocabulary.js';

const allowlist: ReadonlySet<string> = new Set(SANDBOX_ALLOWLIST);
/** Tokens a host may add for frames served from another origin only. */
const CROSS_ORIGIN_ONLY: ReadonlySet<string> = new Set(['allow-same-origin']);
/** Tokens that give a window an app controls a real origin: the frame itself, or the popups it opens. */
export const REAL_ORIGIN_TOKENS: readonly string[] = ['allow-same-origin', 'allow-popups-to-escape-sandbox'];

export interface SandboxRequest {
  /** The manifest's extras for this frame. */
  manifest: readonly string[];
  /** The host's extras for every frame. */
  host: readonly string[];
  frameOrigin: string;
  hostOrigin: string;
  /**
   * Another app served from the frame's origin, if any: a same-origin frame
   * can read a sibling's URL (and its secret) and script it, so
   * `allow-same-origin` needs an origin of the app's own.
   */
  sharedWith?: string | undefined;
  /** The adapter whose guests trust any window with a real origin, when the host has one: then no app window may have one. */
  realOriginsBarredBy?: string | undefined;
}

export function sandboxTokens(request: SandboxRequest): string[] {
  const { frameOrigin, hostOrigin, sharedWith, realOriginsBarredBy } = request;
  const tokens = new Set(['allow-scripts']);
  for (const token of [...request.manifest, ...request.host]) {
    if (realOriginsBarredBy !== undefined && REAL_ORIGIN_TOKENS.includes(token)) throw realOriginBarred(token, realOriginsBarredBy);
    if (allowlist.has(token)) tokens.add(token);
    else if (CROSS_ORIGIN_ONLY.has(token)) {
      if (frameOrigin === hostOrigin) {
        throw new SlotbridgeError(
          ErrorCode.UNSAFE_SANDBOX,
          `"${token}" on a frame served from the host's own origin (${hostOrigin}) would let it lift its sandbox; serve the app from another origin, or drop the token.`,
        );
      }
      if (!/^https?:\/\/./.test(frameOrigin)) {
        throw new SlotbridgeError(
          ErrorCode.UNSAFE_SANDBOX,
          `"${token}" needs a frame served over http(s); this one's origin is "${frameOrigin}".`,
        );
      }
      if (sharedWith !== undefined) {
        throw new SlotbridgeError(
          ErrorCode.UNSAFE_SANDBOX,
          `"${token}" needs each app on an origin of its own, but ${sharedWith} is served from ${frameOrigin} too (it could read this frame's secret and drive it); give each app its own origin, e.g. https://<app>.apps.example.com/.`,
        );
      }
      tokens.add(token);
    } else {
      throw new SlotbridgeError(
        ErrorCode.UNSAFE_SANDBOX,
        `Sandbox token "${token}" is not allowed; use only: ${SANDBOX_ALLOWLIST.join(', ')}.`,
      );
    }
  }
  return [...tokens];
}

/** `UNSAFE_SANDBOX` for a token that would give an app's window a real origin on a page whose `adapter` guests obey any such window. */
export function realOriginBarred(token: string, adapter: string): SlotbridgeError {
  return new SlotbridgeError(
    ErrorCode.UNSAFE_SANDBOX,
    `"${token}" would give a window of an app a real origin, and this host runs "${adapter}" panels, whose SDK obeys any such window (it could take a panel over and call the platform with that app's grant); drop the token, or host "${adapter}" panels on a page of their own.`,
  );
}
