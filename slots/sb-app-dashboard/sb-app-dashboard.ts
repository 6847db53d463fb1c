import { LitElement, html, nothing, type TemplateResult } from 'lit';
import { styleMap } from 'lit/directives/style-map.js';
import {
  fillTemplate,
  normalizeSettings,
  textOf,
  type AppRecord,
  type Report,
  type ReportKind,
  type DashboardDefinition as Dashboard,
  type Host,
  type ReportSeries,
  type AppSettings,
} from '../../src/for-slots.js';
import { HostController } from '../shared/host-controller.js';
import { themeStyles } from '../shared/theme.js';
import { appDashboardStyles } from './sb-app-dashboard.styles.js';
import { artifactViewerStyles } from '../shared/artifact-viewer.js';
import type { ChartData } from './dashboard-chart.js';
import { chartOfFigure } from './plot-figure.js';
import { alignColumns } from './align-columns.js';
import { lineStyle, show, str, table } from './dashboard-format.js';
import { ArtifactList } from './artifact-list.js';
import { INLINE_IMAGE } from './dashboard-html.js';

type Content = Dashboard['lines'][number]['contents'][number];
type Series = Omit<ReportSeries, 'points'> & { points: Report[] };

/** Line styles a manifest may set, and the values they take. */
/**
 * @tag sb-app-dashboard
 * @summary An app's dashboard, from its manifest's `dashboard.lines`: html
 * boxes filled from the saved settings (sanitized), live charts of what guests
 * report (uPlot, loaded only when a chart shows), histograms, plots, debug
 * images, a streaming log, tables of the saved settings, and the app's
 * artifacts with a download for each. `no_info_html`
 * shows while nothing was reported.
 * @csspart line - Each line of boxes.
 * @csspart box - Each box.
 */
export class SbAppDashboard extends LitElement {
  static override styles = [themeStyles, appDashboardStyles, artifactViewerStyles];
  static override properties = {
    host: { attribute: false },
    app: { reflect: true },
    theme: { reflect: true },
    describeItem: { attribute: false },
  };

  /** The host; else the nearest `<sb-host>`'s. */
  declare host: Host | undefined;
  /** The app whose dashboard this is. */
  declare app: string | undefined;
  /** `light` or `dark`; unset, the host's theme (`host.theme`). */
  declare theme: 'light' | 'dark' | undefined;
  /** How the artifacts table names the item an artifact was made for: a label and, optionally, a link to it. Unset, the item's id. */
  declare describeItem: ((item: string) => { label: string; href?: string } | undefined) | undefined;
  readonly #artifacts = new ArtifactList(this);
  readonly #hosts = new HostController(this, {
    report: (report) => this.#onReport(report),
    'artifact:stored': (record) => this.#artifacts.changed(record),
    'artifact:deleted': (record) => this.#artifacts.changed(record),
  });
  /** Bumped when reports arrive (at most once a frame): the charts' data is made again after it changes. */
  #reportsVersion = 0;
  #series = new Map<string, Series>();
  #logLines: string[] = [];
  #logDropped = 0;
  #loadedKey = '';
  #loading = 0;
  #frame = 0;
  readonly #charts = new Map<string, { version: number; data: ChartData }>();

  constructor() {
    super();
    this.app = undefined;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    cancelAnimationFrame(this.#frame);
    this.#frame = 0;
    this.#loadedKey = '';
  }

  protected override willUpdate(): void {
    const host = this.#hosts.host;
    const lines = (this.app ? host?.registry.installedApp(this.app)?.manifest.dashboard?.lines : undefined) ?? [];
    if (host && this.app && lines.some((line) => line.contents.some((c) => c.type === 'artifacts'))) this.#artifacts.follow(host, this.app);
    const key = `${this.app}\u0000${host?.project}`;
    if (key === this.#loadedKey) return;
    this.#loadedKey = key;
    this.#series = new Map();
    this.#logLines = [];
    this.#logDropped = 0;
    this.#charts.clear();
    const app = this.app;
    if (!host || !app) return;
    const loading = ++this.#loading;
    void host.registry.reportSeries(app).then((series) => {
      if (loading !== this.#loading) return;
      for (const s of series) for (const point of s.points) this.#add(point, s.dropped);
      this.#changed();
    });
  }

  protected override render() {
    const host = this.#hosts.host;
    if (!host)
      return html`<p class="empty">No host: set the element's <code>host</code>, or put it inside an <code>&lt;sb-host&gt;</code>.</p>`;
    const record = this.app ? host.registry.installedApp(this.app) : undefined;
    if (!record)
      return html`<p class="empty">${this.app ? `${this.app} is not installed in this project.` : 'Set the app attribute to the app whose dashboard to show.'}</p>`;
    const { manifest } = record;
    const lines = manifest.dashboard?.lines ?? [];
    const settings = normalizeSettings(host.registry.installation(record.name)?.settings);
    const noInfo = this.#series.size === 0 && manifest.no_info_html ? this.#noInfo(host, record, manifest.no_info_html) : nothing;
    if (lines.length === 0 && noInfo === nothing) return html`<p class="empty">${manifest.displayName} has no dashboard.</p>`;
    return html`${noInfo}
      ${lines.map(
        (line, l) => html`<div class="line" part="line" style=${styleMap(lineStyle(line.style))}>
          ${line.contents.map((content, c) => this.#box(content, `${l}.${c}`, settings))}
        </div>`,
      )}`;
  }

  #noInfo(host: Host, record: AppRecord, value: string): TemplateResult {
    // `${ASSET:page.html}` is a page of the app's: shown in a frame that runs nothing. Anything else is inline html.
    const asset = /^\s*\$\{ASSET:([^}]+)\}\s*$/.exec(value)?.[1];
    if (asset) {
      const url = host.registry.assetUrl(record, asset);
      return url ? html`<iframe class="no-info" title="No results yet" sandbox="" src=${url}></iframe>` : html``;
    }
    return html`<sb-dashboard-html class="no-info" .html=${value}></sb-dashboard-html>`;
  }

  #box(content: Content, key: string, settings: AppSettings): TemplateResult {
    const title = content.title ?? content.metric ?? content.type;
    return html`<section class="box" part="box" data-type=${content.type} aria-label=${title}>
      <h3>${title}</h3>
      ${this.#content(content, key, settings, title)}
    </section>`;
  }

  #content(content: Content, key: string, settings: AppSettings, title: string): TemplateResult | typeof nothing {
    switch (content.type) {
      case 'html':
        return html`<sb-dashboard-html .html=${fillTemplate(content.text ?? '', settings)}></sb-dashboard-html>`;
      case 'scalar':
        return this.#scalarChart(content, key, title);
      case 'scalar-histogram':
        return this.#histogram(content);
      case 'plot':
        return this.#plot(content, title);
      case 'debug-images':
        return this.#images(content);
      case 'log':
        return html`<sb-dashboard-log .lines=${this.#logLines} .label=${title}></sb-dashboard-log>
          ${this.#logDropped > 0 ? html`<p class="note">The oldest ${this.#logDropped} lines were dropped; the log keeps the newest ${this.#logLines.length}.</p>` : nothing}`;
      case 'hyperparameter':
        return table(
          ['Section', 'Name', 'Value'],
          Object.entries(settings.hyperparams).flatMap(([section, values]) =>
            Object.entries(values).map(([name, value]) => [section, name, show(value)]),
          ),
        );
      case 'configuration':
        return table(
          ['Name', 'Value'],
          Object.entries(settings.configuration).map(([name, value]) => [name, show(value)]),
        );
      case 'artifacts':
        return this.#artifacts.render(this.describeItem);
      default:
        return nothing;
    }
  }

  #scalarChart(content: Content, key: string, title: string): TemplateResult {
    const matching = this.#matching('scalar', content);
    if (matching.length === 0) return html`<p class="empty">Nothing reported yet.</p>`;
    let cached = this.#charts.get(key);
    if (!cached || cached.version !== this.#reportsVersion) {
      cached = { version: this.#reportsVersion, data: scalarData(matching, content.key ?? 'iter') };
      this.#charts.set(key, cached);
    }
    const dropped = matching.reduce((sum, s) => sum + s.dropped, 0);
    return html`<sb-dashboard-chart .data=${cached.data} .label=${title} .theme=${this.#theme()} ?time=${content.key === 'iso_time'} ?hide-legend=${content.hide_legend === true}></sb-dashboard-chart>
      ${dropped > 0 ? html`<p class="note">Older points were dropped (${dropped} in all): each series keeps its newest ${Math.max(...matching.map((s) => s.points.length))}.</p>` : nothing}`;
  }

  #histogram(content: Content): TemplateResult {
    const latest = this.#matching('scalar', content).map((s) => ({
      label: s.variant ?? s.metric ?? '',
      value: Number(s.points.at(-1)?.['value']),
    }));
    if (latest.length === 0) return html`<p class="empty">Nothing reported yet.</p>`;
    const max = Math.max(...latest.map((l) => Math.abs(l.value)), Number.MIN_VALUE);
    return html`<ul class="bars">
      ${latest.map(
        (l) => html`<li>
          <span class="bar-label">${l.label}</span>
          <span class="bar" style="width:${(Math.abs(l.value) / max) * 100}%"></span>
          <span class="bar-value">${show(l.value)}</span>
        </li>`,
      )}
    </ul>`;
  }

  #plot(content: Content, title: string): TemplateResult {
    const latest = this.#matching('plot', content).at(-1)?.points.at(-1);
    if (!latest) return html`<p class="empty">Nothing reported yet.</p>`;
    const chart = chartOfFigure(latest['figure']);
    if (!chart)
      return html`<p class="note">This plot cannot be drawn: slotbridge draws figures of line, scatter and bar traces ({ data: [{ x, y, name, type }] }).</p>`;
    return html`<sb-dashboard-chart .data=${chart.data} .label=${chart.title ?? title} .theme=${this.#theme()} ?bars=${chart.bars} ?hide-legend=${content.hide_legend === true}></sb-dashboard-chart>`;
  }

  #images(content: Content): TemplateResult {
    const latest = this.#matching('image', content).flatMap((s) => s.points.slice(-1));
    if (latest.length === 0) return html`<p class="empty">Nothing reported yet.</p>`;
    return html`<ul class="images">
      ${latest.map((point) => {
        const caption = `${textOf(point['metric'])} · ${textOf(point['variant'])} · iteration ${textOf(point['iteration'])}`;
        const url = String(point['url']);
        // Only an image inside the report is drawn: a remote URL would make the platform fetch it, with its cookies.
        if (!INLINE_IMAGE.test(url)) {
          const link = isWebUrl(url)
            ? html`<a href=${url} target="_blank" rel="noopener noreferrer">Open the image</a>`
            : 'An image that cannot be shown here';
          return html`<li><figure><p class="note">${link} (not loaded on this page)</p><figcaption>${caption}</figcaption></figure></li>`;
        }
        return html`<li><figure><img src=${url} alt=${caption} loading="lazy" /><figcaption>${caption}</figcaption></figure></li>`;
      })}
    </ul>`;
  }

  /** The series of a kind a box shows: its metric (all when none) and its variants (all when none). */
  #matching(kind: string, content: Content): Series[] {
    const variants = content.variant === undefined ? undefined : ([] as string[]).concat(content.variant);
    return [...this.#series.values()].filter(
      (s) =>
        s.kind === kind &&
        (content.metric === undefined || s.metric === content.metric) &&
        (!variants || (s.variant !== undefined && variants.includes(s.variant))),
    );
  }

  /** The theme the charts draw in: the element's own, else its host's. */
  #theme(): string | undefined {
    return this.theme ?? this.#hosts.host?.theme;
  }

  #onReport(report: Report): void {
    if (report.app !== this.app || report.project !== this.#hosts.host?.project) return;
    this.#add(report, report.n - 1);
    this.#changed();
  }

  /** Adds a point to its series (a point already there is skipped: a load and an event may bring the same one). */
  #add(point: Report, droppedBefore: number): void {
    let series = this.#series.get(point.series);
    if (!series) {
      series = {
        series: point.series,
        kind: point.kind,
        metric: str(point['metric']),
        variant: str(point['variant']),
        points: [],
        dropped: droppedBefore,
      };
      this.#series.set(point.series, series);
    }
    const last = series.points.at(-1);
    if (last && last.n >= point.n) return;
    series.points.push(point);
    const limit = this.#hosts.host?.registry.reportLimits[point.kind as ReportKind] ?? Infinity;
    if (series.points.length > limit * 1.1) {
      // Trimmed in steps, not per point: the copy is paid once per tenth of the limit.
      series.points.splice(0, series.points.length - limit);
    }
    series.dropped = (series.points[0]?.n ?? 1) - 1;
    if (point.kind === 'log') this.#addLog(textOf(point['text'] ?? ''), limit);
  }

  #addLog(text: string, limit: number): void {
    for (const line of text.split('\n')) this.#logLines.push(line);
    if (this.#logLines.length > limit * 1.1) {
      const excess = this.#logLines.length - limit;
      this.#logLines.splice(0, excess);
      this.#logDropped += excess;
    }
  }

  /** Re-renders once per frame however many reports came in it. */
  #changed(): void {
    if (this.#frame) return;
    this.#frame = requestAnimationFrame(() => {
      this.#frame = 0;
      this.#reportsVersion++;
      this.requestUpdate();
    });
  }
}

/** Scalar series as one chart: x by `key`, series aligned on shared x values. */
export function scalarData(series: readonly Series[], key: string): ChartData {
  const t0 = Math.min(...series.map((s) => s.points[0]?.time ?? Infinity));
  const xOf = (p: Report): number => (key === 'iter' ? Number(p['iteration']) : key === 'timestamp' ? (p.time - t0) / 1000 : p.time / 1000);
  const columns = series.map((s) => ({
    label: s.variant ?? s.metric ?? '',
    xs: s.points.map(xOf),
    ys: s.points.map((p) => Number(p['value'])),
  }));
  return alignColumns(columns);
}

declare global {
  interface HTMLElementTagNameMap {
    'sb-app-dashboard': SbAppDashboard;
  }
}

function isWebUrl(url: string): boolean {
  return /^https?:\/\//i.test(url.trim());
}
