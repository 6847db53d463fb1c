/**
 * `PanelHandle`: what `mount()` and `openPanel()` return. A facade with
 * exactly its documented members, and an event target of its own panel's
 * changes (`state`, `resize`, `responding`, `context`, `closed`), so that
 * whoever mounted it hears its panel alone; the frame behind it stays the
 * host's.
 */
import type { SlotbridgeError } from '../errors/slotbridge-error.js';

export type PanelState = 'loading' | 'connecting' | 'ready' | 'error' | 'closed';

/** What a handle tells its listeners, by event type. */
export interface PanelHandleEventMap {
  /** A new state; `error` is why, in `error`. */
  state: CustomEvent<{ state: PanelState; error: SlotbridgeError | undefined }>;
  /** The guest asked for a height (`ui.resize`, an adapter's own). */
  resize: CustomEvent<{ height: number }>;
  /** The heartbeat went unanswered, or was answered again. */
  responding: CustomEvent<{ responding: boolean }>;
  /** The platform set the panel's context. */
  context: CustomEvent<{ context: Record<string, unknown> }>;
  /** The panel closed (after its last `state`). */
  closed: Event;
}

/** A mounted panel's facts, as they are now. */
export interface PanelFacts {
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

/** A mounted panel (or a started module): its facts, and the events of its changes. */
export interface PanelHandle extends PanelFacts, EventTarget {
  addEventListener<K extends keyof PanelHandleEventMap>(
    type: K,
    listener: (event: PanelHandleEventMap[K]) => void,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof PanelHandleEventMap>(
    type: K,
    listener: (event: PanelHandleEventMap[K]) => void,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions): void;
}

/** What a handle reads of its frame: its facts, and word of each change (the frame's own events). */
interface PanelSource extends PanelFacts {
  on(event: 'state' | 'responding' | 'context' | 'closed', listener: () => void): unknown;
  on(event: 'resize', listener: (height: number) => void): unknown;
}

/** The members a handle reads from its frame as they are now. */
const READ = [
  'id',
  'app',
  'panel',
  'slot',
  'state',
  'error',
  'responding',
  'ready',
  'element',
] as const satisfies readonly (keyof PanelFacts)[];

/** A handle on `frame` that shows nothing else of it; it announces the frame's changes as its own events. */
export function panelHandle(frame: PanelSource): PanelHandle {
  const handle = new EventTarget();
  Object.defineProperty(handle, 'context', {
    get: () => frame.context,
    set: (value: Record<string, unknown>) => (frame.context = value),
    enumerable: true,
  });
  Object.defineProperty(handle, 'reload', { value: () => frame.reload(), enumerable: true });
  Object.defineProperty(handle, 'close', { value: () => frame.close(), enumerable: true });
  for (const key of READ) Object.defineProperty(handle, key, { get: () => frame[key], enumerable: true });
  // A listener that throws is reported to the page (as any event listener's), and stops neither the others nor the frame.
  const tell = (type: keyof PanelHandleEventMap, detail?: unknown) =>
    handle.dispatchEvent(detail === undefined ? new Event(type) : new CustomEvent(type, { detail }));
  frame.on('state', () => tell('state', { state: frame.state, error: frame.error }));
  frame.on('resize', (height) => tell('resize', { height }));
  frame.on('responding', () => tell('responding', { responding: frame.responding }));
  frame.on('context', () => tell('context', { context: frame.context }));
  frame.on('closed', () => tell('closed'));
  return Object.freeze(handle) as PanelHandle;
}
