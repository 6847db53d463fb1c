import type { Panel } from '../../src/for-slots.js';

/** The path a panel's `route` slot serves: its `configuration.route.path`, else the panel's name; `undefined` for a panel without a route slot. */
export function routePathOf(panel: Panel): string | undefined {
  const slot = panel.supportedSlots.find((s) => s.type === 'route');
  if (!slot) return undefined;
  const path = (slot.configuration as { route?: { path?: unknown } } | undefined)?.route?.path;
  return typeof path === 'string' ? path : panel.name;
}
