/**
 * The built-in guest namespaces (`context`, `ui`, `settings`, `storage`,
 * `events`, `report`, `functions`, `artifacts`), declared with the same `method()` as a
 * platform api, so they pass through the same router checks. They reach only
 * the calling app's own data: no permission is needed.
 */
import { reportEntry } from '../registry/report-book.js';
import * as z from 'zod/mini';
import { type ApiDefinition, method } from '../bridge/define-api.js';
import type { InternalCallContext } from '../bridge/router.js';
import { ErrorCode } from '../errors/error-code.js';
import { SlotbridgeError } from '../errors/slotbridge-error.js';
import { ALWAYS_DELIVERED, type BuiltinMethods } from '../bridge/protocol.js';
import { RateLimit } from './rate-limit.js';
import type { FrameSession } from '../bridge/session.js';
import type { Execution } from '../bridge/execution.js';
import type { AppSettings } from '../wizard/app-settings.js';
import type { ArtifactRecord } from '../registry/types.js';
import type { AppStorage } from '../registry/app-storage.js';
import { toWireError } from '../errors/wire.js';

/** What the built-ins need from the host. */
export interface BuiltinServices {
  notify(frame: FrameSession, notification: { message: string; level: 'info' | 'success' | 'warning' | 'error' }): void;
  openPanel(
    frame: FrameSession,
    panel: string,
    options: { slot?: 'floatingWindow' | 'dialog' | undefined; context?: Record<string, unknown> | undefined },
  ): void;
  settings(frame: FrameSession): AppSettings;
  setSetting(frame: FrameSession, path: string, value: unknown): Promise<void>;
  storage(frame: FrameSession): AppStorage;
  emitToApp(frame: FrameSession, name: string, payload: unknown): void;
  report(frame: FrameSession, kind: string, entry: Record<string, unknown>): void | Promise<void>;
  execute(frame: FrameSession, fn: string, inputs: Record<string, unknown>): Promise<Execution>;
  /** The calling app's artifacts in the frame's project. */
  listArtifacts(frame: FrameSession, filter: { execution?: string | undefined }): Promise<ArtifactRecord[]>;
  /** The bytes of one of the calling app's artifacts in the frame's project; `ARTIFACT_NOT_FOUND` for any other. */
  readArtifact(frame: FrameSession, id: string): Promise<Uint8Array>;
  /** Notifications one app may show in 10 seconds. */
  maxNotifications: number;
  /** Storage writes one app may make in 10 seconds. */
  maxStorageWrites: number;
}

/**
 * What a built-in answers, as the guest's types see it (`GuestHost` derives
 * them from this api). The host makes these values itself, so they are not
 * checked again on the way out.
 */
const returns = <T>() => z.custom<T>();

const Key = z.string().check(z.minLength(1), z.maxLength(256));
const EventName = z.string().check(z.minLength(1), z.maxLength(128));
const Json = z.unknown();
const Metric = z.string().check(z.maxLength(256));
/** An image the dashboard may show: http(s), or a data URL of a raster image (never script, never SVG). */
const ImageUrl = z.string().check(
  z.maxLength(10_000_000),
  z.refine(
    (url) => /^(https?:\/\/|data:image\/(png|jpeg|gif|webp);base64,)/i.test(url),
    'an http(s) URL or a data:image/(png|jpeg|gif|webp);base64 URL',
  ),
);

/** Events the host sends guests: no guest may send them to another frame. */
const HOST_EVENTS: ReadonlySet<string> = new Set([...ALWAYS_DELIVERED, 'theme', 'locale', 'settings']);

const frameOf = (call: unknown): FrameSession => (call as InternalCallContext).frame;

/** Reports one `report.batch` call may carry (the guest SDK sends at most this many at once). */
export const MAX_REPORT_BATCH = 5000;

const REPORT_ARGS = {
  scalar: z.tuple([Metric, Metric, z.number(), z.number()]),
  log: z.tuple([z.string().check(z.maxLength(100_000))]),
  plot: z.tuple([Metric, Metric, Json]),
  image: z.tuple([Metric, Metric, z.number(), ImageUrl]),
};

export function builtinApi(services: BuiltinServices) {
  // Notifications each app showed lately: a guest cannot bury the page in them.
  const notices = new RateLimit(
    services.maxNotifications,
    10_000,
    'notifications',
    'wait before notifying again, or say more in fewer notifications',
  );
  // Each storage write is a write to the registry (a request to the service, on one): a flood of them is refused, not queued.
  const writes = new RateLimit(
    services.maxStorageWrites,
    10_000,
    'storage writes',
    'write less often: keep state in memory and save it when it settles, or in fewer, larger values',
  );
  return {
    context: {
      get: method({ input: z.tuple([]), output: returns<Record<string, unknown>>() }, (call) => frameOf(call).guestContext()),
    },
    ui: {
      /** Shows the user a notification from this app (a few in 10 seconds: past them, `RATE_LIMITED`). */
      notify: method(
        {
          input: z.tuple([
            z.object({
              message: z.string().check(z.minLength(1), z.maxLength(1000)),
              level: z.optional(z.enum(['info', 'success', 'warning', 'error'])),
            }),
          ]),
        },
        ({ message, level }, call) => {
          notices.take(frameOf(call).app);
          services.notify(frameOf(call), { message, level: level ?? 'info' });
        },
      ),
      /** Opens another panel of this app in a floating window or a dialog. */
      openPanel: method(
        {
          input: z.tuple([
            z.string().check(z.minLength(1), z.maxLength(100)),
            z.optional(
              z.object({ slot: z.optional(z.enum(['floatingWindow', 'dialog'])), context: z.optional(z.record(z.string(), z.unknown())) }),
            ),
          ]),
        },
        (panel, options, call) => services.openPanel(frameOf(call), panel, options ?? {}),
      ),
      /** Closes this panel's window or dialog. */
      close: method({ input: z.tuple([]) }, (call) => frameOf(call).close()),
      /** Asks for a height, in CSS pixels (`connect({ autoResize: true })` keeps it told). */
      resize: method({ input: z.tuple([z.object({ height: z.number().check(z.gte(0), z.lte(100_000)) })]) }, ({ height }, call) =>
        frameOf(call).resize(height),
      ),
    },
    settings: {
      /** The saved settings, by target: `{ hyperparams: { <section>: { <name>: value } }, configuration: { <name>: value } }`. */
      get: method({ input: z.tuple([]), output: returns<AppSettings>() }, (call) => services.settings(frameOf(call))),
      /** Sets one setting of this app (`configuration.<name>` or `hyperparams.<section>.<name>`), e.g. a result the dashboard shows. */
      set: method({ input: z.tuple([z.string().check(z.minLength(1), z.maxLength(500)), Json]) }, (path, value, call) =>
        services.setSetting(frameOf(call), path, value),
      ),
    },
    storage: {
      /** This app's value under `key` in the project, or undefined. */
      get: method({ input: z.tuple([Key]), output: returns<unknown>() }, (key, call) => services.storage(frameOf(call)).get(key)),
      /** Stores a value (structured-cloneable) under `key`, within the app's quota (`STORAGE_FULL` past it). */
      set: method({ input: z.tuple([Key, Json]) }, (key, value, call) => {
        writes.take(frameOf(call).app);
        return services.storage(frameOf(call)).set(key, value);
      }),
      remove: method({ input: z.tuple([Key]) }, (key, call) => {
        writes.take(frameOf(call).app);
        return services.storage(frameOf(call)).remove(key);
      }),
      keys: method({ input: z.tuple([]), output: returns<string[]>() }, (call) => services.storage(frameOf(call)).keys()),
    },
    events: {
      subscribe: method({ input: z.tuple([EventName]) }, (name, call) => frameOf(call).subscribe(name)),
      unsubscribe: method({ input: z.tuple([EventName]) }, (name, call) => frameOf(call).unsubscribe(name)),
      /** Sends an event to this app's other frames in the project (not the host's own names: `PERMISSION_DENIED`). */
      emit: method({ input: z.tuple([EventName, z.optional(Json)]) }, (name, payload, call) => {
        // The host's own events would let one frame rewrite another's context or capabilities.
        if (HOST_EVENTS.has(name) || name.startsWith('sb:')) {
          throw new SlotbridgeError(
            ErrorCode.PERMISSION_DENIED,
            `"${name}" is an event only the host sends; give your app's event another name.`,
          );
        }
        services.emitToApp(frameOf(call), name, payload);
      }),
    },
    report: {
      ...Object.fromEntries(
        Object.entries(REPORT_ARGS).map(([kind, input]) => [
          kind,
          method({ input }, (...args: unknown[]) => services.report(frameOf(args.pop()), kind, reportEntry(kind, args))),
        ]),
      ),
      // What the guest SDK sends: the reports made in one task, each checked and answered on its own.
      batch: method({ input: z.tuple([z.array(z.array(z.unknown())).check(z.maxLength(MAX_REPORT_BATCH))]) }, (entries, call) =>
        Promise.all(
          entries.map(async ([kind, ...args]) => {
            const input =
              typeof kind === 'string' && Object.hasOwn(REPORT_ARGS, kind) ? REPORT_ARGS[kind as keyof typeof REPORT_ARGS] : undefined;
            const parsed = input?.safeParse(args);
            try {
              if (!input || !parsed?.success) {
                const problem = input ? 'arguments do not match (metric, variant, iteration, value...)' : 'no such report kind';
                throw new SlotbridgeError(ErrorCode.INVALID_ARGUMENTS, `report.${String(kind).slice(0, 50)}: ${problem}.`);
              }
              await services.report(frameOf(call), kind as string, reportEntry(kind as string, parsed.data as unknown[]));
              return null;
            } catch (error) {
              return toWireError(error);
            }
          }),
        ),
      ),
    },
    functions: {
      /** Runs one of this app's declared functions (`module.function`) and answers its record. */
      execute: method(
        {
          input: z.tuple([z.string().check(z.minLength(3), z.maxLength(300)), z.optional(z.record(z.string(), z.unknown()))]),
          output: returns<Execution>(),
        },
        (fn, inputs, call) => services.execute(frameOf(call), fn, inputs ?? {}),
      ),
    },
    artifacts: {
      /** This app's stored artifacts in the project (function outputs of `Artifact:<type>` types), or one run's. */
      list: method(
        {
          input: z.tuple([z.optional(z.object({ execution: z.optional(z.string().check(z.maxLength(200))) }))]),
          output: returns<ArtifactRecord[]>(),
        },
        (filter, call) => services.listArtifacts(frameOf(call), filter ?? {}),
      ),
      /** An artifact's bytes (a JSON artifact's are its UTF-8 JSON text); `ARTIFACT_NOT_FOUND` for one that is not this app's. */
      read: method({ input: z.tuple([z.string().check(z.minLength(1), z.maxLength(200))]), output: returns<Uint8Array>() }, (id, call) =>
        services.readArtifact(frameOf(call), id),
      ),
    },
  } satisfies { [N in keyof BuiltinMethods]: { [M in BuiltinMethods[N][number]]: ApiDefinition[string][string] } };
}

/** The built-ins as an api: each namespace's methods with their argument and answer types. */
export type BuiltinApi = ReturnType<typeof builtinApi>;
