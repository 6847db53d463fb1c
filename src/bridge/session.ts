/**
 * Everything the host knows about one frame: who it is, what it was granted,
 * what it listens to, and the calls it has in flight. Kept across reloads of
 * the frame; the calls in flight are not.
 */
import type { Manifest } from '../manifest/normalize.js';

export type FrameKind = 'panel' | 'module';

/** A call in flight that can be cut short (timeout, frame gone). */
export interface Abortable {
  abort(reason: unknown): void;
}

export interface FrameSession {
  readonly id: string;
  readonly kind: FrameKind;
  readonly app: string;
  /** Panel or module name. */
  readonly panel: string;
  readonly slot: string;
  readonly manifest: Manifest;
  readonly project: string;
  readonly grant: ReadonlySet<string>;
  /** Slot context: the current item, dataset, selection... */
  context: Record<string, unknown>;
  /** The context as the guest sees it: the slot context with what the host decides (app, project, user, theme, locale). */
  guestContext(): Record<string, unknown>;
  /** Events this frame listens to. */
  readonly subscriptions: ReadonlySet<string>;
  /** Starts sending an event, including the ones that waited for the frame to listen. */
  subscribe(name: string): void;
  unsubscribe(name: string): void;
  /** Function names this frame registered (module frames). */
  functions: ReadonlySet<string>;
  /** Host handlers running for this frame's calls. */
  readonly calls: Set<Abortable>;
  /** Closes this frame (ui.close). */
  close(): void;
  /** Applies a height from ui.resize. */
  resize(height: number): void;
}
