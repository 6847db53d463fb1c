/**
 * `PanelHandle`: what `mount()` and `openPanel()` return. A facade with
 * exactly its documented members; the frame behind it stays the host's.
 */
import type { SlotbridgeError } from '../errors/slotbridge-error.js';

export type PanelState = 'loading' | 'connecting' | 'ready' | 'error' | 'closed';

/** A mounted panel (or a started module). */
export interface PanelHandle {
  readonly id: string;
  readonly app: string;
  readonly panel: string;
  readonly slot: string;
  readonly state: PanelState;
  /** The error that put the panel in the `error` state. */
  readonly error: SlotbridgeError | undefined;
  /**
   * False while a ready guest leaves the host's heartbeat unanswered (an
   * endless loop, a frozen page); true again once it answers. Each change
   * is a `panel:responding` host event.
   */
  readonly responding: boolean;
  /** Resolves when the guest is connected; rejects on error or close. A reload brings a new one. */
  readonly ready: Promise<void>;
  /** The slot context: setting it sends a `context` event to the guest. */
  context: Record<string, unknown>;
  /** The iframe. */
  readonly element: HTMLIFrameElement;
  /** Loads the panel again (Retry). */
  reload(): void;
  /** Removes the frame and its connection. */
  close(): void;
}

/** The members a handle reads from its frame as they are now. */
const READ: readonly (keyof PanelHandle)[] = ['id', 'app', 'panel', 'slot', 'state', 'error', 'responding', 'ready', 'element'];

/** A handle on `frame` that shows nothing else of it. */
export function panelHandle(frame: PanelHandle): PanelHandle {
  const handle = {
    get context() {
      return frame.context;
    },
    set context(value: Record<string, unknown>) {
      frame.context = value;
    },
    reload: () => frame.reload(),
    close: () => frame.close(),
  };
  for (const key of READ) Object.defineProperty(handle, key, { get: () => frame[key], enumerable: true });
  return Object.freeze(handle) as PanelHandle;
}
