/**
 * Test harness for bridge tests: a host with a `probe` platform api that
 * fixture guests report to, apps published from the fixture pages, and
 * helpers to command a remote-controlled guest and wait for its reports.
 */
import * as z from 'zod/mini';
import {
  createHost,
  defineApi,
  method,
  MemoryStore,
  type CallContext,
  type Host,
  type HostOptions,
  type PanelHandle,
} from '../../../src/index.js';
import { waitFor } from '../wait-for.js';

export interface ProbeRecord {
  tag: string;
  id: string;
  ok: boolean;
  value?: any;
  code?: string;
  message?: string;
  details?: any;
  isSlotbridgeError?: boolean;
  from: { app: string; panel: string; project: string; user: unknown; aborted: boolean };
}

export const fixtures = new URL('/test/fixtures/', location.href).href;
/** The per-frame secret the host put in a mounted frame's URL fragment. */
export const secretOf = (frame: HTMLIFrameElement): string => new URLSearchParams(new URL(frame.src).hash.slice(1)).get('sb-secret')!;

/** The same fixtures from another origin (127.0.0.1 instead of localhost). */
export const crossOriginFixtures = fixtures.replace('//localhost:', '//127.0.0.1:');

export interface Harness {
  host: Host;
  records: ProbeRecord[];
  /** Call contexts of `items.hang` calls in flight. */
  hung: CallContext[];
  /** Resolves with the first record of `tag` and `id`. */
  record(tag: string, id: string): Promise<ProbeRecord>;
  /** The payloads of event `name` that the guest mounted with `tag` recorded so far, in order. */
  received(tag: string, name: string): unknown[];
  /** Sends a command to the guest mounted with `tag` and waits for its answer. */
  command(tag: string, op: string, fields?: Record<string, unknown>): Promise<ProbeRecord>;
  /** Mounts a remote guest under `tag` in a fresh container; resolves once it reported ready. */
  mountGuest(tag: string, options?: { app?: string; panel?: string; context?: Record<string, unknown> }): Promise<PanelHandle>;
  container: HTMLElement;
  destroy(): void;
}

let nextCommand = 0;

export const probeApi = (records: ProbeRecord[], extra: { slowDelay?: number; hung?: CallContext[] } = {}) =>
  defineApi({
    probe: {
      record: method({ input: z.tuple([z.record(z.string(), z.unknown())]), permission: 'probe:write' }, (entry, call) => {
        records.push({
          ...(entry as unknown as ProbeRecord),
          from: { app: call.app, panel: call.panel, project: call.project, user: call.user, aborted: call.signal.aborted },
        });
      }),
      slow: method({ input: z.tuple([]), permission: 'probe:write' }, () => new Promise((r) => setTimeout(r, extra.slowDelay ?? 20))),
    },
    items: {
      get: method(
        { input: z.tuple([z.string()]), output: z.object({ id: z.string(), name: z.string() }), permission: 'items:read' },
        (id) => ({ id, name: `Item ${id}` }),
      ),
      remove: method({ input: z.tuple([z.string()]), permission: 'items:write' }, () => true),
      /** Never answers; keeps its call context so a test can watch the signal. */
      hang: method({ input: z.tuple([]), permission: 'items:read', timeout: 60_000 }, (call) => {
        extra.hung?.push(call);
        return new Promise(() => {});
      }),
    },
  });

/** A manifest for the fixture pages: `remote` (panel), `second` (panel), `worker` (module). */
export function fixtureManifest(name: string, permissions = ['probe:write', 'items:read']) {
  return {
    name,
    version: '1.0.0',
    permissions,
    components: {
      panels: [
        { name: 'remote', url: 'remote-guest.html', supportedSlots: [{ type: 'itemViewer' }, { type: 'floatingWindow' }] },
        { name: 'forms', url: 'remote-guest.html', sandbox: ['allow-forms', 'allow-popups'], supportedSlots: [{ type: 'itemSidePanel' }] },
        // Every allowlisted sandbox token: what each escape attempt does when the manifest grants it.
        {
          name: 'allowances',
          url: 'remote-guest.html',
          sandbox: ['allow-forms', 'allow-popups', 'allow-downloads', 'allow-modals'],
          supportedSlots: [{ type: 'itemViewer' }],
        },
        { name: 'floating', url: 'remote-guest.html', supportedSlots: [{ type: 'floatingWindow' }] },
        { name: 'silent', url: 'silent-guest.html', supportedSlots: [{ type: 'itemViewer' }] },
        { name: 'old', url: 'old-protocol-guest.html', supportedSlots: [{ type: 'itemViewer' }] },
        { name: 'spoofer', url: 'spoofer-guest.html', supportedSlots: [{ type: 'itemViewer' }] },
        { name: 'fuzz', url: 'fuzz-guest.html', supportedSlots: [{ type: 'itemViewer' }] },
        { name: 'raw', url: 'raw-protocol-guest.html', supportedSlots: [{ type: 'itemViewer' }] },
        { name: 'wire', url: 'wire-events-guest.html', supportedSlots: [{ type: 'itemViewer' }] },
        { name: 'built', url: 'built-guest.html', supportedSlots: [{ type: 'itemViewer' }] },
        { name: 'autosize', url: 'remote-guest.html?autoResize', supportedSlots: [{ type: 'itemSidePanel' }] },
      ],
      modules: [
        {
          name: 'worker',
          url: 'module-guest.html',
          functions: [
            {
              name: 'double',
              input: [
                { name: 'n', type: 'Integer' },
                { name: 'unused', type: 'String', value: 'default' },
              ],
              output: [{ name: 'result', type: 'Integer' }],
            },
            {
              name: 'pair',
              input: [
                { name: 'a', type: 'String' },
                { name: 'b', type: 'Integer' },
              ],
              output: [
                { name: 'first', type: 'String' },
                { name: 'second', type: 'Integer' },
              ],
            },
            { name: 'one', output: [{ name: 'count', type: 'Integer' }] },
            { name: 'items', input: [{ name: 'items', type: 'Item[]' }], output: [{ name: 'items', type: 'Item[]' }] },
            {
              name: 'tooFew',
              output: [
                { name: 'a', type: 'Integer' },
                { name: 'b', type: 'Integer' },
              ],
            },
            { name: 'wrongType', output: [{ name: 'n', type: 'Integer' }] },
            { name: 'none', output: [{ name: 'n', type: 'Integer' }] },
            { name: 'fail' },
            { name: 'failCoded' },
            { name: 'hang' },
            { name: 'huge', output: [{ name: 'text', type: 'String' }] },
            { name: 'uncloneable', output: [{ name: 'x', type: 'Json' }] },
            { name: 'throwUncloneable' },
            { name: 'reloadMidCall' },
            { name: 'notRegistered' },
          ],
        },
        {
          name: 'server',
          entryPoint: 'main.py',
          functions: [{ name: 'count', input: [{ name: 'dataset', type: 'Dataset' }], output: [{ name: 'count', type: 'Integer' }] }],
        },
      ],
    },
  };
}

/** An app whose module `masks` has artifact types `mask` (bytes), `stats` (JSON) and `broken` (its serialize throws). */
export function artifactManifest(name: string, module: { url?: string; entryPoint?: string } = { url: 'artifact-module-guest.html' }) {
  const size = [{ name: 'size', type: 'Integer' }];
  return {
    name,
    version: '1.0.0',
    permissions: ['probe:write'],
    components: {
      panels: [{ name: 'remote', url: 'remote-guest.html', supportedSlots: [{ type: 'itemViewer' }] }],
      modules: [
        {
          name: 'masks',
          ...module,
          functions: [
            { name: 'make_mask', input: size, output: [{ name: 'mask', type: 'Artifact:mask' }] },
            { name: 'make_stats', input: size, output: [{ name: 'stats', type: 'Artifact:stats' }] },
            {
              name: 'make_both',
              input: size,
              output: [
                { name: 'mask', type: 'Artifact:mask' },
                { name: 'stats', type: 'Artifact:stats' },
                { name: 'label', type: 'String' },
              ],
            },
            {
              name: 'make_with_broken',
              input: size,
              output: [
                { name: 'mask', type: 'Artifact:mask' },
                { name: 'broken', type: 'Artifact:broken' },
              ],
            },
            { name: 'mask_area', input: [{ name: 'mask', type: 'Artifact:mask' }], output: [{ name: 'area', type: 'Integer' }] },
            { name: 'describe', input: [{ name: 'stats', type: 'Artifact:stats' }], output: [{ name: 'text', type: 'String' }] },
            { name: 'encode_mask' },
            { name: 'decode_mask' },
            { name: 'encode_stats' },
            { name: 'decode_stats' },
            { name: 'encode_broken' },
            { name: 'decode_broken' },
          ],
        },
      ],
      artifacts: [
        { name: 'mask', module: 'masks', serialize: 'encode_mask', deserialize: 'decode_mask', mediaType: 'application/x-mask' },
        { name: 'stats', module: 'masks', serialize: 'encode_stats', deserialize: 'decode_stats', mediaType: 'application/json' },
        { name: 'broken', module: 'masks', serialize: 'encode_broken', deserialize: 'decode_broken' },
      ],
    },
  };
}

/**
 * A host with the probe api (plus `api`'s namespaces, which replace the
 * harness's own `items`), and `apps` published from the fixtures and installed.
 */
export async function createHarness(
  options: Partial<HostOptions> & { baseUrl?: string; apps?: string[]; slowDelay?: number; scope?: 'project' | 'organization' } = {},
): Promise<Harness> {
  const records: ProbeRecord[] = [];
  const hung: CallContext[] = [];
  const { api, scope: _scope, apps: _apps, baseUrl: _baseUrl, slowDelay: _slow, ...rest } = options;
  const host = createHost({
    project: 'p1',
    user: { id: 'u1', name: 'Ada' },
    store: new MemoryStore(),
    ...rest,
    api: { ...probeApi(records, { slowDelay: options.slowDelay, hung }), ...api },
  });
  for (const app of options.apps ?? ['app-a']) {
    await host.registry.publish(fixtureManifest(app), {
      baseUrl: options.baseUrl ?? fixtures,
      ...(options.scope ? { scope: options.scope } : {}),
    });
    await host.registry.install(app);
  }
  const container = document.createElement('div');
  document.body.append(container);
  const record = (tag: string, id: string) => waitFor(() => records.find((r) => r.tag === tag && r.id === id), `record ${tag}/${id}`);
  return {
    host,
    records,
    hung,
    container,
    record,
    received: (tag, name) => records.filter((r) => r.tag === tag && r.id === `event:${name}`).map((r) => r.value),
    async command(tag, op, fields = {}) {
      const id = `cmd-${++nextCommand}`;
      host.emit('cmd', { id, tag, op, ...fields });
      return record(tag, id);
    },
    async mountGuest(tag, { app = 'app-a', panel = 'remote', context = {} } = {}) {
      const slot = document.createElement('div');
      container.append(slot);
      const handle = host.mount(app, panel, slot, { context: { tag, ...context } });
      await handle.ready;
      await record(tag, 'ready');
      return handle;
    },
    destroy() {
      host.destroy();
      container.remove();
    },
  };
}
