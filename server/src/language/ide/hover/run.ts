/** The last run's gradient statistics, read along the unrolled product (backprop §6.2). */
import type { NetworkSpec } from "../../../engine/index";
import { superscript } from "../../formula/index";
import type { RunLayerStats, RunRecord } from "../run";

/** Orders of magnitude between the output's and an earlier layer's gradient that count as vanishing or exploding. */
export const TREND_ORDERS = 2;

export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return "0";
  const size = Math.abs(value);
  if (size >= 1e-3 && size < 1e5) return String(Number(value.toPrecision(3)));
  return value.toExponential(2).replace("e+", "e");
}

export interface GradientTrend {
  kind: "vanishing" | "exploding";
  /** the earliest dense layer with a gradient, against the output */
  layer: string;
  ratio: number;
}

/** What the trend reads: ‖∂C/∂W‖ per layer, of a run's epoch or the debugger's batch. */
export type GradientNorms = { layers: readonly Pick<RunLayerStats, "layer" | "gradNorm">[] };

const statsOf = (run: GradientNorms, layer: string): Pick<RunLayerStats, "layer" | "gradNorm"> | undefined =>
  run.layers.find((each) => each.layer === layer);

/** ‖∂C/∂W‖ of the earliest dense layer over the output's, when it is off by TREND_ORDERS or more. */
export function gradientTrend(spec: NetworkSpec, run: GradientNorms): GradientTrend | undefined {
  const dense = spec.layers.filter((layer) => layer.kind === "dense");
  const output = dense[dense.length - 1];
  const first = dense.find((layer) => (statsOf(run, layer.name)?.gradNorm ?? 0) > 0);
  const outputNorm = output ? statsOf(run, output.name)?.gradNorm ?? 0 : 0;
  if (!output || !first || first === output || !(outputNorm > 0)) return undefined;
  const ratio = statsOf(run, first.name)!.gradNorm / outputNorm;
  if (ratio <= 10 ** -TREND_ORDERS) return { kind: "vanishing", layer: first.name, ratio };
  if (ratio >= 10 ** TREND_ORDERS) return { kind: "exploding", layer: first.name, ratio };
  return undefined;
}

export function trendSentence(trend: GradientTrend, output: string): string {
  const orders = Math.abs(Math.log10(trend.ratio)).toFixed(1);
  const direction = trend.kind === "vanishing" ? "shrinks" : "grows";
  return `${trend.kind} gradients: ‖∂C/∂W‖ ${direction} by ${orders} orders of magnitude from '${output}' back to '${trend.layer}' (ratio ${formatNumber(trend.ratio)}); the unrolled product S(Wᵀ)S… is ${trend.kind === "vanishing" ? "shrinking" : "growing"} with depth`;
}

function runLabel(run: RunRecord): string {
  const epoch = run.epoch !== undefined ? `epoch ${run.epoch}${run.epochs ? ` of ${run.epochs}` : ""}` : run.kind;
  const first = run.losses.length > 1 ? `${formatNumber(run.losses[0]!)} → ` : "";
  return `${run.status === "running" ? "running" : `last ${run.kind}, ${run.status}`}, ${epoch}${run.loss !== undefined ? `, C = ${first}${formatNumber(run.loss)}` : ""}`;
}

export function lastRunLines(spec: NetworkSpec, run: RunRecord, layer?: string): string[] {
  const lines = [`_${runLabel(run)}_`];
  const shown = layer ? run.layers.filter((each) => each.layer === layer) : run.layers;
  for (const stats of shown) {
    const norm = stats.gradNorm > 0 ? `‖∂C/∂W${superscript(stats.layer)}‖ = ${formatNumber(stats.gradNorm)} · ` : "";
    lines.push(`${norm}mean |δ${superscript(stats.layer)}| = ${formatNumber(stats.meanAbsDelta)}`);
  }
  const output = spec.layers[spec.layers.length - 1];
  const trend = gradientTrend(spec, run);
  if (trend && output) lines.push(`⚠ ${trendSentence(trend, output.name)}`);
  const failing = run.gradcheck?.rows.filter((row) => !row.passed && (!layer || row.layer === layer)) ?? [];
  for (const row of failing) lines.push(`✗ gradient check of ${row.param}${superscript(row.layer)}: max relative error ${formatNumber(row.maxRelError)} > ${formatNumber(run.gradcheck!.tolerance)}`);
  return lines;
}
