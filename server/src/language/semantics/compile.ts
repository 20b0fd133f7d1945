/** A checked, error-free network → the engine's contracts (engine/spec.ts). */
import type * as ast from "../syntax/ast";
import {
  defaultGradcheckSpec, defaultTrainSpec,
  type GradcheckSpec, type LayerSpec, type MonitorName, type NetworkSpec, type OptimizerSpec, type ScheduleSpec, type StopEarlySpec, type TrainSpec,
} from "../../engine/index";
import { lookup, optimizers, schedules, stopEarly } from "./catalog";
import { findArg, paramValue } from "./args";
import type { LayerModel, NetworkModel } from "./model";

function layerSpec(layer: LayerModel): LayerSpec {
  const from = layer.inputs.map((input) => input.target!);
  if (layer.kind === "dense") {
    return { kind: "dense", name: layer.name, units: layer.units!, from: from[0], activation: layer.activation!, init: layer.init! };
  }
  if (layer.kind === "dropout") {
    const body = layer.entry.body as ast.DropoutBody;
    return { kind: "dropout", name: layer.name, units: layer.units!, from: from[0], rate: body.rate!.value };
  }
  return { kind: layer.kind as "add" | "concat", name: layer.name, units: layer.units!, from };
}

export function networkSpec(network: NetworkModel): NetworkSpec {
  return {
    name: network.name!,
    input: { name: network.input!.name, units: network.input!.units! },
    layers: network.layers.map(layerSpec),
    loss: network.loss!,
    ...(network.huberDelta !== undefined ? { huberDelta: network.huberDelta } : {}),
  };
}

function optimizerSpec(call: ast.Call): OptimizerSpec {
  const info = lookup(optimizers, call.name!.text)!;
  const value = (name: string): number => paramValue(call, info, name);
  switch (info.name) {
    case "adam": return { name: "adam", lr: value("lr"), beta1: value("beta1"), beta2: value("beta2"), eps: value("eps") };
    case "adamw": return { name: "adamw", lr: value("lr"), beta1: value("beta1"), beta2: value("beta2"), eps: value("eps"), weightDecay: value("weight_decay") };
    case "rmsprop": return { name: "rmsprop", lr: value("lr"), rho: value("rho"), eps: value("eps"), momentum: value("momentum") };
    case "sgd": {
      const nesterov = findArg(call, "nesterov")?.value;
      return { name: "sgd", lr: value("lr"), momentum: value("momentum"), ...(nesterov?.kind === "bool" && nesterov.value ? { nesterov: true } : {}) };
    }
  }
}

function scheduleSpec(call: ast.Call): ScheduleSpec {
  const info = lookup(schedules, call.name!.text)!;
  const value = (name: string): number => paramValue(call, info, name);
  const warmup = value("warmup");
  switch (info.name) {
    case "constant": return { name: "constant", warmup };
    case "step": return { name: "step", every: value("every"), gamma: value("gamma"), warmup };
    case "exponential": return { name: "exponential", gamma: value("gamma"), warmup };
    case "cosine": return { name: "cosine", minLr: value("min_lr"), warmup };
  }
}

// A bare `stop_early` takes every default.
function stopEarlySpec(value: ast.Value | undefined): StopEarlySpec {
  const call = value?.kind === "call" ? value : undefined;
  const monitor = findArg(call, "monitor")?.value;
  return {
    patience: paramValue(call, stopEarly, "patience"),
    minDelta: paramValue(call, stopEarly, "min_delta"),
    monitor: (monitor?.kind === "call" ? monitor.name?.text : "val_loss") as MonitorName,
  };
}

function settingsOf(blocks: ast.SettingsBlock[]): Map<string, ast.Value> {
  const values = new Map<string, ast.Value>();
  for (const setting of blocks[0]?.settings ?? []) {
    if (setting.key && setting.value && !values.has(setting.key.text)) values.set(setting.key.text, setting.value);
  }
  return values;
}

const written = (blocks: ast.SettingsBlock[], key: string): boolean => blocks[0]?.settings.some((setting) => setting.key?.text === key) ?? false;

const numberOf = (value: ast.Value | undefined, fallback: number): number => (value?.kind === "number" ? value.number.value : fallback);

export function trainSpec(network: NetworkModel): TrainSpec {
  const values = settingsOf(network.trainBlocks);
  const optimizer = values.get("optimizer");
  const batch = values.get("batch");
  const shuffle = values.get("shuffle");
  const schedule = values.get("schedule");
  return {
    optimizer: optimizer?.kind === "call" ? optimizerSpec(optimizer) : { ...defaultTrainSpec.optimizer },
    epochs: numberOf(values.get("epochs"), defaultTrainSpec.epochs),
    batch: batch?.kind === "full" ? "full" : numberOf(batch, defaultTrainSpec.batch as number),
    validation: numberOf(values.get("validation"), defaultTrainSpec.validation),
    seed: numberOf(values.get("seed"), defaultTrainSpec.seed),
    shuffle: shuffle?.kind === "bool" ? shuffle.value : defaultTrainSpec.shuffle,
    l2: numberOf(values.get("l2"), defaultTrainSpec.l2),
    ...(schedule?.kind === "call" ? { schedule: scheduleSpec(schedule) } : {}),
    ...(written(network.trainBlocks, "stop_early") ? { stopEarly: stopEarlySpec(values.get("stop_early")) } : {}),
    l1: numberOf(values.get("l1"), 0),
  };
}

export function gradcheckSpec(network: NetworkModel): GradcheckSpec {
  const values = settingsOf(network.gradcheckBlocks);
  return {
    epsilon: numberOf(values.get("epsilon"), defaultGradcheckSpec.epsilon),
    tolerance: numberOf(values.get("tolerance"), defaultGradcheckSpec.tolerance),
    samples: numberOf(values.get("samples"), defaultGradcheckSpec.samples),
    maxParams: numberOf(values.get("max_params"), defaultGradcheckSpec.maxParams),
  };
}
