/**
 * A TrainedModel to the container and back. The description (graph, names,
 * settings, history) is one JSON string in the header's metadata; numbers
 * that must round-trip exactly (weights, standardisation, optimizer moments)
 * are F64 tensors. Decoding checks everything a network will be built from.
 */
import type { LayerWeights, OptimizerState } from "../engine/index";
import { decodeContainer, encodeContainer, type Container, type Tensor } from "./safetensors";
import { checkDescription, type Description } from "./validate";
import { ModelFileError, modelFormat, modelVersion, type TrainedModel } from "./types";

const vector = (data: Float64Array): Tensor => ({ shape: [data.length], data });

function tensorsOf(model: TrainedModel): Map<string, Tensor> {
  const tensors = new Map<string, Tensor>();
  if (model.standardiser) {
    tensors.set("input.mean", vector(model.standardiser.mean));
    tensors.set("input.std", vector(model.standardiser.std));
  }
  for (const layer of model.weights.layers) {
    tensors.set(`${layer.name}.weight`, { shape: [layer.units, layer.fanIn], data: layer.W });
    tensors.set(`${layer.name}.bias`, vector(layer.b));
  }
  for (const moments of model.optimizer?.layers ?? []) {
    const layer = model.weights.layers.find((l) => l.name === moments.layer);
    const shape = layer ? [layer.units, layer.fanIn] : [moments.first.W.length];
    tensors.set(`optimizer.${moments.layer}.weight.first`, { shape, data: moments.first.W });
    tensors.set(`optimizer.${moments.layer}.bias.first`, vector(moments.first.b));
    if (moments.second) {
      tensors.set(`optimizer.${moments.layer}.weight.second`, { shape, data: moments.second.W });
      tensors.set(`optimizer.${moments.layer}.bias.second`, vector(moments.second.b));
    }
  }
  return tensors;
}

export function describe(model: TrainedModel): Description {
  const { weights: _w, standardiser, optimizer, ...rest } = model;
  return {
    ...rest, standardised: standardiser !== undefined,
    ...(optimizer ? { optimizer: { optimizer: optimizer.optimizer, step: optimizer.step, momentum: "torch" as const } } : {}),
  };
}

/** The file's bytes as chunks that share the model's arrays. */
export function encodeModel(model: TrainedModel): Uint8Array[] {
  const metadata = { format: modelFormat, version: String(modelVersion), model: JSON.stringify(describe(model)) };
  return encodeContainer({ metadata, tensors: tensorsOf(model) });
}

function take(container: Container, name: string, length: number, what: string): Float64Array {
  const tensor = container.tensors.get(name);
  if (!tensor) throw new ModelFileError(`the file has no tensor '${name}' (${what})`);
  if (tensor.data.length !== length) throw new ModelFileError(`tensor '${name}' has ${tensor.data.length} values; ${what} needs ${length}`);
  return tensor.data;
}

function checkFormat(metadata: Record<string, string>): void {
  if (metadata.format !== modelFormat) {
    throw new ModelFileError(metadata.format ? `not an NNet model: its format is '${metadata.format}'` : "not an NNet model: a safetensors file without the NNet description");
  }
  const version = Number(metadata.version);
  if (!Number.isInteger(version) || version < 1) throw new ModelFileError(`corrupt header: format version '${metadata.version}'`);
  if (version > modelVersion) {
    throw new ModelFileError(`the model was written by a newer nnet (format version ${version}); this nnet reads version ${modelVersion}: update nnet`);
  }
}

function weightsOf(container: Container, description: Description): LayerWeights[] {
  const units = new Map<string, number>([[description.network.input.name, description.network.input.units]]);
  const layers: LayerWeights[] = [];
  for (const layer of description.network.layers) {
    units.set(layer.name, layer.units);
    if (layer.kind !== "dense") continue;
    const fanIn = units.get(layer.from)!;
    const W = take(container, `${layer.name}.weight`, layer.units * fanIn, `the ${layer.units}×${fanIn} weights of '${layer.name}'`);
    const b = take(container, `${layer.name}.bias`, layer.units, `the bias of '${layer.name}'`);
    layers.push({ name: layer.name, units: layer.units, fanIn, W, b });
  }
  return layers;
}

function optimizerOf(container: Container, description: Description, layers: LayerWeights[]): OptimizerState | undefined {
  const saved = description.optimizer;
  if (!saved) return undefined;
  const second = saved.optimizer !== "sgd";
  const state: OptimizerState = {
    optimizer: saved.optimizer, step: saved.step,
    layers: layers.map((l) => {
      const part = (which: string): { W: Float64Array; b: Float64Array } => ({
        W: take(container, `optimizer.${l.name}.weight.${which}`, l.W.length, `the optimizer state of '${l.name}'`),
        b: take(container, `optimizer.${l.name}.bias.${which}`, l.b.length, `the optimizer state of '${l.name}'`),
      });
      return { layer: l.name, first: part("first"), ...(second ? { second: part("second") } : {}) };
    }),
  };
  return saved.momentum === "torch" || saved.optimizer !== "sgd" ? state : fromVelocity(state, description.train.optimizer.lr);
}

// Files written before the sgd buffer followed torch kept the velocity v = −η·buffer (η constant then).
function fromVelocity(state: OptimizerState, lr: number): OptimizerState {
  const buffer = (v: Float64Array): Float64Array => v.map((x) => (x === 0 ? 0 : -x / lr));
  return { ...state, layers: state.layers.map((m) => ({ ...m, first: { W: buffer(m.first.W), b: buffer(m.first.b) } })) };
}

function allFinite(values: Float64Array): boolean {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return false;
  return true;
}

function firstNonFinite(layers: LayerWeights[]): string | undefined {
  for (const l of layers) {
    if (!allFinite(l.W)) return `${l.name}.weight`;
    if (!allFinite(l.b)) return `${l.name}.bias`;
  }
  return undefined;
}

/** Reads and checks a model; throws ModelFileError naming what is wrong. */
export function decodeModel(bytes: Uint8Array): TrainedModel {
  const container = decodeContainer(bytes);
  checkFormat(container.metadata);
  let parsed: unknown;
  try {
    parsed = JSON.parse(container.metadata.model ?? "");
  } catch {
    throw new ModelFileError("corrupt header: the model description is not JSON");
  }
  const description = checkDescription(parsed);
  const layers = weightsOf(container, description);
  const bad = firstNonFinite(layers);
  if (bad) throw new ModelFileError(`tensor '${bad}' holds a value that is not a finite number`);
  const features = description.network.input.units;
  const standardiser = description.standardised
    ? { mean: take(container, "input.mean", features, "the feature means"), std: take(container, "input.std", features, "the feature scales") }
    : undefined;
  const optimizer = optimizerOf(container, description, layers);
  const { standardised: _s, optimizer: _o, ...rest } = description;
  return {
    ...rest, weights: { network: description.network.name, layers },
    ...(standardiser ? { standardiser } : {}), ...(optimizer ? { optimizer } : {}),
  };
}
