/**
 * Datasets with one example per row, as a CSV file holds them: x is
 * n × features and y is n × targets. A mini-batch gathers whole rows and the
 * network then reads it with one example per column (backprop §6.4); the
 * data set itself is never held a second time in that layout.
 */
import { cloneMatrix, zeros, type Matrix } from "./matrix";
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
  const x = zeros(n, features);
  const y = zeros(n, targets);
  rows.forEach((row, i) => {
    if (row.x.length !== features || row.y.length !== targets) {
      throw new Error(`row ${i + 1} has ${row.x.length} features and ${row.y.length} targets; row 1 has ${features} and ${targets}`);
    }
    row.x.forEach((v, f) => { checkValue(v, i, f, "feature"); x.data[i * features + f] = v; });
    row.y.forEach((v, t) => { checkValue(v, i, t, "target"); y.data[i * targets + t] = v; });
  });
  return { x, y, ...options };
}

export function exampleCount(data: Dataset): number {
  return data.x.rows;
}

/** The rows at the given indices, in that order. */
export function selectRows(source: Matrix, indices: ArrayLike<number>): Matrix {
  const { cols } = source;
  const out = zeros(indices.length, cols);
  for (let i = 0; i < indices.length; i++) out.data.set(source.data.subarray(indices[i] * cols, (indices[i] + 1) * cols), i * cols);
  return out;
}

/** The examples at the given indices, in that order. */
export function selectExamples(data: Dataset, indices: ArrayLike<number>): Dataset {
  return { ...data, x: selectRows(data.x, indices), y: selectRows(data.y, indices) };
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

/**
 * A seeded split (see splitIndices). With `inPlace` the data set's own rows are put in the split's
 * order, validation first, and the parts are views of them: the same examples in the same order
 * as the copies, for arrays no one else reads.
 */
export function splitDataset(data: Dataset, fraction: number, seed: number, inPlace = false): { train: Dataset; validation?: Dataset } {
  if (fraction === 0) return { train: data };
  const split = splitIndices(exampleCount(data), fraction, seed);
  if (!inPlace) return { train: selectExamples(data, split.train), validation: selectExamples(data, split.validation!) };
  const order = new Int32Array(exampleCount(data));
  order.set(split.validation!);
  order.set(split.train, split.validation!.length);
  permuteRows(data.x, order);
  permuteRows(data.y, order);
  const held = split.validation!.length;
  return { train: rowRange(data, held, exampleCount(data)), validation: rowRange(data, 0, held) };
}

/** Row i becomes the row that was at order[i], following each cycle of the permutation with one row put aside. */
function permuteRows(m: Matrix, order: Int32Array): void {
  const { cols, data } = m;
  const done = new Uint8Array(order.length);
  const aside = new Float64Array(cols);
  for (let start = 0; start < order.length; start++) {
    if (done[start]) continue;
    aside.set(data.subarray(start * cols, (start + 1) * cols));
    let i = start;
    while (order[i] !== start) {
      data.copyWithin(i * cols, order[i] * cols, (order[i] + 1) * cols);
      done[i] = 1;
      i = order[i];
    }
    data.set(aside, i * cols);
    done[i] = 1;
  }
}

// rows [from, to) as a data set that shares their memory
function rowRange(data: Dataset, from: number, to: number): Dataset {
  const rows = (m: Matrix): Matrix => ({ rows: to - from, cols: m.cols, data: m.data.subarray(from * m.cols, to * m.cols) });
  return { ...data, x: rows(data.x), y: rows(data.y) };
}

export interface Standardiser {
  mean: Float64Array;
  std: Float64Array;
}

/**
 * Per-feature mean and standard deviation of the training features (std 1 for a constant feature).
 * Each feature's sums run over the examples in their order, row by row through memory.
 */
export function fitStandardiser(data: Dataset): Standardiser {
  const { rows: n, cols: features, data: values } = data.x;
  const sum = new Float64Array(features);
  for (let i = 0; i < n; i++) {
    for (let f = 0, k = i * features; f < features; f++, k++) sum[f] += values[k];
  }
  const mean = sum.map((s) => s / n);
  const squares = new Float64Array(features);
  for (let i = 0; i < n; i++) {
    for (let f = 0, k = i * features; f < features; f++, k++) squares[f] += (values[k] - mean[f]) ** 2;
  }
  const std = squares.map((s) => {
    const deviation = Math.sqrt(s / n);
    return deviation > 0 ? deviation : 1;
  });
  return { mean, std };
}

/** Standardises `count` rows of `features` values in place, starting at `from`. */
export function standardiseRows(values: Float64Array, s: Standardiser, features: number, from = 0, count = values.length / features): void {
  for (let i = 0, k = from; i < count; i++) {
    for (let f = 0; f < features; f++, k++) values[k] = (values[k] - s.mean[f]) / s.std[f];
  }
}

/** The same on the dataset's own features, for arrays no one else reads: no copy is made. */
export function standardiseInPlace(data: Dataset, s: Standardiser): Dataset {
  standardiseRows(data.x.data, s, data.x.cols);
  return data;
}

export function applyStandardiser(data: Dataset, s: Standardiser): Dataset {
  const x = cloneMatrix(data.x);
  standardiseRows(x.data, s, x.cols);
  return { ...data, x };
}
