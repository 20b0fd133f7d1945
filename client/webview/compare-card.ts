/**
 * Runs of the history overlaid: loss, accuracy and the total gradient norm
 * per epoch, one colour per run, each named by what set it apart, under a
 * line that says what differed ("lr 0.01 vs 0.03").
 */
import { differenceLine, runLabel, type HistoryRun } from "../../server/src/protocol";
import { LineChart, type ChartData, type SeriesSpec } from "./chart";
import { h } from "./dom";
import type { Palette } from "./theme";
import type { Values } from "./series";

type Measure = (metrics: HistoryRun["history"][number]) => number | undefined;

export const measures: { name: string; title: string; read: Measure; log: boolean; range?: [number, number] }[] = [
  { name: "compare-loss", title: "Loss", read: (m) => m.loss, log: false },
  { name: "compare-accuracy", title: "Accuracy", read: (m) => m.accuracy, log: false, range: [0, 1] },
  // ‖∂C/∂W‖ over all layers together: √Σ‖∂C/∂Wˡ‖²
  { name: "compare-gradients", title: "Gradient norm ‖∂C/∂W‖", read: (m) => Math.sqrt(m.layers.reduce((sum, s) => sum + s.gradNorm * s.gradNorm, 0)) || undefined, log: true },
];

export class CompareCard {
  readonly card: HTMLElement;
  readonly charts: LineChart[];
  private readonly difference: HTMLElement;

  constructor(pngButton: (name: string, title: string) => HTMLElement) {
    this.difference = h("p", { className: "compare-difference" });
    this.charts = measures.map((m) => new LineChart(m.name, m.title, [pngButton(m.name, `Compared ${m.title.toLowerCase()}`)]));
    this.card = h("section", { className: "card compare-card" },
      h("header", { className: "card-header" }, h("h2", { text: "Compared runs" })), this.difference, ...this.charts.map((chart) => chart.card));
    this.card.hidden = true;
  }

  render(runs: HistoryRun[], palette: Palette, generation: number): void {
    this.card.hidden = runs.length < 2;
    if (runs.length < 2) return;
    this.difference.textContent = differenceLine(runs);
    const epochs = [...new Set(runs.flatMap((run) => run.history.map((m) => m.epoch)))].sort((a, b) => a - b);
    measures.forEach((measure, i) => {
      const chart = this.charts[i]!;
      const values = runs.map((run) => column(run, epochs, measure.read));
      const shown = values.some((v) => v.some((x) => x !== null));
      chart.setVisible(shown);
      if (!shown) return;
      const series: SeriesSpec[] = runs.map((run, r) => ({
        label: runLabel(run, runs), stroke: palette.series[r % palette.series.length]!, width: 2, ...(r >= palette.series.length ? { dash: [6, 3] } : {}),
      }));
      const data: ChartData = { x: epochs, series: values.map((v) => (measure.log ? v.map((x) => (x !== null && x > 0 ? x : null)) : v)) };
      chart.draw({ series, log: measure.log, ...(measure.range ? { range: measure.range } : {}) }, data, palette, generation);
    });
  }
}

export function column(run: HistoryRun, epochs: number[], read: Measure): Values {
  const byEpoch = new Map(run.history.map((m) => [m.epoch, m]));
  return epochs.map((epoch) => {
    const metrics = byEpoch.get(epoch);
    const value = metrics ? read(metrics) : undefined;
    return value !== undefined && Number.isFinite(value) ? value : null;
  });
}
