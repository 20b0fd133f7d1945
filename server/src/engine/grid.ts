/**
 * The network's output over a grid of the 2-D input plane, for drawing a
 * decision boundary: resolution × resolution values, row-major from yMin,
 * over the data's bounding box widened by a margin on each side.
 */
import { predict } from "./api";
import { exampleCount, type Dataset } from "./dataset";
import { zeros } from "./matrix";
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

function argmax(values: Float64Array, c: number, rows: number, cols: number): number {
  let best = 0;
  for (let r = 1; r < rows; r++) if (values[r * cols + c] > values[best * cols + c]) best = r;
  return best;
}

function bounds(values: Float64Array, margin: number): [number, number] {
  let low = Infinity, high = -Infinity;
  for (const v of values) { low = Math.min(low, v); high = Math.max(high, v); }
  const pad = Math.max(high - low, 1e-9) * margin;
  return [low - pad, high + pad];
}

/**
 * A single output gives its value (a probability for sigmoid); several give
 * the argmax class index divided by the number of classes.
 */
export function decisionGrid(network: Network, data: Dataset, resolution = 50, margin = 0.1, maxPoints = 1000): DecisionGrid {
  if (data.x.rows !== 2) throw new Error(`a decision grid needs 2 input features, the data has ${data.x.rows}`);
  const n = exampleCount(data);
  if (n === 0) throw new Error("a decision grid needs at least one example");
  if (!(resolution >= 2)) throw new Error(`the grid resolution must be at least 2, got ${resolution}`);
  const [xMin, xMax] = bounds(data.x.data.subarray(0, n), margin);
  const [yMin, yMax] = bounds(data.x.data.subarray(n, 2 * n), margin);
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
    const label = data.y.rows === 1 ? data.y.data[i] : argmax(data.y.data, i, data.y.rows, n);
    points.push({ x: data.x.data[i], y: data.x.data[n + i], label });
  }
  return { xMin, xMax, yMin, yMax, resolution, values, points };
}
