/**
 * Loss and accuracy over a whole dataset. Accuracy counts a single output as
 * right when it is on the target's side of 0.5, and several outputs when the
 * largest is the target's largest (argmax of one-hot).
 */
import { exampleCount, type Dataset } from "./dataset";
import { gatherExamples, transpose } from "./matrix";
import { workspaceFor, type Network } from "./network";
import { batchLoss, forwardPass } from "./passes";

export function isClassification(network: Network, data: Dataset): boolean {
  return data.classes !== undefined || network.loss !== "mse";
}

function argmaxColumn(values: Float64Array, c: number, rows: number, cols: number): number {
  let best = 0;
  for (let r = 1; r < rows; r++) if (values[r * cols + c] > values[best * cols + c]) best = r;
  return best;
}

export function countCorrect(a: Float64Array, y: Float64Array, rows: number, cols: number): number {
  let correct = 0;
  for (let c = 0; c < cols; c++) {
    if (rows === 1) correct += (a[c] >= 0.5) === (y[c] >= 0.5) ? 1 : 0;
    else correct += argmaxColumn(a, c, rows, cols) === argmaxColumn(y, c, rows, cols) ? 1 : 0;
  }
  return correct;
}

export interface Evaluation {
  loss: number;
  accuracy?: number;
}

export function evaluateDataset(network: Network, data: Dataset, chunk = 256): Evaluation {
  const n = exampleCount(data);
  if (n === 0) throw new Error("cannot evaluate an empty dataset");
  const order = new Int32Array(n).map((_, i) => i);
  const classify = isClassification(network, data);
  const xByExample = transpose(data.x);
  const yByExample = transpose(data.y);
  let loss = 0;
  let correct = 0;
  for (let start = 0; start < n; start += chunk) {
    const m = Math.min(chunk, n - start);
    const ws = workspaceFor(network, m);
    gatherExamples(xByExample, order, start, m, ws.a[0]);
    gatherExamples(yByExample, order, start, m, ws.targets);
    forwardPass(network, ws);
    loss += batchLoss(network, ws) * m;
    if (classify) correct += countCorrect(ws.a[network.output], ws.targets, network.nodes[network.output].units, m);
  }
  return { loss: loss / n, ...(classify ? { accuracy: correct / n } : {}) };
}
