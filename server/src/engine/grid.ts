/**
 * The network's output over a grid of the 2-D input plane, for drawing a
 * decision boundary: resolution × resolution values, row-major from yMin,
 * over the data's bounding box widened by a margin on each side.
 */
import { predict } from "./api";
import { exampleCount, type Dataset } from "./dataset";
import { zeros, type Matrix } from "./matrix";
import type { Network } from "./network";

/** Network outputs over the grid, with the data points; the protocol sends it as it is. */
export interface DecisionGrid {
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
  resolution: number;
  /** resolution × resolution values in [0, 1] (class index / classes for several classes), row-major from yMin */
  values: number[];
  points: { x: number; y: number; label: number }[];
}

// the index of the largest of `count` values from `first`, `stride` apart
function argmax(values: Float64Array, first: number, count: number, stride: number): number {
  let best = 0;
  for (let k = 1; k < count; k++) if (values[first + k * stride] > values[first + best * stride]) best = k;
  return best;
}

// feature f's range over the examples (rows of x), widened by the margin
function bounds(x: Matrix, f: number, margin: number): [number, number] {
  let low = Infinity, high = -Infinity;
  for (let k = f; k < x.data.length; k += x.cols) { low = Math.min(low, x.data[k]); high = Math.max(high, x.data[k]); }
  const pad = Math.max(high - low, 1e-9) * margin;
  return [low - pad, high + pad];
}

/**
 * A single output gives its value (a probability for sigmoid); several give
 * the argmax class index divided by the number of classes.
 */
export function decisionGrid(network: Network, data: Dataset, resolution = 50, margin = 0.1, maxPoints = 1000): DecisionGrid {
  if (data.x.cols !== 2) throw new Error(`a decision grid needs 2 input features, the data has ${data.x.cols}`);
  const n = exampleCount(data);
  if (n === 0) throw new Error("a decision grid needs at least one example");
  if (!(resolution >= 2)) throw new Error(`the grid resolution must be at least 2, got ${resolution}`);
  const [xMin, xMax] = bounds(data.x, 0, margin);
  const [yMin, yMax] = bounds(data.x, 1, margin);
  const cells = resolution * resolution;
  const inputs = zeros(2, cells);
  for (let r = 0; r < resolution; r++) {
    for (let c = 0; c < resolution; c++) {
      inputs.data[r * resolution + c] = xMin + ((xMax - xMin) * c) / (resolution - 1);
      inputs.data[cells + r * resolution + c] = yMin + ((yMax - yMin) * r) / (resolution - 1);
    }
  }
  const out = predict(network, inputs);
  const values = Array.from({ length: cells }, (_, i) => (out.rows === 1 ? out.data[i] : argmax(out.data, i, out.rows, cells) / out.rows));
  const step = Math.max(1, Math.ceil(n / maxPoints));
  const points: DecisionGrid["points"] = [];
  for (let i = 0; i < n; i += step) {
    const targets = data.y.cols;
    const label = targets === 1 ? data.y.data[i] : argmax(data.y.data, i * targets, targets, 1);
    points.push({ x: data.x.data[2 * i], y: data.x.data[2 * i + 1], label });
  }
  return { xMin, xMax, yMin, yMax, resolution, values, points };
}
