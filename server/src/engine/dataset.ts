/**
 * Datasets as matrices with one example per column (backprop §6.4):
 * x is features × n and y is targets × n.
 */
import { zeros, type Matrix } from "./matrix";
import { Rng } from "./rng";

export interface Dataset {
  x: Matrix;
  y: Matrix;
  /** number of classes when y holds class labels: 2 for a single 0/1 target, k for k one-hot rows */
  classes?: number;
  classNames?: string[];
  featureNames?: string[];
}

export interface Row {
  x: readonly number[];
  y: readonly number[];
}

export interface RowOptions {
  classes?: number;
  classNames?: string[];
  featureNames?: string[];
}

function checkValue(value: number, row: number, column: number, part: "feature" | "target"): void {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new Error(`row ${row + 1}, ${part} column ${column + 1}: ${String(value)} is not a finite number`);
  }
}

/** A dataset from parsed rows; names the row and column (1-based) of any NaN or ±Infinity. */
export function datasetFromRows(rows: readonly Row[], options: RowOptions = {}): Dataset {
  if (rows.length === 0) throw new Error("the dataset has no rows");
  const features = rows[0].x.length;
  const targets = rows[0].y.length;
  if (features === 0) throw new Error("row 1 has no feature values");
  if (targets === 0) throw new Error("row 1 has no target values");
  const n = rows.length;
  const x = zeros(features, n);
  const y = zeros(targets, n);
  rows.forEach((row, i) => {
    if (row.x.length !== features || row.y.length !== targets) {
      throw new Error(`row ${i + 1} has ${row.x.length} features and ${row.y.length} targets; row 1 has ${features} and ${targets}`);
    }
    row.x.forEach((v, f) => { checkValue(v, i, f, "feature"); x.data[f * n + i] = v; });
    row.y.forEach((v, t) => { checkValue(v, i, t, "target"); y.data[t * n + i] = v; });
  });
  return { x, y, ...options };
}

export function exampleCount(data: Dataset): number {
  return data.x.cols;
}

/** The columns at the given indices, in that order. */
export function selectColumns(source: Matrix, indices: ArrayLike<number>): Matrix {
  const out = zeros(source.rows, indices.length);
  for (let r = 0; r < source.rows; r++) {
    for (let c = 0; c < indices.length; c++) out.data[r * indices.length + c] = source.data[r * source.cols + indices[c]];
  }
  return out;
}

/** The examples at the given indices, in that order. */
export function selectExamples(data: Dataset, indices: ArrayLike<number>): Dataset {
  return { ...data, x: selectColumns(data.x, indices), y: selectColumns(data.y, indices) };
}

/** A seeded permutation of 0…n−1. */
export function permutation(n: number, rng: Rng): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  rng.shuffle(order);
  return order;
}

export function shuffleDataset(data: Dataset, seed: number): Dataset {
  return selectExamples(data, permutation(exampleCount(data), Rng.derive(seed, "shuffle-dataset")));
}

/**
 * The examples a seeded split holds out for validation, in their order, and those it keeps for
 * training: round(fraction · n) held out, at least 1 when fraction > 0.
 */
export function splitIndices(n: number, fraction: number, seed: number): { train: Int32Array; validation?: Int32Array } {
  if (!(fraction >= 0 && fraction < 1)) throw new Error(`validation fraction ${fraction} is outside [0, 1)`);
  if (fraction === 0) return { train: new Int32Array(n).map((_, i) => i) };
  const held = Math.max(1, Math.round(fraction * n));
  if (held >= n) throw new Error(`a validation fraction of ${fraction} leaves no training examples out of ${n}`);
  const order = permutation(n, Rng.derive(seed, "validation-split"));
  return { train: order.subarray(held), validation: order.subarray(0, held) };
}

/** A seeded split (see splitIndices). */
export function splitDataset(data: Dataset, fraction: number, seed: number): { train: Dataset; validation?: Dataset } {
  if (fraction === 0) return { train: data };
  const split = splitIndices(exampleCount(data), fraction, seed);
  return { train: selectExamples(data, split.train), validation: selectExamples(data, split.validation!) };
}

export interface Standardiser {
  mean: Float64Array;
  std: Float64Array;
}

/** Per-feature mean and standard deviation of the training features (std 1 for a constant feature). */
export function fitStandardiser(data: Dataset): Standardiser {
  const { rows, cols, data: values } = data.x;
  const mean = new Float64Array(rows);
  const std = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let c = 0; c < cols; c++) sum += values[r * cols + c];
    mean[r] = sum / cols;
    let squares = 0;
    for (let c = 0; c < cols; c++) squares += (values[r * cols + c] - mean[r]) ** 2;
    const deviation = Math.sqrt(squares / cols);
    std[r] = deviation > 0 ? deviation : 1;
  }
  return { mean, std };
}

/** The same on the dataset's own features, for arrays no one else reads: no copy is made. */
export function standardiseInPlace(data: Dataset, s: Standardiser): Dataset {
  const { rows, cols, data: values } = data.x;
  for (let r = 0; r < rows; r++) {
    for (let c = r * cols; c < (r + 1) * cols; c++) values[c] = (values[c] - s.mean[r]) / s.std[r];
  }
  return data;
}

export function applyStandardiser(data: Dataset, s: Standardiser): Dataset {
  const { rows, cols } = data.x;
  const x = zeros(rows, cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) x.data[r * cols + c] = (data.x.data[r * cols + c] - s.mean[r]) / s.std[r];
  }
  return { ...data, x };
}
