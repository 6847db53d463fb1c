/**
 * What the host adds to every guest's context: who the user is and how the
 * page looks. The host holds one and changes its theme and locale; frames
 * and the built-ins read a frame's whole context from it.
 */
import type { UserInfo } from '../bridge/define-api.js';
import type { FrameSession } from '../bridge/session.js';
import type { Theme } from './host-options.js';

const HOST_KEYS: ReadonlySet<string> = new Set(['app', 'panel', 'slot', 'project', 'user', 'theme', 'locale']);

export class GuestContext {
  constructor(
    readonly user: UserInfo,
    public theme: Theme,
    public locale: string,
  ) {}

  /** The context a guest sees: its slot context, then what the host decides (who and where it is), which the slot context cannot override. */
  of(frame: Pick<FrameSession, 'app' | 'panel' | 'slot' | 'project' | 'context'>): Record<string, unknown> {
    const context: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(frame.context)) if (!HOST_KEYS.has(key)) context[key] = value;
    return {
      ...context,
      app: frame.app,
      panel: frame.panel,
      slot: frame.slot,
      project: frame.project,
      user: this.user,
      theme: this.theme,
      locale: this.locale,
    };
  }
}
