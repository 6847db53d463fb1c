/** The context a guest sees: its slot context, then what the host decides (who and where it is), which the slot context cannot override. */
import type { UserInfo } from '../bridge/define-api.js';
import type { FrameSession } from '../bridge/session.js';

const HOST_KEYS: ReadonlySet<string> = new Set(['app', 'panel', 'slot', 'project', 'user', 'theme', 'locale']);

export function fullContext(frame: FrameSession, host: { user: UserInfo; theme: string; locale: string }): Record<string, unknown> {
  const context: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(frame.context)) if (!HOST_KEYS.has(key)) context[key] = value;
  return {
    ...context,
    app: frame.app,
    panel: frame.panel,
    slot: frame.slot,
    project: frame.project,
    user: host.user,
    theme: host.theme,
    locale: host.locale,
  };
}
