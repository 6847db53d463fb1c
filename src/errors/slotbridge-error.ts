import { type ErrorCode, isErrorCode } from './error-code.js';

/** The plain-data form of a `SlotbridgeError`, as it crosses the bridge or is printed as JSON. */
export interface SerializedSlotbridgeError {
  name: 'SlotbridgeError';
  code: ErrorCode;
  message: string;
  details?: unknown;
}

/**
 * The one error class of slotbridge. `code` is for programs, `message` is for
 * people and says what to do about it, `details` carries structured context
 * (the manifest's issues, the failing argument path...).
 */
export class SlotbridgeError extends Error {
  override readonly name = 'SlotbridgeError';
  readonly code: ErrorCode;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.code = code;
    this.details = details;
  }

  /** Plain data that survives structured clone and JSON; never includes the stack. */
  toJSON(): SerializedSlotbridgeError {
    const out: SerializedSlotbridgeError = { name: 'SlotbridgeError', code: this.code, message: this.message };
    if (this.details !== undefined) out.details = this.details;
    return out;
  }

  /** Rebuilds an error from its serialized form; anything else gives `undefined`. */
  static fromJSON(value: unknown): SlotbridgeError | undefined {
    if (typeof value !== 'object' || value === null) return undefined;
    const { name, code, message, details } = value as Record<string, unknown>;
    if (name !== 'SlotbridgeError' || !isErrorCode(code) || typeof message !== 'string') return undefined;
    return new SlotbridgeError(code, message, details);
  }
}
