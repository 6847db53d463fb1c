/** The demo's pages, as lit templates: the platform's own UI around the slot elements. */
import { readable } from './readable.js';
import { html, nothing, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { Host, Manifest } from '../../src/index.js';
import type { DataStore, Dataset, Item } from './data-store.js';
import { href, type Route } from './routes.js';
import type { ItemOverlays } from './item-overlays.js';
import { iconUrl } from '../../slots/shared/icon-url.js';
import { routePathOf } from '../../slots/sb-route/route-path.js';

export interface PageDeps {
  host: Host;
  data: DataStore;
  /** A slot's context for `key` (`<slot>:<what it shows>`): the same object while the key holds, so panels are not sent it twice. */
  context: (key: string, make: () => Record<string, unknown>) => Record<string, unknown>;
  /** What apps made for an item, to draw over its image. */
  overlays: ItemOverlays;
  /** dev: the app under development, whose side panel opens first (the platform's own details stay a tab beside it). */
  developing: string | undefined;
  /** Where Python modules run: in the page, or on the demo's runner (when it started one); switching reloads the page. */
  python: { on: 'page' | 'runner'; runner: string | undefined; switchTo(where: 'page' | 'runner'): void };
}

export function page(route: Route, deps: PageDeps): TemplateResult {
  switch (route.page) {
    case 'item':
      return itemPage(route.item, deps);
    case 'marketplace':
      return marketplacePage();
    case 'apps':
      return route.app ? appPage(route.app, deps) : appsPage(deps);
    default:
      return datasetsPage(route.dataset, deps);
  }
}

export function titleOf(route: Route, deps: PageDeps): string {
  switch (route.page) {
    case 'item':
      return deps.data.item(route.item)?.name ?? 'Item';
    case 'marketplace':
      return 'Marketplace';
    case 'apps':
      return route.app ? (deps.host.registry.installedApp(route.app)?.manifest.displayName ?? route.app) : 'Apps';
    default:
      return 'Datasets';
  }
}

function datasetsPage(id: string | undefined, { host, data, context }: PageDeps): TemplateResult {
  const datasets = data.datasets(host.project);
  const dataset = datasets.find((d) => d.id === id) ?? datasets.at(0);
  if (!dataset) {
    return html`<h1>Datasets</h1>
      <p class="lede">
        Project "${data.project(host.project)?.name}" has no datasets yet. Switch to "Vision demo" to see the sample images.
      </p>`;
  }
  const items = data.items(dataset.id);
  return html`<div class="datasets">
    <nav class="dataset-list" aria-label="Datasets">
      ${datasets.map(
        (d) =>
          html`<a href=${href({ page: 'datasets', dataset: d.id })} aria-current=${d.id === dataset.id ? 'page' : 'false'}
            >${d.name}<small>${data.items(d.id).length} items</small></a
          >`,
      )}
    </nav>
    <section aria-labelledby="dataset-title">
      <h1 id="dataset-title">${dataset.name}</h1>
      <p class="lede">${dataset.description}</p>
      <sb-toolbar
        location="datasetMenu"
        .context=${context(`dataset:${dataset.id}`, () => ({ dataset: datasetRef(dataset, items.length) }))}
      ></sb-toolbar>
      <sb-data-browser
        .context=${context(`browse:${dataset.id}`, () => ({ dataset: datasetRef(dataset, items.length), items: items.map(itemRef) }))}
      >
        <div class="grid">
          ${items.map(
            (item) =>
              html`<a class="thumb" href=${href({ page: 'item', item: item.id })} data-item=${item.id}
                ><img
                  src=${item.url}
                  alt=${`${item.name}: ${String(item.metadata['objects'])} shapes`}
                  loading="lazy"
                  width="160"
                  height="120"
                /><span>${item.name}</span></a
              >`,
          )}
        </div>
      </sb-data-browser>
    </section>
  </div>`;
}

function itemPage(id: string, { host, data, context, overlays, developing }: PageDeps): TemplateResult {
  const item = data.item(id);
  if (!item || item.project !== host.project) {
    return html`<h1>Item not found</h1>
      <p class="lede">There is no item "${id}" in this project. <a href=${href({ page: 'datasets' })}>Back to the datasets</a>.</p>`;
  }
  const dataset = data.dataset(item.dataset)!;
  const siblings = data.items(dataset.id);
  const at = siblings.findIndex((i) => i.id === item.id);
  const previous = at > 0 ? siblings[at - 1] : undefined;
  const next = siblings.at(at + 1);
  const annotations = data.annotations(item.id);
  const drawn = overlays.of(item.id);
  const appName = (app: string) => host.registry.installedApp(app)?.manifest.displayName ?? app;
  const slotContext = context(`item:${item.id}:${JSON.stringify(item.metadata)}`, () => ({
    item: itemRef(item),
    dataset: datasetRef(dataset, siblings.length),
  }));
  return html`<nav class="breadcrumb" aria-label="Breadcrumb">
      <a href=${href({ page: 'datasets', dataset: dataset.id })}>${dataset.name}</a><span aria-hidden="true">/</span
      ><span>${item.name}</span>
      <span class="spacer"></span>
      ${previous ? html`<a href=${href({ page: 'item', item: previous.id })} rel="prev">← Previous</a>` : nothing}
      ${next ? html`<a href=${href({ page: 'item', item: next.id })} rel="next">Next →</a>` : nothing}
    </nav>
    <h1>${item.name}</h1>
    <sb-toolbar location="itemMenu" max-visible="8" .context=${slotContext}></sb-toolbar>
    <div class="item">
      <sb-item-viewer .context=${slotContext}>
        <figure>
          <div class="stage">
            <img
              src=${item.url}
              alt=${`${item.name}: ${String(item.metadata['objects'])} shapes`}
              width=${item.width}
              height=${item.height}
            />
            ${drawn.map((o) => html`<img class="overlay" src=${o.url} alt="" data-artifact=${o.artifact} />`)}
          </div>
          ${drawn.length ? html`<figcaption>Drawn over the image: ${drawn.map((o) => `${o.type} from ${appName(o.app)}`).join(', ')}.</figcaption>` : nothing}
        </figure>
      </sb-item-viewer>
      <sb-side-panel .context=${slotContext} selected=${ifDefined(sidePanelOf(host, developing))}>
        <h2>Details</h2>
        <dl class="facts">
          <dt>Dataset</dt>
          <dd>${dataset.name}</dd>
          <dt>Size</dt>
          <dd>${item.width} × ${item.height}</dd>
          ${Object.entries(item.metadata).map(
            ([key, value]) =>
              html`<dt>${key}</dt>
                <dd>${readable(value)}</dd>`,
          )}
          <dt>Annotations</dt>
          <dd>${annotations.length}</dd>
        </dl>
      </sb-side-panel>
    </div>`;
}

/** The app's first side panel, as the side panel names its tab (`app/panel`). */
function sidePanelOf(host: Host, app: string | undefined): string | undefined {
  if (app === undefined) return undefined;
  const panel = host.registry
    .installedApp(app)
    ?.manifest.components.panels.find((p) => p.supportedSlots.some((s) => s.type === 'itemSidePanel'));
  return panel && `${app}/${panel.name}`;
}

function marketplacePage(): TemplateResult {
  return html`<h1>Marketplace</h1>
    <p class="lede">Apps for this project. Installing one asks you to grant what it needs; each app runs in its own sandbox.</p>
    <sb-marketplace></sb-marketplace>`;
}

function appsPage({ host }: PageDeps): TemplateResult {
  const installed = host.registry.installed();
  return html`<h1>Apps</h1>
    <p class="lede">Installed in this project. <a href=${href({ page: 'marketplace' })}>Find more in the marketplace.</a></p>
    ${
      installed.length === 0
        ? html`<p>No app is installed here yet.</p>`
        : html`<div class="apps">
            ${installed.map((installation) => {
              const record = host.registry.installedApp(installation.app)!;
              const icon = iconUrl(host, record, record.manifest.icon);
              return html`<a class="card app-card" href=${href({ page: 'apps', app: installation.app })} data-app=${installation.app}>
                ${icon ? html`<img src=${icon} alt="" />` : html`<span class="no-icon" aria-hidden="true">${record.manifest.displayName.slice(0, 1).toUpperCase()}</span>`}
                <strong>${record.manifest.displayName}</strong>
                <small>${record.manifest.description ?? ''} · ${installation.version}</small>
              </a>`;
            })}
          </div>`
    }`;
}

function appPage(name: string, { host, data, context, python }: PageDeps): TemplateResult {
  const installation = host.registry.installation(name);
  const record = host.registry.installedApp(name);
  if (!installation || !record) {
    return html`<h1>${name}</h1>
      <p class="lede">This app is not installed in this project. <a href=${href({ page: 'marketplace' })}>Open the marketplace</a>.</p>`;
  }
  const { manifest } = record;
  const hasWizard = (manifest.wizard?.entries.length ?? 0) > 0;
  const hasDashboard = manifest.dashboard !== undefined;
  // Dataloop's full-page routes show here; a pipeline node's settings (no pipeline editor here) open as a dialog.
  const routes = manifest.components.panels.map(routePathOf).filter((path) => path !== undefined);
  const nodeSettings = manifest.components.panels.filter((p) => p.supportedSlots.some((s) => s.type === 'pipelineNodeConfig'));
  const own = routes.length > 0 || nodeSettings.length > 0;
  return html`<h1>${manifest.displayName}</h1>
    <p class="lede">${manifest.description ?? ''} Version ${installation.version}${manifest.provider ? ` by ${manifest.provider}` : ''}.</p>
    <p>
      ${installation.grant.length ? installation.grant.map((p) => html`<span class="pill">${p}</span>`) : html`<span class="pill">no permissions</span>`}
    </p>
    ${pythonSwitch(manifest, python)}
    <sb-toolbar
      location="appPage"
      app=${name}
      .context=${context(`app:${name}:${host.project}`, () => ({ project: host.project }))}
    ></sb-toolbar>
    ${
      hasWizard || hasDashboard
        ? html`<div class=${hasWizard && hasDashboard ? 'app-page' : 'app-page single'}>
            ${
              hasWizard
                ? html`<section class="card" aria-labelledby="settings-title">
                    <h2 id="settings-title">Settings</h2>
                    <sb-app-settings
                      app=${name}
                      @sb-settings-unsaved=${(e: CustomEvent<{ unsaved: boolean }>) => {
                        // Run uses the saved settings: held off while the form has edits not saved.
                        const toolbar = document.querySelector<HTMLElement & { disabled: boolean }>('sb-toolbar[location="appPage"]');
                        if (toolbar) toolbar.disabled = e.detail.unsaved;
                      }}
                    ></sb-app-settings>
                  </section>`
                : nothing
            }
            ${
              hasDashboard
                ? html`<section class="card" aria-labelledby="dashboard-title">
                    <h2 id="dashboard-title">Dashboard</h2>
                    <sb-app-dashboard app=${name} .describeItem=${itemDescriber(data)}></sb-app-dashboard>
                  </section>`
                : nothing
            }
          </div>`
        : own
          ? nothing
          : html`<p>This app adds panels and buttons to the platform's pages; it has no settings or dashboard.</p>`
    }
    ${nodeSettings.map(
      (panel) =>
        html`<p>
          <button type="button" @click=${() => host.openPanel(name, panel.name, { slot: 'dialog', context: { project: host.project } })}>
            Pipeline node settings: ${panel.displayName}
          </button>
        </p>`,
    )}
    ${routes.map((path) => html`<sb-route class="route" path=${path}></sb-route>`)}`;
}

/** For an app with Python modules, when the demo started a runner: where they run, in this page or on the runner. */
function pythonSwitch(manifest: Manifest, python: PageDeps['python']): TemplateResult | typeof nothing {
  const hasPython = manifest.components.modules.some((m) => typeof m.entryPoint === 'string' && m.entryPoint.endsWith('.py'));
  if (!hasPython || python.runner === undefined) return nothing;
  const option = (where: 'page' | 'runner', label: string) =>
    html`<label
      ><input type="radio" name="python-on" value=${where} .checked=${python.on === where} @change=${() => python.switchTo(where)} />
      ${label}</label
    >`;
  return html`<fieldset class="python-on">
    <legend>Its Python runs</legend>
    ${option('page', 'in this page (Pyodide)')} ${option('runner', `on the runner ${python.runner}, through the registry's queue`)}
  </fieldset>`;
}

/** What panels get of an item: plain data, nothing of the platform's internals. */
function itemRef(item: Item) {
  return {
    id: item.id,
    name: item.name,
    url: item.url,
    width: item.width,
    height: item.height,
    dataset: item.dataset,
    metadata: item.metadata,
  };
}

function datasetRef(dataset: Dataset, items: number) {
  return { id: dataset.id, name: dataset.name, items };
}

const describers = new WeakMap<DataStore, (id: string) => { label: string; href: string } | undefined>();

/** How the dashboards' artifact tables name an item: its name, linking to its page. One function per store, so a page drawn again hands the dashboard the same one. */
function itemDescriber(data: DataStore): (id: string) => { label: string; href: string } | undefined {
  let describe = describers.get(data);
  if (!describe) {
    describe = (id) => {
      const item = data.item(id);
      return item && { label: item.name, href: href({ page: 'item', item: id }) };
    };
    describers.set(data, describe);
  }
  return describe;
}
