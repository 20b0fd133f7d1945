/**
 * Checks the JSON description of a model file before anything is built from
 * it: every field a network, a prediction or a resumed run reads, with a
 * message that names the field.
 */
import type { NetworkSpec, OptimizerName } from "../engine/index";
import { ModelFileError, type TrainedModel } from "./types";

/** The JSON part of a model file: the model without its tensors. */
export type Description = Omit<TrainedModel, "weights" | "standardiser" | "optimizer"> & {
  standardised: boolean;
  /** `momentum: "torch"`: sgd's first tensor is torch's momentum buffer; files without it hold v = −η·buffer */
  optimizer?: { optimizer: OptimizerName; step: number; momentum?: "torch" };
};

const activations = new Set(["identity", "sigmoid", "tanh", "relu", "leaky_relu", "elu", "softplus", "softmax", "gelu", "silu", "selu"]);
const losses = new Set(["mse", "binary_cross_entropy", "cross_entropy", "mae", "huber"]);

const optimizerNames: ReadonlySet<string> = new Set<OptimizerName>(["sgd", "adam", "adamw", "rmsprop"]);

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

function fail(field: string, what: string): never {
  throw new ModelFileError(`invalid model description: ${field} ${what}`);
}

function record(value: unknown, field: string): Json {
  return isRecord(value) ? value : fail(field, "is not an object");
}

function text(value: unknown, field: string): string {
  return typeof value === "string" && value.length > 0 ? value : fail(field, "is not a name");
}

function count(value: unknown, field: string, minimum = 1): number {
  return Number.isInteger(value) && (value as number) >= minimum ? (value as number) : fail(field, `is not an integer ≥ ${minimum}`);
}

function texts(value: unknown, field: string, length?: number): string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) fail(field, "is not a list of names");
  if (length !== undefined && value.length !== length) fail(field, `has ${value.length} names; ${length} expected`);
  return value as string[];
}

function checkNetwork(value: unknown): NetworkSpec {
  const network = record(value, "network");
  text(network.name, "network.name");
  const input = record(network.input, "network.input");
  const units = new Map<string, number>([[text(input.name, "network.input.name"), count(input.units, "network.input.units")]]);
  if (!Array.isArray(network.layers) || network.layers.length === 0) fail("network.layers", "is empty");
  (network.layers as unknown[]).forEach((raw, i) => {
    const field = `network.layers[${i}]`;
    const layer = record(raw, field);
    const name = text(layer.name, `${field}.name`);
    if (units.has(name)) fail(`${field}.name`, `repeats '${name}'`);
    const size = count(layer.units, `${field}.units`);
    const sources = layer.kind === "dense" || layer.kind === "dropout" ? [layer.from]
      : layer.kind === "add" || layer.kind === "concat" ? layer.from : fail(`${field}.kind`, `is '${String(layer.kind)}', not dense, dropout, add or concat`);
    if (!Array.isArray(sources) || sources.length === 0) fail(`${field}.from`, "names no layer");
    for (const source of sources as unknown[]) {
      if (typeof source !== "string" || !units.has(source)) fail(`${field}.from`, `names '${String(source)}', which is not declared before '${name}'`);
    }
    if (layer.kind === "dense") {
      const activation = record(layer.activation, `${field}.activation`);
      if (!activations.has(activation.name as string)) fail(`${field}.activation.name`, `is '${String(activation.name)}', not an activation this nnet knows`);
      if (activation.alpha !== undefined && !Number.isFinite(activation.alpha)) fail(`${field}.activation.alpha`, "is not a finite number");
      record(layer.init, `${field}.init`);
    }
    if (layer.kind === "dropout") {
      const rate = layer.rate;
      if (typeof rate !== "number" || !(rate >= 0 && rate < 1)) fail(`${field}.rate`, `is ${String(rate)}, not a dropout rate in [0, 1)`);
      if (size !== units.get(layer.from as string)) fail(`${field}.units`, `is ${size}, but '${String(layer.from)}' has ${units.get(layer.from as string)}`);
    }
    units.set(name, size);
  });
  if (!losses.has(network.loss as string)) fail("network.loss", `is '${String(network.loss)}', not a loss this nnet knows`);
  if (network.huberDelta !== undefined && !(typeof network.huberDelta === "number" && network.huberDelta > 0 && Number.isFinite(network.huberDelta))) {
    fail("network.huberDelta", "is not a positive number");
  }
  return network as unknown as NetworkSpec;
}

function checkOutputs(value: unknown, units: number): void {
  const outputs = record(value, "outputs");
  if (outputs.kind === "classes") {
    const labels = texts(outputs.labels, "outputs.labels");
    if (labels.length !== (units === 1 ? 2 : units)) fail("outputs.labels", `has ${labels.length} labels for ${units} output units`);
  } else if (outputs.kind === "values") texts(outputs.names, "outputs.names", units);
  else fail("outputs.kind", "is neither 'classes' nor 'values'");
}

export function checkDescription(value: unknown): Description {
  const model = record(value, "the description");
  const network = checkNetwork(model.network);
  texts(model.features, "features", network.input.units);
  checkOutputs(model.outputs, network.layers[network.layers.length - 1].units);
  if (typeof model.standardised !== "boolean") fail("standardised", "is not true or false");
  const train = record(model.train, "train");
  record(train.optimizer, "train.optimizer");
  if (train.l1 !== undefined && !(typeof train.l1 === "number" && train.l1 >= 0 && Number.isFinite(train.l1))) fail("train.l1", "is not a number ≥ 0");
  count(model.epochs, "epochs", 0);
  if (!Array.isArray(model.history)) fail("history", "is not a list");
  if (model.optimizer !== undefined) {
    const optimizer = record(model.optimizer, "optimizer");
    if (!optimizerNames.has(optimizer.optimizer as string)) fail("optimizer.optimizer", `is not one of ${[...optimizerNames].join(", ")}`);
    count(optimizer.step, "optimizer.step", 0);
  }
  if (typeof model.savedAt !== "string") fail("savedAt", "is not a date");
  return model as unknown as Description;
}
