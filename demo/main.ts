// The demo page: validates a sample app's manifest and mounts its panel in a sandboxed iframe.
import { validateManifest, resolveUrl, SANDBOX_ALLOWLIST } from '../dist/manifest.js';

const appBase = new URL('apps/hello/', document.baseURI).href;
const status = document.querySelector<HTMLElement>('#status')!;
const report = document.querySelector<HTMLUListElement>('#manifest-report')!;
const slot = document.querySelector<HTMLElement>('#item-viewer')!;

function setStatus(state: 'loading' | 'ready' | 'error', text: string): void {
  status.dataset['state'] = state;
  status.textContent = text;
}

function addLine(text: string): void {
  const li = document.createElement('li');
  li.textContent = text;
  report.append(li);
}

async function main(): Promise<void> {
  const response = await fetch(new URL('app.json', appBase));
  const result = validateManifest(await response.text());
  if (!result.ok || !result.manifest) {
    for (const e of result.errors) addLine(`error ${e.path}: ${e.message}`);
    setStatus('error', 'the manifest is not valid');
    return;
  }
  const manifest = result.manifest;
  addLine(`${manifest.displayName} ${manifest.version}: valid, ${result.warnings.length} warnings`);
  const panel = manifest.components.panels.find((p) => p.supportedSlots.some((s) => s.type === slot.dataset['slot']));
  if (!panel) {
    setStatus('error', 'no panel of this app targets the item viewer');
    return;
  }
  const frame = document.createElement('iframe');
  // allow-scripts only, plus the manifest's allowlisted extras: the panel gets an opaque origin.
  const extras = (panel.sandbox ?? []).filter((t: string) => (SANDBOX_ALLOWLIST as readonly string[]).includes(t));
  frame.setAttribute('sandbox', ['allow-scripts', ...extras].join(' '));
  frame.title = `${manifest.displayName}: ${panel.displayName}`;
  frame.style.height = `${panel.supportedSlots[0]?.configuration?.layout?.height ?? 300}px`;
  frame.src = resolveUrl(panel.url, appBase);
  window.addEventListener('message', (event) => {
    // An opaque-origin frame is known by its window, not its origin.
    if (event.source !== frame.contentWindow) return;
    const data = event.data as { type?: string; origin?: string; parentAccess?: string };
    if (data?.type !== 'hello-panel:ready') return;
    setStatus('ready', `ready (origin ${String(data.origin)}, host page ${String(data.parentAccess)})`);
  });
  slot.append(frame);
}

main().catch((err: unknown) => setStatus('error', err instanceof Error ? err.message : String(err)));
