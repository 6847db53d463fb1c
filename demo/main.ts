/**
 * The demo platform, "Shapes Lab": a small data platform (projects,
 * datasets of images, items, annotations) whose pages hold slotbridge's slot
 * elements. `slotbridge demo` (`npm start`) serves it with the sample apps;
 * `slotbridge dev <app-dir>` serves it with one app under development.
 */
import { html, render } from 'lit';
import { createHost, MemoryStore, remoteRegistry, type Host } from '../src/index.js';
import '../slots/index.js';
import { CONFIG_PATH, DEMO_USERS, demoUser, TOKEN_PATH, type PlatformConfig } from '../src/cli/serve/platform-config.js';
import { DataStore, demoSeed } from './platform/data-store.js';
import { platformApi } from './platform/platform-api.js';
import { dataloopApi, dataloopItem } from './platform/dataloop-api.js';
import { dataloopBridge } from '../src/dataloop/index.js';
import type { Item } from './platform/data-store.js';
import { installDefaults, publishApps, upgradeInstalled } from './platform/catalog.js';
import { page, titleOf, type PageDeps } from './platform/pages.js';
import { parseRoute, href } from './platform/routes.js';
import { followDevServer } from './platform/dev-session.js';
import { ItemOverlays } from './platform/item-overlays.js';

const $ = (selector: string): HTMLElement => document.querySelector<HTMLElement>(selector)!;
const PROJECT_KEY = 'slotbridge-demo:project';
const THEME_KEY = 'slotbridge-demo:theme';
const PYTHON_KEY = 'slotbridge-demo:python';

const config = (await (await fetch(CONFIG_PATH)).json()) as PlatformConfig;
const dev = config.mode === 'dev';
const data = await DataStore.open(dev ? 'slotbridge-dev-data' : 'slotbridge-demo-data', () =>
  demoSeed(new URL('images/', location.href), config.mode),
);
const projects = data.projects();
const savedProject = localStorage.getItem(PROJECT_KEY);
const startProject = dev ? 'scratch' : projects.some((p) => p.id === savedProject) ? savedProject! : projects[0].id;

// What apps change is announced to the apps that listen (Dataloop panels hear it as a CRUD change), and shown in the platform's own views.
const announce = (event: string, payload: unknown) => {
  host.emit(event, payload);
  if (event === 'item:updated') host.emit('data', { scope: 'item', crud: 'updated', data: dataloopItem(payload as Item) });
  queueMicrotask(show);
};

/** Where this page's Python runs: here, on Pyodide, or (an app page's switch) on the demo's runner, through the service's queue. */
const runner = config.registry?.runner;
const pythonOn = runner !== undefined && localStorage.getItem(PYTHON_KEY) === 'runner' ? 'runner' : 'page';

/** Who is signed in: Ada (the org's admin) unless the address says `?user=grace` (a member). */
const signedIn = demoUser(location.search);
const user = DEMO_USERS[signedIn];
/** The user's token for the registry service, as the platform's backend signs it. */
const platformToken = async () => ((await (await fetch(`${TOKEN_PATH}?user=${signedIn}`)).json()) as { token: string }).token;

// Under dev, an app's functions on a queue go to the embedded service dev started (its runner runs them).
const devQueue = config.queue ? remoteRegistry({ url: config.queue.url, token: platformToken, cache: false }) : undefined;
// Loaded, it follows the service's changes: the runs' progress and their calls to this page.
await devQueue?.load();

const host: Host = createHost({
  project: startProject,
  user: { id: user.id, name: user.name },
  theme: localStorage.getItem(THEME_KEY) === 'dark' ? 'dark' : 'light',
  api: platformApi(data, announce),
  // Dataloop's apps run unchanged: their panels speak xFrame through @dataloop-ai/jssdk.
  bridges: { dataloop: dataloopBridge({ api: dataloopApi(data, announce) }) },
  // Python modules run here, on Pyodide served beside the apps (loaded when the first one runs). A host without
  // `python` sends them to the registry service's default queue, where the demo's runner works them (docs/runs.md).
  ...(pythonOn === 'page' ? { python: { indexURL: config.python } } : {}),
  // What the marketplace tells people each permission lets an app do.
  permissionDescriptions: {
    'items:read': 'See the items of this project: their images, names and metadata.',
    'items:write': "Change items' metadata.",
    'datasets:read': 'See the datasets of this project and what they hold.',
    'annotations:read': "See items' annotations.",
    'annotations:write': 'Add and change annotations on items.',
  },
  // Wizard dropdowns: the platform's projects and datasets.
  sources: {
    project: () => data.projects().map((p) => ({ id: p.id, name: p.name })),
    dataset: ({ project }) => data.datasets(project).map((d) => ({ id: d.id, name: d.name })),
  },
  // The demo's registry is a registry service (slotbridge serve, started with the demo), shared by every window; the
  // platform signs its user's token, as a platform's backend would. Under dev the registry lives in memory: the app is
  // published afresh on every load, whatever its version says.
  ...(config.registry ? { registry: remoteRegistry({ url: config.registry.url, token: platformToken }) } : { store: new MemoryStore() }),
  ...(devQueue?.runs ? { functions: devQueue.runs } : {}),
});
await host.ready;

// On the service the sample apps are published already (by slotbridge demo); under dev the page publishes them itself.
const { names, problems } = config.registry
  ? { names: new Map<string, string>(), problems: config.registry.problems }
  : await publishApps(host, config);
const devApp = config.devApp !== undefined ? names.get(config.devApp) : undefined;
if (dev && devApp) await host.registry.install(devApp, { project: 'scratch' });
// Installing and upgrading is an admin's: a member uses what is installed.
if (!dev && user.role === 'admin') {
  await installDefaults(host);
  for (const p of projects) await upgradeInstalled(host, p.id);
}
showProblems(problems, config.problems ?? []);
($('#sb') as HTMLElement & { host: Host }).host = host;

// ---------------------------------------------------------------- chrome: project, theme, inspector, notifications

// Two windows, one per user, are two users of one project (on the registry service; dev has one user).
if (config.registry) {
  const other = Object.entries(DEMO_USERS).find(([name]) => name !== signedIn)!;
  render(
    html`<span class="name">${user.name} (${user.role})</span>
      <a href=${`?user=${other[0]}${location.hash}`} target="_blank" rel="noopener">Open as ${other[1].name}</a>`,
    $('#user'),
  );
}

const projectSelect = $('#project') as HTMLSelectElement;
render(
  projects.map((p) => html`<option value=${p.id} ?selected=${p.id === host.project}>${p.name}</option>`),
  projectSelect,
);
projectSelect.disabled = dev;
projectSelect.addEventListener('change', () => {
  host.project = projectSelect.value;
  localStorage.setItem(PROJECT_KEY, host.project);
  location.hash = href({ page: 'datasets' });
  show();
});

const themeButton = $('#theme') as HTMLButtonElement;
const applyTheme = () => {
  const dark = host.theme === 'dark';
  document.body.classList.toggle('dark', dark);
  themeButton.textContent = dark ? 'Light theme' : 'Dark theme';
  themeButton.setAttribute('aria-pressed', String(dark));
};
themeButton.addEventListener('click', () => {
  host.theme = host.theme === 'light' ? 'dark' : 'light';
  localStorage.setItem(THEME_KEY, host.theme);
  applyTheme();
});
applyTheme();

const inspectorToggle = $('#inspector-toggle') as HTMLButtonElement;
inspectorToggle.addEventListener('click', () => {
  const drawer = $('#inspector-drawer');
  drawer.hidden = !drawer.hidden;
  inspectorToggle.setAttribute('aria-expanded', String(!drawer.hidden));
});

host.on('notify', (n) => {
  // A guest's text goes in as text, never as HTML.
  // Named as people know the app (its display name), not by its id.
  const name = host.registry.installedApp(n.app)?.manifest.displayName ?? n.app;
  const toast = Object.assign(document.createElement('li'), { textContent: `${name}: ${n.message}` });
  toast.dataset['level'] = n.level;
  toast.dataset['app'] = n.app;
  $('#toasts').append(toast);
  setTimeout(() => toast.remove(), 6000);
});

if (dev && devApp) {
  const badge = $('#dev-badge');
  render(html`Developing <a href=${href({ page: 'apps', app: devApp })}>${devApp}</a>`, badge);
  badge.hidden = false;
  followDevServer(
    host,
    { events: config.events!, ...(config.printed ? { printed: config.printed } : {}) },
    () => devApp,
    $('#dev-problems'),
  );
}

/** What went wrong publishing the apps, and what keeps them from working on this machine. */
function showProblems(publishing: string[], setup: string[]): void {
  const box = $('#dev-problems');
  box.textContent = [...(publishing.length ? [`Some apps could not be published:\n${publishing.join('\n')}`] : []), ...setup].join('\n\n');
  box.hidden = box.textContent === '';
}

// ---------------------------------------------------------------- pages

// The last context given to each slot, with the key it was made for: bounded, and reused while the key holds.
const contexts = new Map<string, { key: string; value: Record<string, unknown> }>();
const deps: PageDeps = {
  host,
  data,
  developing: dev ? devApp : undefined,
  // Re-renders once what an app made for the item is loaded.
  overlays: new ItemOverlays(host, () => show()),
  python: {
    on: pythonOn,
    runner,
    switchTo: (where) => {
      localStorage.setItem(PYTHON_KEY, where);
      location.reload();
    },
  },
  context(key, make) {
    const slot = key.slice(0, key.indexOf(':'));
    let held = contexts.get(slot);
    if (held?.key !== key) contexts.set(slot, (held = { key, value: make() }));
    return held.value;
  },
};

$('#page').replaceChildren();
function show(): void {
  if (dev && !location.hash) location.replace(href({ page: 'item', item: data.itemsOfProject('scratch')[0].id }));
  const route = parseRoute(location.hash);
  render(page(route, deps), $('#page'));
  document.title = `${titleOf(route, deps)} · Shapes Lab`;
  for (const link of document.querySelectorAll<HTMLAnchorElement>('[data-nav]')) {
    link.setAttribute('aria-current', link.dataset['nav'] === (route.page === 'item' ? 'datasets' : route.page) ? 'page' : 'false');
  }
}

let lastHash = location.hash;
addEventListener('hashchange', () => {
  show();
  // Focus moves to the new page for keyboard and screen-reader users, not on every re-render.
  if (location.hash !== lastHash) $('#page').focus({ preventScroll: true });
  lastHash = location.hash;
});
// The app pages follow installs and settings.
for (const event of ['app:installed', 'app:uninstalled', 'settings:changed'] as const) host.on(event, () => show());
show();

// For poking at the platform from the browser's console.
Object.assign(globalThis, { demo: { host, data } });
