/** A panel's layout for a slot type, from its manifest, with defaults. */
import type { Host } from '../../src/for-slots.js';

export interface PanelLayout {
  width: number;
  height: number;
  resizable: boolean;
  position: 'center' | { x: number; y: number };
  title: string;
}

export function panelLayout(host: Host, app: string, panel: string, slotType: string): PanelLayout {
  const { record, definition, layout } = declaredLayout(host, app, panel, slotType);
  const position = layout?.position;
  return {
    width: layout?.width ?? 480,
    height: layout?.height ?? 320,
    resizable: layout?.resizable ?? layout?.resizeable ?? false,
    position: position && typeof position === 'object' ? { x: position.x, y: position.y } : 'center',
    title: definition ? panelTitle(record!.manifest.displayName, definition.displayName) : panelTitle(app, panel),
  };
}

/** What the app's manifest says of a panel's layout in a slot type, if anything. */
export function declaredLayout(host: Host, app: string, panel: string, slotType: string) {
  const record = host.registry.installedApp(app) ?? host.registry.app(app);
  const definition = record?.manifest.components.panels.find((p) => p.name === panel);
  const layout = definition?.supportedSlots.find((s) => s.type === slotType)?.configuration?.layout;
  return { record, definition, layout };
}

/** How a panel is named to people: `App: Panel`, or the app's name alone when the panel's says the same. */
export function panelTitle(app: string, panel: string): string {
  return app.trim().toLowerCase() === panel.trim().toLowerCase() ? app : `${app}: ${panel}`;
}

/**
 * What a window shows, named for its title bar: the `name` of its context's
 * `item`, else of its `dataset` (as the platforms' contexts carry them).
 * A window that follows its context says so, so its title changes with it.
 */
export function subjectOf(context: Record<string, unknown>): string | undefined {
  for (const key of ['item', 'dataset']) {
    const value = Object.hasOwn(context, key) ? context[key] : undefined;
    const name = value && typeof value === 'object' && Object.hasOwn(value, 'name') ? (value as { name: unknown }).name : undefined;
    if (typeof name === 'string' && name.trim()) return name.trim().slice(0, 200);
  }
  return undefined;
}

/** Keeps a box inside the viewport (as much of it as fits). */
export function clampToViewport(box: { x: number; y: number; width: number; height: number }): {
  x: number;
  y: number;
  width: number;
  height: number;
} {
  const width = Math.min(box.width, innerWidth);
  const height = Math.min(box.height, innerHeight);
  return { width, height, x: Math.min(Math.max(0, box.x), innerWidth - width), y: Math.min(Math.max(0, box.y), innerHeight - height) };
}
