/** The host's own events (`host.on`): their names and payloads. */
import EventEmitter from 'eventemitter3';
import { ErrorCode } from '../errors/error-code.js';
import { SlotbridgeError } from '../errors/slotbridge-error.js';
import { isolated, isolatedOf, type Listener } from './isolated-listener.js';
import type { BridgeLogEntry } from '../bridge/call-log.js';
import type { Execution } from '../bridge/execution.js';
import type { AppRecord, ArtifactRecord, Installation, Report } from '../registry/types.js';
import type { AppSettings } from '../wizard/app-settings.js';
import type { Theme } from './host-options.js';
import type { PanelHandle, PanelState } from './panel-handle.js';

export interface Notification {
  app: string;
  panel: string;
  /** Text from the guest: render it as text, never as HTML. */
  message: string;
  level: 'info' | 'success' | 'warning' | 'error';
}

/** Host-side events and their payloads. */
export interface HostEvents {
  'app:published': [record: AppRecord];
  'app:installed': [installation: Installation];
  'app:uninstalled': [info: { app: string; project: string; keepData: boolean }];
  'artifact:stored': [record: ArtifactRecord];
  'artifact:deleted': [record: ArtifactRecord];
  'settings:changed': [info: { app: string; project: string; settings: AppSettings }];
  'panel:state': [panel: PanelHandle, state: PanelState];
  'panel:resize': [panel: PanelHandle, height: number];
  /** The platform set a panel's context (`handle.context`): a slot's or a toolbar's next item. */
  'panel:context': [panel: PanelHandle, context: Record<string, unknown>];
  /** A ready frame stopped answering the heartbeat (`responding` false), or answered again. */
  'panel:responding': [panel: PanelHandle, responding: boolean];
  /** An event a guest sent the platform (protocols whose guests do: see `BridgePort.emit`). */
  'panel:event': [panel: PanelHandle, event: { name: string; payload: unknown }];
  'project:changed': [project: string];
  'theme:changed': [theme: Theme];
  call: [entry: BridgeLogEntry];
  execution: [execution: Execution];
  notify: [notification: Notification];
  report: [report: Report];
}

// Every name of HostEvents (the `satisfies` keeps the two the same), so that `on` refuses a misspelt one.
const HOST_EVENT_NAMES: ReadonlySet<string> = new Set(
  Object.keys({
    'app:published': 1,
    'app:installed': 1,
    'app:uninstalled': 1,
    'artifact:stored': 1,
    'artifact:deleted': 1,
    'settings:changed': 1,
    'panel:state': 1,
    'panel:resize': 1,
    'panel:context': 1,
    'panel:responding': 1,
    'panel:event': 1,
    'project:changed': 1,
    'theme:changed': 1,
    call: 1,
    execution: 1,
    notify: 1,
    report: 1,
  } satisfies Record<keyof HostEvents, 1>),
);

/** `event` if the host emits it; BAD_INPUT otherwise (a listener that would never run). */
function hostEvent(event: unknown): string {
  if (typeof event === 'string' && HOST_EVENT_NAMES.has(event)) return event;
  throw new SlotbridgeError(
    ErrorCode.BAD_INPUT,
    `The host emits no event "${String(event)}"; listen to one of: ${[...HOST_EVENT_NAMES].join(', ')}.`,
  );
}

/** The host's emitter: listeners of known events only, each run so that what it throws stops nothing else. */
export class HostEventBus extends EventEmitter {
  listen(event: string, fn: Listener, once = false): void {
    const wrapper = isolated(hostEvent(event), fn);
    if (once) this.once(event, wrapper);
    else this.on(event, wrapper);
  }

  /** Removes `fn` (added by `listen`), or every listener of `event` without it. */
  unlisten(event: string, fn?: Listener): void {
    // A function never added has no wrapper: nothing to remove (eventemitter3 would take undefined as "all").
    const wrapper = fn && isolatedOf(fn);
    if (fn === undefined) this.off(event);
    else if (wrapper) this.off(event, wrapper);
  }
}
