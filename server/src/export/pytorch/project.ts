/**
 * The data files of the project, computed with the engine's own functions so
 * that PyTorch sees exactly what the engine saw: the rows (data.csv), the
 * validation split (split.json), the shuffling order (order.npy), the settings
 * (config.json) and the weights (weights.safetensors).
 */
import {
  activationOf, outputRule, Rng, splitDataset, zeros, type Dataset, type NetworkSpec,
} from "../../engine/index";
import { encodeContainer, type Tensor, type TrainedModel } from "../../model/index";
import { ExportError } from "../errors";
import { className, pythonNames } from "./module";

/** A CSV field, quoted when it holds a comma, quote or line break. */
function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The target columns' names in data.csv, one per row of y, none equal to a feature's. */
export function targetNames(model: TrainedModel, targets: number): string[] {
  const out = model.outputs;
  let names: string[];
  if (out.kind === "classes" && out.labels.length === targets) names = out.labels;
  else if (out.kind === "values" && out.names.length === targets) names = out.names;
  else if (targets === 1 && typeof model.data?.csv?.target === "string") names = [model.data.csv.target];
  else names = Array.from({ length: targets }, (_, i) => `target${i + 1}`);
  const taken = new Set(model.features);
  return names.map((name) => {
    let unique = name;
    while (taken.has(unique)) unique += "_target";
    taken.add(unique);
    return unique;
  });
}

export function dataCsv(dataset: Dataset, features: string[], targets: string[]): string {
  const { x, y } = dataset;
  const lines = [[...features, ...targets].map(csvField).join(",")];
  for (let i = 0; i < x.rows; i++) {
    const row = [...x.data.subarray(i * x.cols, (i + 1) * x.cols), ...y.data.subarray(i * y.cols, (i + 1) * y.cols)];
    lines.push(row.map(String).join(","));
  }
  return lines.join("\n") + "\n";
}

/** The engine's split of n rows, as row indices in the engine's order (its own splitDataset run on the indices). */
export function splitIndices(n: number, fraction: number, seed: number): { train: number[]; validation: number[] } {
  const index = zeros(n, 1);
  for (let i = 0; i < n; i++) index.data[i] = i;
  const split = splitDataset({ x: index, y: index }, fraction, seed);
  return { train: Array.from(split.train.x.data), validation: split.validation ? Array.from(split.validation.x.data) : [] };
}

/**
 * The order of the training rows in each of `epochs` epochs after the first `done`, replaying
 * train.ts: one Rng.derive(seed, "shuffle") shuffling one order in place, once per epoch.
 */
export function shuffleOrders(rows: number, epochs: number, done: number, seed: number, shuffle: boolean): Int32Array {
  const rng = Rng.derive(seed, "shuffle");
  const order = new Int32Array(rows).map((_, i) => i);
  if (shuffle) for (let e = 0; e < done; e++) rng.shuffle(order);
  const orders = new Int32Array(rows * epochs);
  for (let e = 0; e < epochs; e++) {
    if (shuffle) rng.shuffle(order);
    orders.set(order, e * rows);
  }
  return orders;
}

/** A .npy file (format 1.0) of little-endian int32, for numpy.load. */
export function npyInt32(values: Int32Array, shape: number[]): Uint8Array[] {
  let header = `{'descr': '<i4', 'fortran_order': False, 'shape': (${shape.join(", ")}${shape.length === 1 ? "," : ""}), }`;
  header += " ".repeat(63 - ((10 + header.length) % 64)) + "\n";
  const prefix = new Uint8Array(10);
  prefix.set([0x93, ...Array.from("NUMPY", (c) => c.charCodeAt(0)), 1, 0]);
  new DataView(prefix.buffer).setUint16(8, header.length, true);
  const little = new Int32Array(values);
  const view = new DataView(little.buffer);
  for (let i = 0; i < values.length; i++) view.setInt32(i * 4, values[i], true);
  return [prefix, new TextEncoder().encode(header), new Uint8Array(little.buffer)];
}

/** weights.safetensors: the module's state dict (standardisation buffers, then each nn.Linear). */
export function weightsFile(model: TrainedModel): Uint8Array[] {
  const spec = model.network;
  const names = pythonNames(spec);
  const units = spec.input.units;
  const tensors = new Map<string, Tensor>();
  tensors.set("input_mean", { shape: [units], data: model.standardiser?.mean ?? new Float64Array(units) });
  tensors.set("input_std", { shape: [units], data: model.standardiser?.std ?? new Float64Array(units).fill(1) });
  for (const layer of model.weights.layers) {
    const name = names.get(layer.name);
    if (!name) throw new ExportError(`the weights have a layer '${layer.name}' the network does not`);
    tensors.set(`${name}.weight`, { shape: [layer.units, layer.fanIn], data: layer.W });
    tensors.set(`${name}.bias`, { shape: [layer.units], data: layer.b });
  }
  return encodeContainer({ metadata: { format: "pt", network: spec.name }, tensors });
}

// Dense layers with no path to the output: DDP must be told their gradients stay unused.
function unreachedLayers(spec: NetworkSpec): string[] {
  const reaches = new Set([spec.layers[spec.layers.length - 1].name]);
  for (let i = spec.layers.length - 1; i >= 0; i--) {
    const layer = spec.layers[i];
    if (!reaches.has(layer.name)) continue;
    for (const from of layer.kind === "dense" || layer.kind === "dropout" ? [layer.from] : layer.from) reaches.add(from);
  }
  return spec.layers.filter((l) => l.kind === "dense" && !reaches.has(l.name)).map((l) => l.name);
}

export interface ConfigFacts {
  targets: string[];
  classification: boolean;
  sameOrder: boolean;
}

export function configJson(model: TrainedModel, facts: ConfigFacts): string {
  const spec = model.network;
  const output = spec.layers[spec.layers.length - 1];
  const activation = activationOf(output.kind === "dense" ? output.activation : { name: "identity" });
  return JSON.stringify({
    network: spec.name,
    class: className(spec),
    features: model.features,
    targets: facts.targets,
    loss: spec.loss,
    ...(spec.loss === "huber" ? { huber_delta: spec.huberDelta ?? 1 } : {}),
    output_rule: outputRule(spec.loss, activation),
    classification: facts.classification,
    train: model.train,
    first_epoch: model.epochs + 1,
    same_order: facts.sameOrder,
    unreached_layers: unreachedLayers(spec),
  }, null, 2) + "\n";
}

/**
 * optimizer.safetensors: the engine's moments of a trained model, named by the module's parameters
 * (PARAM.first: sgd's velocity or Adam's m; PARAM.second: Adam's v), with Adam's step count.
 */
export function optimizerFile(model: TrainedModel): Uint8Array[] | undefined {
  const state = model.optimizer;
  if (!state || state.optimizer !== model.train.optimizer.name || state.step === 0) return undefined;
  const names = pythonNames(model.network);
  const tensors = new Map<string, Tensor>();
  for (const moments of state.layers) {
    const layer = model.weights.layers.find((l) => l.name === moments.layer);
    const name = names.get(moments.layer);
    if (!layer || !name) throw new ExportError(`the optimizer state has a layer '${moments.layer}' the network does not`);
    tensors.set(`${name}.weight.first`, { shape: [layer.units, layer.fanIn], data: moments.first.W });
    tensors.set(`${name}.bias.first`, { shape: [layer.units], data: moments.first.b });
    if (moments.second) {
      tensors.set(`${name}.weight.second`, { shape: [layer.units, layer.fanIn], data: moments.second.W });
      tensors.set(`${name}.bias.second`, { shape: [layer.units], data: moments.second.b });
    }
  }
  return encodeContainer({ metadata: { optimizer: state.optimizer, step: String(state.step) }, tensors });
}
