/**
 * Loss and accuracy over a whole dataset. Accuracy is the share of right
 * decisions. With binary cross-entropy every output unit is its own yes/no
 * label (multi-label when there are several): each decision a ≥ 0.5 is right
 * when it matches y ≥ 0.5, and accuracy is the fraction of right label
 * decisions over all labels and examples. Otherwise several outputs are one
 * decision per example: the largest output is the target's largest (argmax
 * of one-hot); a single output is a label decision at 0.5.
 */
import { exampleCount, type Dataset } from "./dataset";
import { examplesOf, gatherExamples } from "./matrix";
import { workspaceFor, type Network } from "./network";
import { batchLoss, forwardPass } from "./passes";

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

/** Loss (and accuracy) with dropout off, as at prediction; the network's dropout mode is left as it was. */
export function evaluateDataset(network: Network, data: Dataset, chunk = 256): Evaluation {
  const mode = network.dropoutMode;
  network.dropoutMode = "off";
  try {
    return evaluateChunks(network, data, chunk);
  } finally {
    network.dropoutMode = mode;
  }
}

function evaluateChunks(network: Network, data: Dataset, chunk: number): Evaluation {
  const n = exampleCount(data);
  if (n === 0) throw new Error("cannot evaluate an empty dataset");
  const order = new Int32Array(n).map((_, i) => i);
  const classify = isClassification(network, data);
  const xByExample = examplesOf(data.x);
  const yByExample = examplesOf(data.y);
  let loss = 0;
  let correct = 0;
  for (let start = 0; start < n; start += chunk) {
    const m = Math.min(chunk, n - start);
    const ws = workspaceFor(network, m);
    gatherExamples(xByExample, order, start, m, ws.a[0]);
    ws.inputRowsCurrent = false;
    gatherExamples(yByExample, order, start, m, ws.targets);
    forwardPass(network, ws);
    loss += batchLoss(network, ws) * m;
    if (classify) correct += countCorrect(network, ws.a[network.output], ws.targets, m);
  }
  return { loss: loss / n, ...(classify ? { accuracy: correct / n } : {}) };
}
