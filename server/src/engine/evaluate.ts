/**
 * Loss and accuracy over a whole dataset. Accuracy is the share of right
 * decisions. With binary cross-entropy every output unit is its own yes/no
 * label (multi-label when there are several): each decision a ≥ 0.5 is right
 * when it matches y ≥ 0.5, and accuracy is the fraction of right label
 * decisions over all labels and examples. Otherwise several outputs are one
 * decision per example: the largest output is the target's largest (argmax
 * of one-hot); a single output is a label decision at 0.5.
 */
import { exampleCount, standardiseRows, type Dataset, type Standardiser } from "./dataset";
import { gatherExamples, gatherRows, transposeInto, type Matrix } from "./matrix";
import { inputColumns, type Workspace } from "./workspace";
import { workspaceFor, type Network } from "./network";
import { batchLoss, forwardPass } from "./passes";
import { checkDatasetShape } from "./api";

/** The losses of a regression: the others are classifications. */
export const regressionLosses: ReadonlySet<string> = new Set(["mse", "mae", "huber"]);

export function isClassification(network: Network, data: Dataset): boolean {
  return data.classes !== undefined || !regressionLosses.has(network.loss);
}

function argmaxColumn(values: Float64Array, c: number, rows: number, cols: number): number {
  let best = 0;
  for (let r = 1; r < rows; r++) if (values[r * cols + c] > values[best * cols + c]) best = r;
  return best;
}

/** Whether each output unit is a label of its own (see above), rather than one class among the units. */
function labelwise(network: Network): boolean {
  return network.loss === "binary_cross_entropy" || network.nodes[network.output].units === 1;
}

// The share of the example's labels decided right: 1 per example when all are.
function rightLabels(a: Float64Array, y: Float64Array, c: number, rows: number, cols: number): number {
  let right = 0;
  for (let r = 0; r < rows; r++) right += (a[r * cols + c] >= 0.5) === (y[r * cols + c] >= 0.5) ? 1 : 0;
  return right / rows;
}

/** Right decisions in a batch (units × cols), per example: summed over examples, divided by n it is the accuracy. */
export function countCorrect(network: Network, a: Float64Array, y: Float64Array, cols: number): number {
  const rows = network.nodes[network.output].units;
  const perLabel = labelwise(network);
  const counted = network.kernel.vector?.countCorrect(perLabel, a, y, rows, cols);
  if (counted !== undefined) return counted;
  let correct = 0;
  for (let c = 0; c < cols; c++) {
    if (perLabel) correct += rightLabels(a, y, c, rows, cols);
    else correct += argmaxColumn(a, c, rows, cols) === argmaxColumn(y, c, rows, cols) ? 1 : 0;
  }
  return correct;
}

export interface Evaluation {
  loss: number;
  accuracy?: number;
}

export interface EvaluateOptions {
  /** the examples to evaluate, in this order (default: all, in order) */
  examples?: ArrayLike<number>;
  /** applied to each chunk as it is gathered: raw features are standardised without a second copy of them */
  standardiser?: Standardiser;
  /** receives aᴸ, output units × examples evaluated, from the same forward passes as the loss */
  outputs?: Matrix;
}

/** Loss (and accuracy) with dropout off, as at prediction; the network's dropout mode is left as it was. */
export function evaluateDataset(network: Network, data: Dataset, chunk = 256, options: EvaluateOptions = {}): Evaluation {
  const mode = network.dropoutMode;
  network.dropoutMode = "off";
  try {
    return evaluateChunks(network, data, chunk, options);
  } finally {
    network.dropoutMode = mode;
  }
}

/**
 * Examples [start, start+count) of `order` (the data set's own order when absent) as a mini-batch
 * takes them: x's rows into the input rows, y's into the targets' columns. Read from the data set's
 * rows in place: evaluation makes no copy of the data set.
 */
function loadChunk(ws: Workspace, data: Dataset, order: ArrayLike<number> | undefined, start: number, count: number): void {
  const { x, y } = data;
  if (order) {
    gatherRows(x, order, start, count, ws.inputRows);
    gatherExamples(y, order, start, count, ws.targets);
    return;
  }
  ws.inputRows.set(x.data.subarray(start * x.cols, (start + count) * x.cols));
  transposeInto(y.data.subarray(start * y.cols, (start + count) * y.cols), count, y.cols, ws.targets);
}

function evaluateChunks(network: Network, data: Dataset, chunk: number, options: EvaluateOptions): Evaluation {
  const { examples, standardiser, outputs } = options;
  const n = examples ? examples.length : exampleCount(data);
  if (n === 0) throw new Error("cannot evaluate an empty dataset");
  const units = network.nodes[network.output].units;
  if (outputs && (outputs.rows !== units || outputs.cols !== n)) throw new Error(`the outputs matrix is ${outputs.rows}×${outputs.cols}; evaluating needs ${units}×${n}`);
  checkDatasetShape(network, data);
  const classify = isClassification(network, data);
  let loss = 0;
  let correct = 0;
  for (let start = 0; start < n; start += chunk) {
    const m = Math.min(chunk, n - start);
    const ws = workspaceFor(network, m);
    const features = data.x.cols;
    loadChunk(ws, data, examples, start, m);
    if (standardiser) standardiseRows(ws.inputRows, standardiser, features, 0, m);
    inputColumns(network, ws);
    ws.inputRowsCurrent = true;
    forwardPass(network, ws);
    loss += batchLoss(network, ws) * m;
    const a = ws.a[network.output];
    if (classify) correct += countCorrect(network, a, ws.targets, m);
    if (outputs) for (let r = 0; r < units; r++) outputs.data.set(a.subarray(r * m, (r + 1) * m), r * n + start);
  }
  return { loss: loss / n, ...(classify ? { accuracy: correct / n } : {}) };
}
