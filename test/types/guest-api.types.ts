// Type tests: compiled by `tsc --noEmit` in `npm test`, never run. A line
// marked @ts-expect-error fails the type check if it stops being an error.
import * as z from 'zod/mini';
import { defineApi, method, type GuestApi } from '../../src/index.js';
import type { GuestHost } from '../../src/guest/index.js';

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

export function handlerSide(): void {
  // @ts-expect-error: the handler must return what the output schema takes
  method({ input: z.tuple([]), output: z.object({ id: z.string() }) }, () => ({ id: 1 }));
  // @ts-expect-error: the handler's first argument is the tuple's string
  method({ input: z.tuple([z.string()]) }, (id: number) => id);
}

type Api = GuestApi<typeof api>;
export const check: Api['items']['get'] extends (id: string) => Promise<{ id: string; name: string }> ? true : never = true;
