/** What each chart draws, from the history and the view settings. */
import type { EpochMetrics, NetworkSummary } from "../../server/src/protocol";
import type { ChartData, ChartSpec, SeriesSpec } from "./chart";
import { drawnIndices, finiteOrNull, forLogScale, gradNormSeries, layersWithGradients, pick, smooth, type Values } from "./series";
import { withAlpha, type Palette } from "./theme";

export interface ViewSettings {
  logScale: boolean;
  /** EMA weight β in [0, 0.99]; 0 draws the raw curves only */
  smoothing: number;
}

export interface Chart {
  spec: ChartSpec;
  data: ChartData;
}

interface Curve {
  label: string;
  color: string;
  raw: Values;
}

/** Builds a chart from raw curves: faint raw lines under their smoothing, when smoothing is on. */
function curvesChart(history: EpochMetrics[], curves: Curve[], beta: number, log: boolean, range?: [number, number]): Chart {
  const indices = drawnIndices(curves.map((c) => c.raw), history.length);
  const x = indices.map((i) => history[i].epoch);
  const series: SeriesSpec[] = [];
  const values: Values[] = [];
  const shown = (v: Values) => (log ? forLogScale(v) : v);
  for (const curve of curves) {
    if (beta > 0) {
      series.push({ label: `${curve.label} (raw)`, stroke: withAlpha(curve.color, 0.35), width: 1, raw: true });
      values.push(shown(pick(curve.raw, indices)));
    }
    series.push({ label: curve.label, stroke: curve.color, width: 2 });
    values.push(shown(pick(smooth(curve.raw, beta), indices)));
  }
  return { spec: { series, log, range }, data: { x, series: values } };
}

export function lossChart(history: EpochMetrics[], view: ViewSettings, palette: Palette): Chart {
  const curves: Curve[] = [{ label: "training", color: palette.train, raw: history.map((m) => finiteOrNull(m.loss)) }];
  if (history.some((m) => m.valLoss !== undefined)) {
    curves.push({ label: "validation", color: palette.validation, raw: history.map((m) => finiteOrNull(m.valLoss)) });
  }
  return curvesChart(history, curves, view.smoothing, view.logScale);
}

/**
 * The accuracy chart's title. Several sigmoid outputs with binary cross-entropy are labels of their own, and the
 * engine counts each label decision (server/src/engine/evaluate.ts): the title says so.
 */
export function accuracyTitle(summary: NetworkSummary | undefined): string {
  const output = summary?.layers[summary.layers.length - 1];
  return summary?.loss === "binary_cross_entropy" && output !== undefined && output.units > 1
    ? `Accuracy per label (each of the ${output.units} outputs decided at 0.5)`
    : "Accuracy";
}

/** undefined when the network reports no accuracy (regression). */
export function accuracyChart(history: EpochMetrics[], view: ViewSettings, palette: Palette): Chart | undefined {
  const curves: Curve[] = [];
  if (history.some((m) => m.accuracy !== undefined)) {
    curves.push({ label: "training", color: palette.train, raw: history.map((m) => finiteOrNull(m.accuracy)) });
  }
  if (history.some((m) => m.valAccuracy !== undefined)) {
    curves.push({ label: "validation", color: palette.validation, raw: history.map((m) => finiteOrNull(m.valAccuracy)) });
  }
  return curves.length > 0 ? curvesChart(history, curves, view.smoothing, false, [0, 1]) : undefined;
}

/** The schedule's η per epoch; undefined when the rate never changes (no schedule: nothing to see). */
export function learningRateChart(history: EpochMetrics[], palette: Palette): Chart | undefined {
  const rates = history.map((m) => finiteOrNull(m.lr));
  const first = rates.find((r) => r !== null);
  if (first === undefined || rates.every((r) => r === null || r === first)) return undefined;
  return curvesChart(history, [{ label: "learning rate η", color: palette.train, raw: rates }], 0, false);
}

/**
 * ‖∂C/∂W‖ per layer on a log axis: a vanishing gradient is a curve sinking
 * decades below the others, an exploding one a curve climbing away (backprop §5).
 */
export function gradientChart(history: EpochMetrics[], palette: Palette): Chart | undefined {
  const layers = layersWithGradients(history);
  if (layers.length === 0) return undefined;
  const raw = layers.map((layer) => gradNormSeries(history, layer));
  const indices = drawnIndices(raw, history.length);
  const series = layers.map((label, i) => ({
    label,
    stroke: palette.series[i % palette.series.length],
    width: 1.5,
    dash: i >= palette.series.length ? [6, 3] : undefined,
  }));
  return {
    spec: { series, log: true },
    data: { x: indices.map((i) => history[i].epoch), series: raw.map((v) => forLogScale(pick(v, indices))) },
  };
}

/** Beyond these, a layer's gradient is reported as vanishing or exploding. */
export const gradientBounds = { vanishing: 1e-7, exploding: 1e3 };

/**
 * One line on the last epoch's gradients: the spread between layers, and the
 * layers whose ‖∂C/∂W‖ has vanished or exploded.
 */
export function gradientNote(history: EpochMetrics[]): { text: string; warning: boolean } {
  const last = history[history.length - 1];
  const layers = new Set(layersWithGradients(history));
  const norms = (last?.layers ?? []).filter((s) => layers.has(s.layer));
  if (norms.length === 0) return { text: "", warning: false };
  const bad = norms.filter((s) => !Number.isFinite(s.gradNorm) || s.gradNorm > gradientBounds.exploding);
  const faint = norms.filter((s) => Number.isFinite(s.gradNorm) && s.gradNorm < gradientBounds.vanishing);
  const finite = norms.map((s) => s.gradNorm).filter((g) => Number.isFinite(g) && g > 0);
  const parts: string[] = [];
  if (finite.length > 1) parts.push(`epoch ${last.epoch}: largest/smallest layer norm ${formatRatio(Math.max(...finite) / Math.min(...finite))}`);
  if (faint.length > 0) parts.push(`vanishing in ${faint.map((s) => s.layer).join(", ")}`);
  if (bad.length > 0) parts.push(`exploding in ${bad.map((s) => s.layer).join(", ")}`);
  return { text: parts.join(" · "), warning: faint.length + bad.length > 0 };
}

function formatRatio(ratio: number): string {
  return ratio < 1000 ? `${ratio.toPrecision(3)}×` : `10^${Math.log10(ratio).toFixed(1)}×`;
}
