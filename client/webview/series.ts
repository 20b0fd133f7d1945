/**
 * Turning an epoch history into what the charts draw: smoothing, and
 * downsampling so that 10,000 epochs cost no more to draw than 1,000.
 */
import type { EpochMetrics } from "../../server/src/protocol";

export type Values = (number | null)[];

/** Most points a chart draws per series. */
export const maxDrawnPoints = 1000;

/**
 * Exponential moving average, debiased so the first epochs are not pulled
 * towards zero: s_t = β s_{t−1} + (1 − β) x_t, shown as s_t / (1 − β^t).
 * Missing or non-finite values are skipped and stay missing.
 */
export function smooth(values: Values, beta: number): Values {
  if (beta <= 0) return values.slice();
  const out: Values = new Array(values.length);
  let average = 0;
  let steps = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (x === null || !Number.isFinite(x)) {
      out[i] = null;
      continue;
    }
    average = beta * average + (1 - beta) * x;
    steps++;
    out[i] = average / (1 - beta ** steps);
  }
  return out;
}

/**
 * Indices to draw: all of them when few, else per bucket the first, smallest
 * and largest value of every series (min/max bucketing), so spikes survive.
 * The result has at most `budget` indices and always the first and last.
 */
export function drawnIndices(series: Values[], length: number, budget = maxDrawnPoints): number[] {
  if (length <= budget) return Array.from({ length }, (_, i) => i);
  const perBucket = 1 + 2 * Math.max(1, series.length);
  const buckets = Math.max(1, Math.floor((budget - 1) / perBucket));
  const chosen = new Set<number>([length - 1]);
  for (let b = 0; b < buckets; b++) {
    const start = Math.floor((b * length) / buckets);
    const end = Math.floor(((b + 1) * length) / buckets);
    chosen.add(start);
    for (const values of series) addExtremes(values, start, end, chosen);
  }
  return [...chosen].sort((a, b) => a - b);
}

function addExtremes(values: Values, start: number, end: number, chosen: Set<number>): void {
  let low = -1;
  let high = -1;
  for (let i = start; i < end; i++) {
    const v = values[i];
    if (v === null || v === undefined || !Number.isFinite(v)) continue;
    if (low < 0 || v < (values[low] as number)) low = i;
    if (high < 0 || v > (values[high] as number)) high = i;
  }
  if (low >= 0) chosen.add(low);
  if (high >= 0) chosen.add(high);
}

export function pick(values: Values, indices: number[]): Values {
  return indices.map((i) => values[i] ?? null);
}

/** A value that a log axis can show: positive and finite, else a gap. */
export function forLogScale(values: Values): Values {
  return values.map((v) => (v !== null && Number.isFinite(v) && v > 0 ? v : null));
}

export const finiteOrNull = (v: number | undefined): number | null =>
  v !== undefined && Number.isFinite(v) ? v : null;

/** Layer names in first-seen order, for the per-layer gradient series. */
export function layerNames(history: EpochMetrics[]): string[] {
  const names = new Set<string>();
  for (const metrics of history) for (const stats of metrics.layers) names.add(stats.layer);
  return [...names];
}

/** Layers that have weights: add and concat report a gradient norm of 0 throughout. */
export function layersWithGradients(history: EpochMetrics[]): string[] {
  const moving = new Set<string>();
  for (const metrics of history) for (const stats of metrics.layers) if (stats.gradNorm !== 0) moving.add(stats.layer);
  return layerNames(history).filter((name) => moving.has(name));
}

export function gradNormSeries(history: EpochMetrics[], layer: string): Values {
  return history.map((metrics) => finiteOrNull(metrics.layers.find((s) => s.layer === layer)?.gradNorm));
}
