// The demo page: a host with one app installed, its panel mounted in the item viewer.
import { createHost, defineApi, method } from '../dist/index.js';
import { validateManifest } from '../dist/manifest.js';
import '../dist/slots.js';
import * as z from 'zod/mini';

const items: Record<string, { id: string; name: string }> = {
  i1: { id: 'i1', name: 'Cat on a mat' },
  i2: { id: 'i2', name: 'Dog in fog' },
};
const $ = <T extends HTMLElement>(selector: string) => document.querySelector<T>(selector)!;
const status = $('#status');
const itemSelect = $<HTMLSelectElement>('#item');

function addLine(list: HTMLElement, text: string): void {
  // Text from panels is untrusted: it goes in as text, never as HTML.
  list.append(Object.assign(document.createElement('li'), { textContent: text }));
}

const api = defineApi({
  items: {
    get: method({ input: z.tuple([z.string()]), permission: 'items:read' }, (id) => items[id] ?? null),
  },
});
const host = createHost({ project: 'demo', user: { id: 'u1', name: 'Ada' }, api });
host.on('notify', (n) => addLine($('#notifications'), `${n.app}: ${n.message}`));
host.on('panel:state', (panel, state) => {
  if (panel.slot !== 'itemViewer') return;
  status.dataset['state'] = state;
  status.textContent = state;
});

const appBase = new URL('apps/hello/', document.baseURI).href;
const manifestText = await (await fetch(new URL('app.json', appBase))).text();
const check = validateManifest(manifestText);
addLine($('#manifest-report'), check.ok ? `${check.manifest!.displayName} ${check.manifest!.version}: valid, ${check.warnings.length} warnings` : `invalid: ${check.errors.map((e) => `${e.path} ${e.message}`).join('; ')}`);

// The registry keeps what was published and installed (IndexedDB): after a reload, both are there already.
await host.ready;
if (check.manifest && !host.registry.app('hello', check.manifest.version)) await host.registry.publish(JSON.parse(manifestText), { baseUrl: appBase });
// A newer sample app than the one installed is an upgrade.
if (check.manifest && host.registry.installation('hello')?.version !== check.manifest.version) await host.registry.install('hello');
// Every slot element inside <sb-host> works for this host.
$<HTMLElement & { host: unknown }>('#sb').host = host;
const viewer = $<HTMLElement & { context: Record<string, unknown> }>('#item-viewer');
const showItem = () => {
  const item = items[itemSelect.value]!;
  viewer.context = { item };
  $<HTMLElement & { context: Record<string, unknown> }>('sb-toolbar').context = { item };
  $('#item-name').textContent = item.name;
};
showItem();

itemSelect.addEventListener('change', showItem);
$('#theme').addEventListener('click', (event) => {
  host.theme = host.theme === 'light' ? 'dark' : 'light';
  document.body.classList.toggle('dark', host.theme === 'dark');
  (event.currentTarget as HTMLButtonElement).textContent = host.theme === 'light' ? 'Dark theme' : 'Light theme';
});
