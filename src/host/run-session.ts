/**
 * A function running on the service's queue, as the host sees it when its
 * Python calls back (`slotbridge.api...`, `storage`...): a session of its
 * app's module without a frame, with the app's grant and the run's context.
 * Its calls go through the router as a frame's would (permission, limits,
 * argument schemas, timeout); it hears no events and has no height.
 */
import type { Abortable, FrameSession } from '../bridge/session.js';
import type { Manifest } from '../manifest/normalize.js';
import { randomUuid } from '../bridge/random-id.js';
import type { GuestContext } from './guest-context.js';

export class RunSession implements FrameSession {
  readonly id = `run-${randomUuid()}`;
  readonly kind = 'module';
  readonly slot = 'queue';
  readonly subscriptions: ReadonlySet<string> = new Set();
  readonly functions: ReadonlySet<string> = new Set();
  readonly calls = new Set<Abortable>();

  constructor(
    readonly app: string,
    /** The module's name. */
    readonly panel: string,
    readonly manifest: Manifest,
    readonly project: string,
    readonly grant: ReadonlySet<string>,
    public context: Record<string, unknown>,
    readonly hostContext: GuestContext,
  ) {}

  guestContext(): Record<string, unknown> {
    return this.hostContext.of(this);
  }

  subscribe(): void {}
  unsubscribe(): void {}
  close(): void {}
  resize(): void {}
}
