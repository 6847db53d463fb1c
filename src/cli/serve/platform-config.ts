import * as z from 'zod/mini';

/** What the platform server tells the demo page (`/__slotbridge/config.json`) and sends it while developing. */

export interface PlatformConfig {
  /** `demo`: the sample apps, kept in IndexedDB. `dev`: one app under development, in a scratch project kept in memory. */
  mode: 'demo' | 'dev';
  /**
   * The apps to publish: where their panels are (`baseUrl`), the URL of their
   * manifest, and `bridge: 'dataloop'` for a Dataloop app (a `dataloop.json`).
   */
  apps: { folder: string; baseUrl: string; manifest: string; bridge?: 'dataloop' }[];
  /** Where Pyodide and slotbridge's Python runner are served: `createHost({ python: { indexURL } })`. */
  python: string;
  /**
   * demo: the registry service the page's host uses (`remoteRegistry`), which
   * has the sample apps published; the page gets its user's token from
   * `TOKEN_PATH`. Without it (dev), the page publishes `apps` itself.
   * `runner`: the name of the runner the demo started beside it (none
   * without a Python on the machine): the page may send Python there.
   */
  registry?: { url: string; problems: string[]; runner?: string };
  /** dev: the embedded registry service the app's queued functions run on (`computeConfig`, `queue`), and its runner. */
  queue?: { url: string; runner: string };
  /** What keeps an app from working here that the page should say on load (dev: a missing Pyodide or jssdk), each with what to do. */
  problems?: string[];
  /** dev: the folder of the app under development. */
  devApp?: string;
  /** dev: a server-sent event stream of `DevMessage`s. */
  events?: string;
  /** dev: where to send what the apps print (`PRINTED_PATH`). */
  printed?: string;
}

/** A change under `slotbridge dev`. */
export type DevMessage =
  /** `panels`: only panel files changed, so the app's panels reload; `page`: anything else (manifest, modules, lib). */
  | { type: 'reload'; scope: 'panels' | 'page'; file: string }
  /** The manifest no longer validates: the page shows why and keeps running the last valid one. */
  | { type: 'invalid'; file: string; errors: string[] };

/** What a Dataloop app may ask for on the demo platform (as its publisher, the platform says it: a dataloop.json names no permissions): its api reads projects, datasets and items, and updates items. */
export const DATALOOP_PERMISSIONS = ['datasets:read', 'items:read', 'items:write'];

export const CONFIG_PATH = '/__slotbridge/config.json';
/** The demo's user token for the registry service (`?user=` one of `DEMO_USERS`): what a platform's backend signs for its signed-in user. */
export const TOKEN_PATH = '/__slotbridge/token';

/**
 * The demo platform's people, by the name `?user=` takes: Ada administers the
 * org (she installs and grants), Grace is a member of its projects (she uses
 * what is installed). Two windows, one each, are two users of one project.
 */
export const DEMO_USERS = {
  ada: { id: 'u-ada', name: 'Ada Lovelace', role: 'admin' },
  grace: { id: 'u-grace', name: 'Grace Hopper', role: 'member' },
} as const;
export type DemoUser = keyof typeof DEMO_USERS;

/** The demo user a page asked for (`?user=grace`), Ada by default. */
export function demoUser(search: string): DemoUser {
  const asked = new URLSearchParams(search).get('user');
  return asked !== null && Object.hasOwn(DEMO_USERS, asked) ? (asked as DemoUser) : 'ada';
}
export const EVENTS_PATH = '/__slotbridge/events';
/** dev: where the page sends the lines its apps print or log (`POST`, JSON `PrintedLines`), for the terminal. */
export const PRINTED_PATH = '/__slotbridge/printed';
export const MAX_PRINTED = 500;
/** What one `POST` to `PRINTED_PATH` carries: at most `MAX_PRINTED` lines, each cut to 2,000 characters where it is printed. */
export const PrintedLines = z
  .array(z.object({ app: z.string().check(z.maxLength(100)), text: z.string() }))
  .check(z.maxLength(MAX_PRINTED));
export type PrintedLines = z.infer<typeof PrintedLines>;
