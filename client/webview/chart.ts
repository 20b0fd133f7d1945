/**
 * One line chart card on top of uPlot. The chart is rebuilt when its series,
 * scale or theme change (uPlot fixes those at creation) and otherwise only
 * given new data, which uPlot redraws cheaply.
 */
import uPlot from "uplot";
import { h } from "./dom";
import type { Palette } from "./theme";
import type { Values } from "./series";

export interface SeriesSpec {
  label: string;
  /** drawn faintly under its smoothing, and left out of the legend */
  raw?: boolean;
  stroke: string;
  width?: number;
  dash?: number[];
}

export interface ChartSpec {
  series: SeriesSpec[];
  log: boolean;
  /** fixed y range, e.g. [0, 1] for accuracy */
  range?: [number, number];
}

export interface ChartData {
  x: number[];
  series: Values[];
}

const chartHeight = 220;

export class LineChart {
  readonly card: HTMLElement;
  private readonly host: HTMLElement;
  private readonly note: HTMLElement;
  private plot: uPlot | undefined;
  private key = "";
  private readonly resize: ResizeObserver;
  private readonly title: HTMLElement;

  /** `width`: a fixed width in CSS pixels, for a chart drawn off screen; otherwise it follows its card. */
  constructor(readonly name: string, title: string, actions: HTMLElement[], private readonly width?: number) {
    this.title = h("h2", { text: title });
    this.host = h("div", { className: "chart" });
    this.note = h("p", { className: "chart-note" });
    this.card = h(
      "section",
      { className: `card chart-card chart-${name}` },
      h("header", { className: "card-header" }, this.title, h("div", { className: "card-actions" }, ...actions)),
      this.host,
      this.note,
    );
    this.resize = new ResizeObserver(() => this.fit());
    this.resize.observe(this.host);
  }

  setTitle(text: string): void {
    this.title.textContent = text;
  }

  /** Draws `data`; `generation` changes with the theme so colours are re-read. */
  draw(spec: ChartSpec, data: ChartData, palette: Palette, generation: number): void {
    const key = JSON.stringify([spec, generation]);
    if (key !== this.key || !this.plot) {
      this.plot?.destroy();
      this.plot = new uPlot(this.options(spec, palette), [data.x, ...data.series], this.host);
      this.key = key;
    } else {
      this.plot.setData([data.x, ...data.series]);
    }
    this.host.dataset.points = String(data.x.length);
    this.host.dataset.series = String(data.series.length);
    this.host.dataset.log = String(spec.log);
  }

  /** A line of text under the chart; empty hides it. */
  setNote(text: string, warning = false): void {
    this.note.textContent = text;
    this.note.hidden = text === "";
    this.note.classList.toggle("warning", warning);
  }

  setVisible(visible: boolean): void {
    this.card.hidden = !visible;
    if (visible) this.fit();
  }

  /** The chart as a PNG with its title and a legend, on the theme's background. */
  toPng(title: string, palette: Palette): string | undefined {
    return this.toCanvas(title, palette)?.toDataURL("image/png");
  }

  /** The chart with its title above and its legend below, on the theme's background. */
  toCanvas(title: string, palette: Palette): HTMLCanvasElement | undefined {
    const plot = this.plot;
    if (!plot) return undefined;
    const source = plot.ctx.canvas;
    const ratio = source.width / Math.max(1, plot.width);
    const header = Math.round(28 * ratio);
    const canvas = document.createElement("canvas");
    canvas.width = source.width;
    canvas.height = source.height + header * 2;
    const ctx = canvas.getContext("2d");
    if (!ctx) return undefined;
    ctx.fillStyle = palette.background;
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.fillStyle = palette.foreground;
    ctx.font = `${Math.round(14 * ratio)}px sans-serif`;
    ctx.textBaseline = "middle";
    ctx.fillText(title, 8 * ratio, header / 2);
    ctx.drawImage(source, 0, header);
    this.drawLegend(ctx, plot, source.height + header, header, ratio);
    return canvas;
  }

  destroy(): void {
    this.resize.disconnect();
    this.plot?.destroy();
    this.plot = undefined;
  }

  /** The drawing surface, for tests and exports. */
  get canvas(): HTMLCanvasElement | undefined {
    return this.plot?.ctx.canvas;
  }

  private drawLegend(ctx: CanvasRenderingContext2D, plot: uPlot, top: number, height: number, ratio: number): void {
    let left = 8 * ratio;
    ctx.font = `${Math.round(12 * ratio)}px sans-serif`;
    for (const series of plot.series.slice(1).filter((s) => s.class !== "raw")) {
      const stroke = typeof series.stroke === "string" ? series.stroke : "gray";
      ctx.fillStyle = stroke;
      ctx.fillRect(left, top + height / 2 - ratio, 14 * ratio, 3 * ratio);
      left += 18 * ratio;
      ctx.fillText(String(series.label ?? ""), left, top + height / 2);
      left += ctx.measureText(String(series.label ?? "")).width + 14 * ratio;
    }
  }

  private fit(): void {
    if (this.width !== undefined) return;
    const width = Math.floor(this.host.clientWidth);
    if (this.plot && width > 0 && width !== this.plot.width) this.plot.setSize({ width, height: chartHeight });
  }

  private options(spec: ChartSpec, palette: Palette): uPlot.Options {
    const family = getComputedStyle(document.body).getPropertyValue("--vscode-font-family").trim() || "sans-serif";
    const font = `11px ${family}`;
    const axis: uPlot.Axis = {
      stroke: palette.foreground,
      font,
      labelFont: font,
      grid: { stroke: palette.grid, width: 1 },
      ticks: { stroke: palette.grid, width: 1 },
    };
    const range = spec.range;
    return {
      width: this.width ?? Math.max(200, Math.floor(this.host.clientWidth) || 400),
      height: chartHeight,
      pxAlign: false,
      cursor: { drag: { x: true, y: false } },
      legend: { live: true },
      scales: {
        x: { time: false },
        y: spec.log ? { distr: 3, log: 10 } : range ? { range: () => range } : {},
      },
      axes: [{ ...axis, label: "epoch", labelSize: 20 }, spec.log ? decades({ ...axis, size: 60 }) : { ...axis, size: 60 }],
      series: [
        { label: "epoch" },
        ...spec.series.map((s) => ({
          label: s.label,
          class: s.raw ? "raw" : undefined,
          stroke: s.stroke,
          width: s.width ?? 1.5,
          dash: s.dash,
          spanGaps: true,
          points: { show: false },
          value: (_: uPlot, v: number | null) => (v === null ? "–" : formatTick(v)),
        })),
      ],
    };
  }
}

/** On a log axis only whole decades get a grid line and a label, written as powers of ten. */
const decadeSplits = (_u: uPlot, splits: number[]) => splits.map((v) => (isDecade(v) ? v : null));
const decades = (axis: uPlot.Axis): uPlot.Axis => ({
  ...axis,
  filter: decadeSplits,
  grid: { ...axis.grid, filter: decadeSplits },
  ticks: { ...axis.ticks, filter: decadeSplits },
  values: (_u, splits) => splits.map((v) => (v === null || !isDecade(v) ? "" : decadeLabel(v))),
});

function isDecade(value: number): boolean {
  const exponent = Math.log10(value);
  return Math.abs(exponent - Math.round(exponent)) < 1e-9;
}

function decadeLabel(value: number): string {
  const exponent = Math.round(Math.log10(value));
  return exponent >= -2 && exponent <= 3 ? String(10 ** exponent) : `1e${exponent}`;
}

function formatTick(value: number): string {
  const magnitude = Math.abs(value);
  return magnitude !== 0 && (magnitude < 1e-3 || magnitude >= 1e5) ? value.toExponential(2) : value.toPrecision(4);
}
