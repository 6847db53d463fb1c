/** Looking up what a mount or an execution names: an installed app, one of its panels, a slot it supports. */
import { ErrorCode } from '../errors/error-code.js';
import { SlotbridgeError } from '../errors/slotbridge-error.js';
import type { Manifest, Panel } from '../manifest/normalize.js';
import type { Registry } from '../registry/registry.js';
import { ALSO_FILLS, type BrowserSlotType } from '../manifest/vocabulary.js';

/** The installed version's manifest and base URL, or `APP_NOT_FOUND` / `NOT_INSTALLED`. */
export function installedApp(registry: Registry, app: string, project: string): { manifest: Manifest; baseUrl: string } {
  const record = registry.installedApp(app, project);
  if (!record) {
    if (!registry.app(app))
      throw new SlotbridgeError(
        ErrorCode.APP_NOT_FOUND,
        `No app named "${app}" is published (if it is, await host.ready before mounting: the registry loads from its store).`,
      );
    throw new SlotbridgeError(ErrorCode.NOT_INSTALLED, `${app} is not installed in project "${project}"; install it first.`);
  }
  return { manifest: record.manifest, baseUrl: record.baseUrl };
}

/** A panel of an app's manifest, or `BAD_INPUT` naming the panels it has. */
export function panelOf(app: string, manifest: Manifest, panel: string): Panel {
  const definition = manifest.components.panels.find((p) => p.name === panel);
  if (!definition)
    throw new SlotbridgeError(
      ErrorCode.BAD_INPUT,
      `${app} has no panel "${panel}"; its panels are: ${manifest.components.panels.map((p) => p.name).join(', ') || '(none)'}.`,
    );
  return definition;
}

/** The slot a panel fills: the one asked for, if it supports it (`BAD_INPUT` otherwise), or its first. */
export function slotOf(app: string, panel: Panel, slot: string | undefined): string {
  const supported = panel.supportedSlots.map((s) => s.type);
  if (slot === undefined) return supported[0] ?? 'itemViewer';
  if (!fills(panel, slot))
    throw new SlotbridgeError(
      ErrorCode.BAD_INPUT,
      `Panel ${app}/${panel.name} does not support the slot "${slot}"; it supports: ${supported.join(', ') || '(none)'}.`,
    );
  return slot;
}

/** Whether `panel` may fill `slot`: one of its own slot types, or one a type of its fills too (a pipeline node's settings in a dialog). */
export function fills(panel: Panel, slot: string): boolean {
  return panel.supportedSlots.some((s) => s.type === slot || (ALSO_FILLS[s.type]?.includes(slot as BrowserSlotType) ?? false));
}
