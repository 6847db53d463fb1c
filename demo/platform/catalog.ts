/** Publishes the apps the server offers (each from its own origin) and installs the defaults on first run. */
import type { Host } from '../../src/index.js';
import { validateManifest } from '../../src/manifest/index.js';
import { DATALOOP_PERMISSIONS, type PlatformConfig } from '../../src/cli/serve/platform-config.js';

/** Sample apps installed on first run, per project; the others wait in the marketplace. */
const DEFAULT_INSTALLS: Record<string, string[]> = {
  vision: [
    'metadata-viewer',
    'image-viewer',
    'dataset-insights',
    'object-counter',
    'shape-masks',
    'simple-app',
    'shape-notes',
    'shape-stats',
  ],
  sandbox: ['metadata-viewer'],
};
const FIRST_RUN_KEY = 'slotbridge-demo:defaults-installed';

/** Publishes every app whose version is new; returns the problems to show (an invalid manifest, a fetch that failed). */
export async function publishApps(host: Host, config: PlatformConfig): Promise<{ names: Map<string, string>; problems: string[] }> {
  const names = new Map<string, string>();
  const problems: string[] = [];
  for (const app of config.apps) {
    try {
      const response = await fetch(app.manifest);
      if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
      const text = await response.text();
      const check = validateManifest(text);
      if (!check.ok || !check.manifest) {
        problems.push(`${app.folder}/${app.manifest}: ${check.errors.map((e) => `${e.path || '(root)'}: ${e.message}`).join('; ')}`);
        continue;
      }
      names.set(app.folder, check.manifest.name);
      // A dataloop.json names neither its protocol nor permissions: as its publisher, the platform does.
      const dataloop = app.bridge === 'dataloop' ? { bridge: 'dataloop', permissions: [...DATALOOP_PERMISSIONS] } : {};
      if (!host.registry.app(check.manifest.name, check.manifest.version))
        await host.registry.publish(JSON.parse(text), { baseUrl: app.baseUrl, ...dataloop });
    } catch (err) {
      problems.push(`${app.folder}: ${(err as Error).message}`);
    }
  }
  return { names, problems };
}

/** First run of the demo: the usual apps installed in the sample projects, every permission granted. */
export async function installDefaults(host: Host): Promise<void> {
  if (localStorage.getItem(FIRST_RUN_KEY)) return;
  for (const [project, apps] of Object.entries(DEFAULT_INSTALLS)) {
    for (const name of apps)
      if (host.registry.app(name) && !host.registry.installation(name, project)) await host.registry.install(name, { project });
  }
  localStorage.setItem(FIRST_RUN_KEY, new Date().toISOString());
}

/** A newer published version than the installed one is an upgrade (the sample apps change with slotbridge). */
export async function upgradeInstalled(host: Host, project: string): Promise<void> {
  for (const installation of host.registry.installed({ project })) {
    const latest = host.registry.app(installation.app);
    if (latest && latest.version !== installation.version)
      await host.registry.install(installation.app, { project, version: latest.version });
  }
}
