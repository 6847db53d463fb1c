/**
 * The built-in guest namespaces (`context`, `ui`, `settings`, `storage`,
 * `events`, `report`, `functions`), declared with the same `method()` as a
 * platform api, so they pass through the same router checks. They reach only
 * the calling app's own data: no permission is needed.
 */
import * as z from 'zod/mini';
import { type ApiDefinition, type MethodDefinition, method } from './define-api.js';
import type { InternalCallContext } from './router.js';
import type { FrameSession } from './frame-session.js';
import type { Execution } from './execution.js';
import type { AppSettings } from '../wizard/app-settings.js';

/** An app's key-value storage in one project. */
export interface AppStorage {
  get(key: string): Promise<unknown>;
  keys(): Promise<string[]>;
  /** `STORAGE_FULL` past the key limit or the browser's quota. */
  set(key: string, value: unknown): Promise<void>;
  remove(key: string): Promise<void>;
}

/** What the built-ins need from the host. */
export interface BuiltinServices {
  fullContext(frame: FrameSession): Record<string, unknown>;
  notify(frame: FrameSession, notification: { message: string; level: 'info' | 'success' | 'warning' | 'error' }): void;
  openPanel(frame: FrameSession, panel: string, options: { slot?: 'floatingWindow' | 'dialog' | undefined; context?: Record<string, unknown> | undefined }): void;
  settings(frame: FrameSession): AppSettings;
  setSetting(frame: FrameSession, path: string, value: unknown): Promise<void>;
  storage(frame: FrameSession): AppStorage;
  emitToApp(frame: FrameSession, name: string, payload: unknown): void;
  report(frame: FrameSession, kind: string, entry: Record<string, unknown>): void | Promise<void>;
  execute(frame: FrameSession, fn: string, inputs: Record<string, unknown>): Promise<Execution>;
}

const Key = z.string().check(z.minLength(1), z.maxLength(256));
const EventName = z.string().check(z.minLength(1), z.maxLength(128));
const Json = z.unknown();
const Metric = z.string().check(z.maxLength(256));
/** An image the dashboard may show: http(s), or a data URL of a raster image (never script, never SVG). */
const ImageUrl = z.string().check(
  z.maxLength(10_000_000),
  z.refine((url) => /^(https?:\/\/|data:image\/(png|jpeg|gif|webp);base64,)/i.test(url), 'an http(s) URL or a data:image/(png|jpeg|gif|webp);base64 URL'),
);

const frameOf = (call: unknown): FrameSession => (call as InternalCallContext).frame;

export function builtinApi(services: BuiltinServices): ApiDefinition {
  return {
    context: {
      get: method({ input: z.tuple([]) }, (call) => services.fullContext(frameOf(call))),
    },
    ui: {
      notify: method(
        {
          input: z.tuple([
            z.object({ message: z.string().check(z.minLength(1), z.maxLength(1000)), level: z.optional(z.enum(['info', 'success', 'warning', 'error'])) }),
          ]),
        },
        ({ message, level }, call) => services.notify(frameOf(call), { message, level: level ?? 'info' }),
      ),
      openPanel: method(
        {
          input: z.tuple([
            z.string().check(z.minLength(1), z.maxLength(100)),
            z.optional(z.object({ slot: z.optional(z.enum(['floatingWindow', 'dialog'])), context: z.optional(z.record(z.string(), z.unknown())) })),
          ]),
        },
        (panel, options, call) => services.openPanel(frameOf(call), panel, options ?? {}),
      ),
      close: method({ input: z.tuple([]) }, (call) => frameOf(call).close()),
      resize: method(
        { input: z.tuple([z.object({ height: z.number().check(z.gte(0), z.lte(100_000)) })]) },
        ({ height }, call) => frameOf(call).resize(height),
      ),
    },
    settings: {
      get: method({ input: z.tuple([]) }, (call) => services.settings(frameOf(call))),
      set: method(
        { input: z.tuple([z.string().check(z.minLength(1), z.maxLength(500)), Json]) },
        (path, value, call) => services.setSetting(frameOf(call), path, value),
      ),
    },
    storage: {
      get: method({ input: z.tuple([Key]) }, (key, call) => services.storage(frameOf(call)).get(key)),
      set: method({ input: z.tuple([Key, Json]) }, (key, value, call) => services.storage(frameOf(call)).set(key, value)),
      remove: method({ input: z.tuple([Key]) }, (key, call) => services.storage(frameOf(call)).remove(key)),
      keys: method({ input: z.tuple([]) }, (call) => services.storage(frameOf(call)).keys()),
    },
    events: {
      subscribe: method({ input: z.tuple([EventName]) }, (name, call) => frameOf(call).subscribe(name)),
      unsubscribe: method({ input: z.tuple([EventName]) }, (name, call) => frameOf(call).unsubscribe(name)),
      emit: method({ input: z.tuple([EventName, Json]) }, (name, payload, call) => services.emitToApp(frameOf(call), name, payload)),
    },
    report: {
      scalar: method(
        { input: z.tuple([Metric, Metric, z.number(), z.number()]) },
        (metric, variant, iteration, value, call) => services.report(frameOf(call), 'scalar', { metric, variant, iteration, value }),
      ),
      log: method({ input: z.tuple([z.string().check(z.maxLength(100_000))]) }, (text, call) => services.report(frameOf(call), 'log', { text })),
      plot: method({ input: z.tuple([Metric, Metric, Json]) }, (metric, variant, figure, call) => services.report(frameOf(call), 'plot', { metric, variant, figure })),
      image: method(
        { input: z.tuple([Metric, Metric, z.number(), ImageUrl]) },
        (metric, variant, iteration, url, call) => services.report(frameOf(call), 'image', { metric, variant, iteration, url }),
      ),
    },
    functions: {
      execute: method(
        { input: z.tuple([z.string().check(z.minLength(3), z.maxLength(300)), z.optional(z.record(z.string(), z.unknown()))]) },
        (fn, inputs, call) => services.execute(frameOf(call), fn, inputs ?? {}),
      ),
    },
  } satisfies Record<string, Record<string, MethodDefinition<any, any>>>;
}
