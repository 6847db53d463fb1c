/**
 * Every event the slot elements send, with its `detail`, declared once in
 * `HTMLElementEventMap` so that `addEventListener('sb-invoke', e => e.detail...)`
 * is typed. All of them bubble and cross shadow roots (`composed`).
 */
import type { PanelHandle, PanelState, ToolbarDefinition, AppSettings } from '../src/for-slots.js';

export interface SbEventDetails {
  /** A panel a slot element mounted changed state. */
  'sb-panel-state': { panel: PanelHandle; state: PanelState };
  /** Cancelable, before a window or dialog closes its panel: `preventDefault()` keeps it open. */
  'sb-request-close': { panel: PanelHandle };
  /** The marketplace installed an app. */
  'sb-install': { app: string; version: string; grant: string[] };
  /** The marketplace uninstalled an app. */
  'sb-uninstall': { app: string };
  /** Cancelable, before a toolbar button runs: `preventDefault()` runs nothing. */
  'sb-invoke': { app: string; toolbar: ToolbarDefinition; type: string; namespace: string };
  /** The settings wizard saved an app's settings. */
  'sb-settings-saved': { app: string; project: string; settings: AppSettings };
  'sb-settings-unsaved': { app: string; unsaved: boolean };
}

export type SbEventName = keyof SbEventDetails;

/** Sends a slot element's event (bubbling, composed); returns false when a cancelable one was cancelled. */
export function fire<E extends SbEventName>(element: HTMLElement, name: E, detail: SbEventDetails[E], cancelable = false): boolean {
  return element.dispatchEvent(new CustomEvent(name, { bubbles: true, composed: true, cancelable, detail }));
}

declare global {
  interface HTMLElementEventMap {
    'sb-panel-state': CustomEvent<SbEventDetails['sb-panel-state']>;
    'sb-request-close': CustomEvent<SbEventDetails['sb-request-close']>;
    'sb-install': CustomEvent<SbEventDetails['sb-install']>;
    'sb-uninstall': CustomEvent<SbEventDetails['sb-uninstall']>;
    'sb-invoke': CustomEvent<SbEventDetails['sb-invoke']>;
    'sb-settings-saved': CustomEvent<SbEventDetails['sb-settings-saved']>;
    'sb-settings-unsaved': CustomEvent<SbEventDetails['sb-settings-unsaved']>;
    /** `<sb-host>`'s `host` was set. */
    'sb-host-change': Event;
  }
}
