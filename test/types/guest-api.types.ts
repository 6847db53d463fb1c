// Type tests: compiled by `tsc --noEmit` in `npm test`, never run. A line
// marked @ts-expect-error fails the type check if it stops being an error.
import * as z from 'zod/mini';
import { defineApi, method, type GuestApi } from '../../src/index.js';
import type { GuestHost } from '../../src/guest/index.js';
import type { AppSettings, ArtifactRecord, Execution } from '../../src/index.js';

const api = defineApi({
  items: {
    get: method(
      { input: z.tuple([z.string()]), output: z.object({ id: z.string(), name: z.string() }), permission: 'items:read' },
      (id, call) => {
        const project: string = call.project;
        const signal: AbortSignal = call.signal;
        project;
        signal;
        return { id, name: 'x' };
      },
    ),
    count: method({ input: z.tuple([z.number(), z.optional(z.boolean())]) }, (n) => n * 2),
  },
});

declare const host: GuestHost<typeof api>;

export async function guestSide(): Promise<void> {
  const item: { id: string; name: string } = await host.api.items.get('i1');
  item;
  const doubled: unknown = await host.api.items.count(2);
  doubled;
  await host.api.items.count(2, true);
  // @ts-expect-error: the argument is a string
  await host.api.items.get(42);
  // @ts-expect-error: no such method
  await host.api.items.remove('i1');
  // @ts-expect-error: no such namespace
  await host.api.datasets.list();
  // @ts-expect-error: a level outside the four
  await host.ui.notify({ message: 'x', level: 'loud' });
  const supported: boolean = host.supports('items.get');
  supported;
}

// The built-ins' types come from their declaration (builtins/builtin-api.ts).
export async function builtinsSide(): Promise<void> {
  const settings: AppSettings = await host.settings.get();
  settings;
  const count: number | undefined = await host.storage.get<number>('count');
  count;
  const keys: string[] = await host.storage.keys();
  keys;
  const run: Execution = await host.functions.execute('stats.count', { item: 'i1' });
  run;
  const records: ArtifactRecord[] = await host.artifacts.list({ execution: run.id });
  records;
  const bytes: Uint8Array = await host.artifacts.read('a1');
  bytes;
  await host.ui.notify({ message: 'saved' });
  await host.ui.openPanel('details', { slot: 'dialog' });
  await host.events.emit('changed');
  // @ts-expect-error: a notification has a message
  await host.ui.notify({ level: 'info' });
  // @ts-expect-error: a window or a dialog, nothing else
  await host.ui.openPanel('details', { slot: 'sidebar' });
  // @ts-expect-error: a storage key is a string
  await host.storage.set(1, 'x');
  // @ts-expect-error: subscriptions are host.on, not a call
  await host.events.subscribe('changed');
  // @ts-expect-error: the context is host.context, not a call
  await host.context.get();
}

export function handlerSide(): void {
  // @ts-expect-error: the handler must return what the output schema takes
  method({ input: z.tuple([]), output: z.object({ id: z.string() }) }, () => ({ id: 1 }));
  // @ts-expect-error: the handler's first argument is the tuple's string
  method({ input: z.tuple([z.string()]) }, (id: number) => id);
}

type Api = GuestApi<typeof api>;
export const check: Api['items']['get'] extends (id: string) => Promise<{ id: string; name: string }> ? true : never = true;
