/**
 * The built-ins as the host implements them: each app reaches only its own
 * settings, storage, reports, artifacts and frames, in its frame's project.
 * (The mock host of `slotbridge/guest/testing` implements the same services in memory.)
 */
import { ErrorCode } from '../errors/error-code.js';
import { SlotbridgeError } from '../errors/slotbridge-error.js';
import type { Execution } from '../bridge/execution.js';
import type { FrameSession } from '../bridge/session.js';
import { notFound } from '../registry/artifact-shelf.js';
import type { Registry } from '../registry/registry.js';
import { normalizeSettings } from '../wizard/app-settings.js';
import type { Notification } from './host-events.js';
import { flattenApi, type MethodDefinition } from '../bridge/define-api.js';
import { builtinApi, type BuiltinServices } from '../builtins/builtin-api.js';

/** What the built-ins act on: the host's own parts, each an object of its own. */
export interface ServicesHost {
  /** The host itself: its registry, and the panels and functions it opens and runs. */
  host: {
    readonly registry: Registry;
    openPanel(app: string, panel: string, options: { slot?: 'floatingWindow' | 'dialog'; context: Record<string, unknown> }): unknown;
    execute(app: string, fn: string, inputs: Record<string, unknown>, options: { context: Record<string, unknown> }): Promise<Execution>;
  };
  /** Every open frame. */
  frames: Iterable<FrameSession & { deliver(name: string, payload: unknown): void }>;
  /** The host's events (`notify`). */
  events: { emit(event: 'notify', notification: Notification): unknown };
  limits: { maxWindows: number; maxNotifications: number; maxStorageWrites: number };
}

export function hostServices({ host, frames, events, limits }: ServicesHost): BuiltinServices {
  const { registry } = host;
  return {
    notify: (frame, n) => events.emit('notify', { app: frame.app, panel: frame.panel, message: n.message, level: n.level }),
    maxNotifications: limits.maxNotifications,
    maxStorageWrites: limits.maxStorageWrites,
    openPanel: (frame, panel, options) => {
      const limit = limits.maxWindows;
      let open = 0;
      for (const f of frames) if (f.app === frame.app && (f.slot === 'floatingWindow' || f.slot === 'dialog')) open++;
      if (open >= limit) {
        throw new SlotbridgeError(
          ErrorCode.RATE_LIMITED,
          `${frame.app} already has ${open} windows open (limit ${limit}); close one (ui.close) before opening another.`,
        );
      }
      host.openPanel(frame.app, panel, { ...(options.slot ? { slot: options.slot } : {}), context: options.context ?? {} });
    },
    settings: (frame) => normalizeSettings(registry.installation(frame.app, frame.project)?.settings),
    setSetting: async (frame, path, value) => {
      await registry.setSetting(frame.app, path, value, { project: frame.project });
    },
    storage: (frame) => registry.storage(frame.app, frame.project),
    emitToApp: (frame, name, payload) => {
      for (const other of frames)
        if (other !== frame && other.app === frame.app && other.project === frame.project) other.deliver(name, payload);
    },
    report: async (frame, kind, entry) => {
      await registry.addReport({ ...entry, app: frame.app, project: frame.project, panel: frame.panel, kind, time: Date.now() });
    },
    execute: (frame, fn, inputs) => host.execute(frame.app, fn, inputs, { context: frame.context }),
    listArtifacts: (frame, filter) =>
      registry.artifacts.list({
        app: frame.app,
        project: frame.project,
        ...(filter.execution !== undefined ? { execution: filter.execution } : {}),
      }),
    readArtifact: async (frame, id) => {
      const record = await registry.artifacts.get(id);
      // Another app's or project's artifact is answered as missing: a guest learns nothing of it.
      if (!record || record.app !== frame.app || record.project !== frame.project) throw notFound(id);
      return registry.artifacts.read(id);
    },
  };
}

/**
 * Puts the built-ins into the router's methods, ahead of the platform's and
 * the adapters' (they come first in capability lists, and a name taken by a
 * built-in stays the built-in's).
 */
export function addBuiltins(methods: Map<string, MethodDefinition>, host: ServicesHost): true {
  const others = [...methods];
  methods.clear();
  for (const entry of flattenApi(builtinApi(hostServices(host)))) methods.set(...entry);
  for (const [name, def] of others) if (!methods.has(name)) methods.set(name, def);
  return true;
}
