/**
 * Running a network on plain matrices: forward, loss, backward, prediction,
 * and the caches (z, a, δ per node) and gradients of the last pass, which
 * the IDE's hovers and the tests read.
 */
import type { Dataset } from "./dataset";
import { zeros, type Matrix } from "./matrix";
import { workspaceFor, type DropoutMode, type Network } from "./network";
import { Rng } from "./rng";
import { backwardPass, batchLoss, forwardPass } from "./passes";
import type { Workspace } from "./workspace";

export function checkBatchShape(network: Network, x: Matrix, y?: Matrix): void {
  const inputs = network.nodes[0].units;
  const outputs = network.nodes[network.output].units;
  if (x.rows !== inputs) throw new Error(`network '${network.name}' takes ${inputs} features per example, the data has ${x.rows}`);
  if (y && y.rows !== outputs) throw new Error(`network '${network.name}' has ${outputs} outputs, the data has ${y.rows} targets`);
  if (y && y.cols !== x.cols) throw new Error(`the batch has ${x.cols} inputs but ${y.cols} targets`);
  if (x.cols === 0) throw new Error("the batch has no examples");
}

/** The same for a data set, one example per row. */
export function checkDatasetShape(network: Network, data: Dataset): void {
  const inputs = network.nodes[0].units;
  const outputs = network.nodes[network.output].units;
  if (data.x.cols !== inputs) throw new Error(`network '${network.name}' takes ${inputs} features per example, the data has ${data.x.cols}`);
  if (data.y.cols !== outputs) throw new Error(`network '${network.name}' has ${outputs} outputs, the data has ${data.y.cols} targets`);
  if (data.y.rows !== data.x.rows) throw new Error(`the data has ${data.x.rows} inputs but ${data.y.rows} targets`);
}

function loaded(network: Network, x: Matrix, y?: Matrix): Workspace {
  checkBatchShape(network, x, y);
  const ws = workspaceFor(network, x.cols);
  ws.a[0].set(x.data);
  ws.inputRowsCurrent = false;
  if (y) ws.targets.set(y.data);
  return ws;
}

/** aᴸ for the batch x (features × m). The result is a copy. */
export function forward(network: Network, x: Matrix): Matrix {
  const ws = loaded(network, x);
  forwardPass(network, ws);
  const out = network.nodes[network.output].units;
  return { rows: out, cols: x.cols, data: ws.a[network.output].slice() };
}

/** C of the batch (without l2). */
export function evaluateLoss(network: Network, x: Matrix, y: Matrix): number {
  const ws = loaded(network, x, y);
  forwardPass(network, ws);
  return batchLoss(network, ws);
}

/**
 * How dropout layers run in the passes that follow (network.ts): "off" for
 * evaluation (the default), "draw" for training with masks from `seed`'s
 * dropout stream, "fixed" to repeat the last masks.
 */
export function setDropout(network: Network, mode: DropoutMode, seed?: number): void {
  network.dropoutMode = mode;
  if (seed !== undefined) network.dropoutRng = Rng.derive(seed, "dropout");
}

/** Forward and backward on one batch: fills every dense node's ∂C/∂W, ∂C/∂b and the caches; returns C. */
export function computeGradients(network: Network, x: Matrix, y: Matrix): number {
  const ws = loaded(network, x, y);
  forwardPass(network, ws);
  const loss = batchLoss(network, ws);
  backwardPass(network, ws);
  return loss;
}

/** Outputs for any number of examples, computed in chunks so memory stays bounded; dropout is off (evaluation). */
export function predict(network: Network, x: Matrix, chunk = 256): Matrix {
  checkBatchShape(network, x);
  // dropout is off for predictions; a run that predicts between epochs (the decision grid) goes on drawing masks
  const mode = network.dropoutMode;
  network.dropoutMode = "off";
  try {
    const n = x.cols;
    const outUnits = network.nodes[network.output].units;
    const result = zeros(outUnits, n);
    for (let start = 0; start < n; start += chunk) {
      const m = Math.min(chunk, n - start);
      const ws = workspaceFor(network, m);
      for (let r = 0; r < x.rows; r++) ws.a[0].set(x.data.subarray(r * n + start, r * n + start + m), r * m);
      ws.inputRowsCurrent = false;
      forwardPass(network, ws);
      const a = ws.a[network.output];
      for (let r = 0; r < outUnits; r++) result.data.set(a.subarray(r * m, (r + 1) * m), r * n + start);
    }
    return result;
  } finally {
    network.dropoutMode = mode;
  }
}

export interface NodeCache {
  name: string;
  kind: "input" | "dense" | "add" | "concat" | "dropout";
  /** z (dense only), a and δ (not for the input), each units × m */
  z?: Matrix;
  a: Matrix;
  delta?: Matrix;
  /** a dropout layer's mask m of the last pass (all 1 at evaluation) */
  mask?: Matrix;
}

/** Copies of z, a and δ per node from the last pass (δ is meaningful after a backward pass). */
export function lastCaches(network: Network): NodeCache[] {
  const ws = network.last;
  if (!ws) throw new Error(`network '${network.name}' has not run a forward pass yet`);
  const m = ws.batch;
  const copy = (units: number, values: Float64Array): Matrix => ({ rows: units, cols: m, data: values.slice() });
  return network.nodes.map((node, i) => {
    const z = ws.z[i];
    const delta = ws.delta[i];
    const mask = ws.mask[i];
    return {
      name: node.name, kind: node.kind,
      ...(z ? { z: copy(node.units, z) } : {}),
      a: copy(node.units, ws.a[i]),
      ...(delta ? { delta: copy(node.units, delta) } : {}),
      ...(mask ? { mask: copy(node.units, mask) } : {}),
    };
  });
}

export interface LayerParameters {
  layer: string;
  W: Matrix;
  b: Float64Array;
  dW: Matrix;
  db: Float64Array;
}

/** Live views of every dense layer's parameters and last gradients (not copies). */
export function parameters(network: Network): LayerParameters[] {
  return network.dense.map((d) => ({ layer: d.name, W: d.weights, b: d.bias, dW: d.weightGradient, db: d.biasGradient }));
}

/** One dense layer's parameters: W is units × fanIn, row-major (as torch.nn.Linear.weight). */
export interface LayerWeights {
  name: string;
  units: number;
  fanIn: number;
  W: Float64Array;
  b: Float64Array;
}

export interface SavedWeights {
  network: string;
  layers: LayerWeights[];
}

/** Copies of every dense layer's W and b. */
export function exportWeights(network: Network): SavedWeights {
  return {
    network: network.name,
    layers: network.dense.map((d) => ({ name: d.name, units: d.units, fanIn: d.fanIn, W: d.weights.data.slice(), b: d.bias.slice() })),
  };
}

function firstNonFinite(values: Float64Array): number {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return i;
  return -1;
}

/** Loads saved weights; every dense layer must be present with the same shape and finite values. Changes nothing on failure. */
export function importWeights(network: Network, saved: SavedWeights): void {
  const matched = network.dense.map((d) => {
    const layer = saved.layers.find((l) => l.name === d.name);
    if (!layer) throw new Error(`the saved weights have no layer '${d.name}'`);
    if (layer.W.length !== d.units * d.fanIn || layer.b.length !== d.units) {
      throw new Error(`the saved weights of '${d.name}' are not ${d.units}×${d.fanIn}`);
    }
    const w = firstNonFinite(layer.W);
    if (w >= 0) throw new Error(`the saved weight ${d.name}.W[${Math.floor(w / d.fanIn)}][${w % d.fanIn}] is not a finite number`);
    const b = firstNonFinite(layer.b);
    if (b >= 0) throw new Error(`the saved bias ${d.name}.b[${b}] is not a finite number`);
    return layer;
  });
  network.dense.forEach((d, i) => {
    d.weights.data.set(matched[i].W);
    d.bias.set(matched[i].b);
  });
}
