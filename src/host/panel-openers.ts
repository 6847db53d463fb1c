/** What shows panels in window-like slots: `<sb-floating-windows>` and `<sb-dialogs>` register themselves here. */
import { ErrorCode } from '../errors/error-code.js';
import { SlotbridgeError } from '../errors/slotbridge-error.js';
import type { Panel } from '../manifest/normalize.js';
import type { PanelHandle } from './panel-handle.js';
import { fills, slotOf } from './installed-app.js';

/** Opens a panel in a window-like slot. */
export type PanelOpener = (request: { app: string; panel: string; context: Record<string, unknown> }) => PanelHandle;

export type WindowSlot = 'floatingWindow' | 'dialog';
const WINDOW_SLOTS: readonly WindowSlot[] = ['floatingWindow', 'dialog'];

export class PanelOpeners {
  readonly #openers = new Map<WindowSlot, PanelOpener>();

  /** Returns the function that unregisters it. */
  register(slot: WindowSlot, opener: PanelOpener): () => void {
    this.#openers.set(slot, opener);
    return () => {
      if (this.#openers.get(slot) === opener) this.#openers.delete(slot);
    };
  }

  /** Opens `definition` in the slot asked for, or the first window-like slot it supports. */
  open(
    app: string,
    definition: Panel,
    options: { slot?: WindowSlot | undefined; context?: Record<string, unknown> | undefined },
  ): PanelHandle {
    const slot = options.slot ?? WINDOW_SLOTS.find((t) => fills(definition, t));
    if (!slot)
      throw new SlotbridgeError(ErrorCode.BAD_INPUT, `Panel ${app}/${definition.name} supports neither floatingWindow nor dialog.`);
    // What the panel cannot fill is said before whether the page could show it.
    slotOf(app, definition, slot);
    const opener = this.#openers.get(slot);
    if (!opener)
      throw new SlotbridgeError(
        ErrorCode.BAD_INPUT,
        `Nothing on this page shows ${slot} panels; add <sb-${slot === 'dialog' ? 'dialogs' : 'floating-windows'}> to the page.`,
      );
    return opener({ app, panel: definition.name, context: options.context ?? {} });
  }

  clear(): void {
    this.#openers.clear();
  }
}
