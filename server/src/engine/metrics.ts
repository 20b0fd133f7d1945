/**
 * Metrics of a model's outputs against targets, both outputs × n: per-class
 * precision, recall and F1 with the confusion matrix for classification;
 * MAE, RMSE and R² for regression.
 */
import type { Matrix } from "./matrix";
import type { NetworkSpec } from "./spec";

export interface ClassMetrics {
  precision: number;
  recall: number;
  f1: number;
  /** examples whose true class this is */
  support: number;
}

export interface ClassificationReport {
  accuracy: number;
  /** confusion[t][p]: examples of true class t predicted as p */
  confusion: number[][];
  perClass: ClassMetrics[];
  macroF1: number;
}

export interface OutputErrors {
  mae: number;
  rmse: number;
  /** 1 − SS_res / SS_tot; NaN when the targets do not vary */
  r2: number;
}

export interface RegressionReport extends OutputErrors {
  /** per output unit */
  perOutput: OutputErrors[];
}

/** The class of each example: argmax of several units, or a single unit's side of 0.5. */
export function classIndices(m: Matrix): Int32Array {
  const out = new Int32Array(m.cols);
  for (let c = 0; c < m.cols; c++) {
    if (m.rows === 1) {
      out[c] = m.data[c] >= 0.5 ? 1 : 0;
      continue;
    }
    let best = 0;
    for (let r = 1; r < m.rows; r++) if (m.data[r * m.cols + c] > m.data[best * m.cols + c]) best = r;
    out[c] = best;
  }
  return out;
}

const ratio = (a: number, b: number): number => (b > 0 ? a / b : 0);

export function classificationReport(outputs: Matrix, targets: Matrix): ClassificationReport {
  const k = outputs.rows === 1 ? 2 : outputs.rows;
  const predicted = classIndices(outputs);
  const actual = classIndices(targets);
  const confusion = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < predicted.length; i++) confusion[actual[i]][predicted[i]]++;
  const perClass = confusion.map((row, c) => {
    const tp = row[c];
    const support = row.reduce((a, b) => a + b, 0);
    const predictedAs = confusion.reduce((sum, r) => sum + r[c], 0);
    const precision = ratio(tp, predictedAs);
    const recall = ratio(tp, support);
    return { precision, recall, f1: ratio(2 * precision * recall, precision + recall), support };
  });
  const correct = confusion.reduce((sum, row, c) => sum + row[c], 0);
  return { accuracy: ratio(correct, predicted.length), confusion, perClass, macroF1: perClass.reduce((s, m) => s + m.f1, 0) / k };
}

function errorsOf(pairs: (i: number) => [number, number], n: number): OutputErrors {
  let abs = 0, squares = 0, mean = 0;
  for (let i = 0; i < n; i++) {
    const [a, y] = pairs(i);
    abs += Math.abs(a - y);
    squares += (a - y) ** 2;
    mean += y;
  }
  mean /= n;
  let total = 0;
  for (let i = 0; i < n; i++) total += (pairs(i)[1] - mean) ** 2;
  return { mae: abs / n, rmse: Math.sqrt(squares / n), r2: total > 0 ? 1 - squares / total : NaN };
}

export function regressionReport(outputs: Matrix, targets: Matrix): RegressionReport {
  const n = outputs.cols;
  const perOutput = Array.from({ length: outputs.rows }, (_, r) => errorsOf((i) => [outputs.data[r * n + i], targets.data[r * n + i]], n));
  const all = errorsOf((i) => [outputs.data[i], targets.data[i]], outputs.data.length);
  // pooled R² would mix the outputs' scales; the mean of the per-output R² is what Keras and scikit-learn report
  const r2 = perOutput.reduce((s, o) => s + o.r2, 0) / perOutput.length;
  return { mae: all.mae, rmse: all.rmse, r2, perOutput };
}

/**
 * What a network's outputs are: one class among several units (softmax with
 * cross-entropy, or one sigmoid unit with binary cross-entropy), independent
 * yes/no labels (several sigmoid units with binary cross-entropy), or values.
 */
export type OutputKind = "classes" | "labels" | "values";

export function outputKind(spec: Pick<NetworkSpec, "loss" | "layers">): OutputKind {
  const out = spec.layers[spec.layers.length - 1];
  const activation = out.kind === "dense" ? out.activation.name : "identity";
  if (activation === "softmax" && spec.loss === "cross_entropy") return "classes";
  if (activation === "sigmoid" && spec.loss === "binary_cross_entropy") return out.units === 1 ? "classes" : "labels";
  return "values";
}

/** The metrics of a run, on the part of the data they were computed on. */
export type RunMetrics = { part: "validation" | "training" } & (
  | { kind: "classes"; report: ClassificationReport }
  /** one two-class report per sigmoid unit */
  | { kind: "labels"; perLabel: ClassificationReport[] }
  | { kind: "values"; report: RegressionReport }
);

function row(m: Matrix, r: number): Matrix {
  return { rows: 1, cols: m.cols, data: m.data.slice(r * m.cols, (r + 1) * m.cols) };
}

export function runMetrics(kind: OutputKind, outputs: Matrix, targets: Matrix, part: RunMetrics["part"]): RunMetrics {
  if (kind === "classes") return { part, kind, report: classificationReport(outputs, targets) };
  if (kind === "labels") return { part, kind, perLabel: Array.from({ length: outputs.rows }, (_, r) => classificationReport(row(outputs, r), row(targets, r))) };
  return { part, kind, report: regressionReport(outputs, targets) };
}
