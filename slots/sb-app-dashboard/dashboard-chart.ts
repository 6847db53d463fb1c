import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import type uPlotType from 'uplot';

/** What a chart draws: shared x values and one y array per series (`null` where a series has no point). */
export interface ChartData {
  x: number[];
  series: { label: string; y: (number | null)[] }[];
}

const PALETTE = ['#2f5fd0', '#d0502f', '#2fa06a', '#8a4fd0', '#c09020', '#2f9fb0', '#b03f7a', '#6b7280'];
const HEIGHT = 220;

/**
 * @summary A line or bar chart drawn with uPlot, loaded on first use (a
 * dashboard without charts never fetches it). The canvas is described for
 * screen readers by its label and by a legend with each series' latest value.
 */
export class SbDashboardChart extends LitElement {
  static override properties = {
    data: { attribute: false },
    label: {},
    time: { type: Boolean },
    bars: { type: Boolean },
    hideLegend: { type: Boolean, attribute: 'hide-legend' },
    theme: {},
  };
  static override styles = css`
    :host {
      display: block;
      min-width: 0;
    }
    .plot {
      height: ${HEIGHT}px;
      min-width: 0;
    }
    ul {
      list-style: none;
      display: flex;
      flex-wrap: wrap;
      gap: 4px 16px;
      margin: 4px 0 0;
      padding: 0;
      font-size: 0.9em;
    }
    .swatch {
      display: inline-block;
      width: 0.8em;
      height: 0.8em;
      border-radius: 2px;
      margin-right: 4px;
    }
    /* The rules of uPlot's stylesheet the chart relies on: its stylesheet cannot reach into this shadow root. */
    .u-wrap {
      position: relative;
      user-select: none;
    }
    .u-over,
    .u-under,
    .u-axis,
    .u-select,
    .u-cursor-x,
    .u-cursor-y,
    .u-cursor-pt {
      position: absolute;
    }
    .u-under {
      overflow: hidden;
    }
    canvas {
      display: block;
      position: relative;
      width: 100%;
      height: 100%;
    }
    .u-select {
      background: rgba(0, 0, 0, 0.07);
      pointer-events: none;
    }
    .u-cursor-x,
    .u-cursor-y,
    .u-cursor-pt {
      left: 0;
      top: 0;
      pointer-events: none;
      will-change: transform;
    }
    .u-hz .u-cursor-x {
      height: 100%;
      border-right: 1px dashed #607d8b;
    }
    .u-hz .u-cursor-y {
      width: 100%;
      border-bottom: 1px dashed #607d8b;
    }
    .u-cursor-pt {
      border-radius: 50%;
      border: 0 solid;
      background-clip: padding-box !important;
    }
    .u-off {
      display: none;
    }
  `;

  declare data: ChartData;
  declare label: string;
  declare time: boolean;
  declare bars: boolean;
  declare hideLegend: boolean;
  /** The dashboard's theme: a change redraws the axes in the element's text colour. */
  declare theme: string | undefined;
  #plot: uPlotType | undefined;
  #shape = '';
  #width = 0;
  #resize = new ResizeObserver((entries) => {
    const width = Math.floor(entries.at(0)?.contentRect.width ?? 0);
    if (width > 0 && width !== this.#width) {
      this.#width = width;
      this.#plot?.setSize({ width, height: HEIGHT });
      if (!this.#plot) this.requestUpdate();
    }
  });

  constructor() {
    super();
    this.data = { x: [], series: [] };
    this.label = 'Chart';
    this.time = false;
    this.bars = false;
    this.hideLegend = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#resize.observe(this);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#resize.disconnect();
    this.#plot?.destroy();
    this.#plot = undefined;
    this.#shape = '';
  }

  protected override render() {
    const latest = this.data.series.map((s) => lastNumber(s.y));
    return html`<div class="plot" role="img" aria-label=${`${this.label}: ${this.data.x.length} points`}></div>
      ${
        this.hideLegend
          ? nothing
          : html`<ul aria-label=${`${this.label} legend`}>
            ${this.data.series.map(
              (s, i) =>
                html`<li><span class="swatch" style="background:${PALETTE[i % PALETTE.length]}"></span>${s.label}${latest[i] === undefined ? '' : `: ${format(latest[i])}`}</li>`,
            )}
          </ul>`
      }`;
  }

  protected override updated(changed: PropertyValues<this>): void {
    void this.#draw(changed);
  }

  async #draw(changed: PropertyValues<this>): Promise<void> {
    if (this.#width === 0) return;
    const aligned = [this.data.x, ...this.data.series.map((s) => s.y)] as uPlotType.AlignedData;
    const shape = `${this.data.series.map((s) => s.label).join('\u0000')}|${this.time}|${this.bars}`;
    if (this.#plot && shape === this.#shape) {
      if (changed.has('data')) this.#plot.setData(aligned);
      else if (changed.has('theme')) this.#plot.redraw(false);
      return;
    }
    const { default: uPlot } = await import('uplot');
    if (!this.isConnected) return;
    this.#plot?.destroy();
    this.#shape = shape;
    const container = this.renderRoot.querySelector('.plot') as HTMLElement;
    const paths = this.bars ? uPlot.paths.bars!({ size: [0.6, 64] }) : undefined;
    this.#plot = new uPlot(
      {
        width: this.#width,
        height: HEIGHT,
        legend: { show: false },
        scales: { x: { time: this.time } },
        series: [
          {},
          ...this.data.series.map((s, i) => ({
            label: s.label,
            stroke: PALETTE[i % PALETTE.length],
            ...(this.bars ? { fill: `${PALETTE[i % PALETTE.length]}99`, paths } : {}),
            spanGaps: true,
            points: { show: false },
          })),
        ],
        // A canvas has no currentColor: the element's text colour, read at each draw (the theme may change).
        axes: [axis(this), axis(this)],
      },
      aligned,
      container,
    );
  }
}

/** An axis drawn in the element's text colour, its grid and ticks in that colour, faint. */
function axis(element: HTMLElement): uPlotType.Axis {
  const ink = () => getComputedStyle(element).color;
  const faint = () => ink().replace(/^rgb\((.*)\)$/, 'rgba($1, 0.15)');
  return { stroke: ink, grid: { stroke: faint }, ticks: { stroke: faint } };
}

function lastNumber(values: (number | null)[]): number | undefined {
  for (let i = values.length - 1; i >= 0; i--) if (typeof values[i] === 'number') return values[i] as number;
  return undefined;
}

function format(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toPrecision(4);
}

declare global {
  interface HTMLElementTagNameMap {
    'sb-dashboard-chart': SbDashboardChart;
  }
}
