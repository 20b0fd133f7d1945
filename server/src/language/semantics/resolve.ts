/**
 * Builds a network's model: resolves `from` and add/concat operands against
 * the layers declared above, infers units and parameter counts, links
 * successors and marks what reaches the output. It reports nothing itself:
 * the checks read what it found.
 */
import type * as ast from "../syntax/ast";
import type { ActivationSpec, InitSpec, LossName } from "../../engine/index";
import { activations, initialisers, lookup, losses, reluFamily } from "./catalog";
import { paramValue, isWholePositive } from "./args";
import { describeData, type DataContext } from "./data";
import type { InputModel, LayerModel, NetworkModel, Reference } from "./model";

export function resolveActivation(call: ast.Call | undefined): ActivationSpec | undefined {
  if (!call) return { name: "identity" };
  const info = lookup(activations, call.name?.text ?? "");
  if (!info) return undefined;
  if (info.name === "leaky_relu" || info.name === "elu") return { name: info.name, alpha: paramValue(call, info, "alpha") };
  return { name: info.name };
}

export function resolveInit(call: ast.Call | undefined, activation: ActivationSpec | undefined): InitSpec | undefined {
  if (!call) return reluFamily.has(activation?.name ?? "") ? { name: "he" } : { name: "xavier" };
  const info = lookup(initialisers, call.name?.text ?? "");
  if (!info) return undefined;
  if (info.name === "normal") return { name: "normal", std: paramValue(call, info, "std") };
  if (info.name === "uniform") return { name: "uniform", limit: paramValue(call, info, "limit") };
  return { name: info.name };
}

export function resolveLoss(call: ast.Call | undefined): LossName | undefined {
  return lookup(losses, call?.name?.text ?? "")?.name;
}

/** huber's δ as written (or its default); undefined for the other losses. */
export function resolveHuberDelta(call: ast.Call | undefined): number | undefined {
  const info = lookup(losses, call?.name?.text ?? "");
  return info?.name === "huber" ? paramValue(call!, info, "delta") : undefined;
}

interface Scope {
  input?: InputModel;
  above: Map<string, LayerModel>;
  laterNames: Map<string, ast.LayerEntry>;
}

function reference(name: ast.Name, self: string, scope: Scope): Reference {
  if (name.text === scope.input?.name || scope.above.has(name.text)) return { name, target: name.text };
  if (name.text === self) return { name, problem: "self" };
  return { name, problem: scope.laterNames.has(name.text) ? "forward" : "unknown" };
}

function unitsOf(reference: Reference, scope: Scope): number | undefined {
  if (!reference.target) return undefined;
  return reference.target === scope.input?.name ? scope.input.units : scope.above.get(reference.target)?.units;
}

function inferUnits(layer: LayerModel, scope: Scope): void {
  const parts = layer.inputs.map((input) => unitsOf(input, scope));
  const known = parts.length > 0 && parts.every((units) => units !== undefined);
  const body = layer.entry.body;
  if (body?.kind === "dense") {
    const units = body.units?.value;
    layer.units = isWholePositive(units) ? units : undefined;
    if (known && layer.units !== undefined) layer.params = layer.units * parts[0]! + layer.units;
  } else if (body?.kind === "dropout") {
    if (known) layer.units = parts[0];
  } else if (body && known) {
    const sizes = parts as number[];
    if (body.kind === "concat") layer.units = sizes.reduce((sum, units) => sum + units, 0);
    else if (sizes.every((units) => units === sizes[0])) layer.units = sizes[0];
  }
}

function layerOf(entry: ast.LayerEntry, index: number, previous: string | undefined, scope: Scope): LayerModel {
  const name = entry.name?.text ?? "";
  const body = entry.body;
  const layer: LayerModel = {
    name, index, entry, kind: body?.kind, inputs: [], implicitFrom: false, params: 0, successors: [], reachesOutput: false,
  };
  if (body?.kind === "dense") {
    layer.implicitFrom = !body.from;
    const from = body.from ?? (previous !== undefined ? { text: previous, span: entry.keyword } : undefined);
    if (from) layer.inputs.push(reference(from, name, scope));
    layer.activation = resolveActivation(body.activation);
    layer.init = resolveInit(body.init, layer.activation);
  } else if (body?.kind === "dropout") {
    layer.implicitFrom = !body.from;
    const from = body.from ?? (previous !== undefined ? { text: previous, span: entry.keyword } : undefined);
    if (from) layer.inputs.push(reference(from, name, scope));
  } else if (body) {
    layer.inputs = body.operands.map((operand) => reference(operand, name, scope));
  }
  inferUnits(layer, scope);
  return layer;
}

function markReachable(layers: LayerModel[], byName: Map<string, LayerModel>): void {
  const output = layers[layers.length - 1];
  if (!output) return;
  const pending = [output];
  output.reachesOutput = true;
  while (pending.length > 0) {
    const layer = pending.pop()!;
    for (const input of layer.inputs) {
      const source = input.target ? byName.get(input.target) : undefined;
      if (source && !source.reachesOutput) {
        source.reachesOutput = true;
        pending.push(source);
      }
    }
  }
}

function resolveLayers(network: ast.Network, input: InputModel | undefined): LayerModel[] {
  const entries = network.entries.filter((entry): entry is ast.LayerEntry => entry.kind === "layer" && !!entry.name);
  const scope: Scope = { input, above: new Map(), laterNames: new Map(entries.map((entry) => [entry.name!.text, entry])) };
  const layers: LayerModel[] = [];
  let previous = input?.name;
  for (const entry of entries) {
    const layer = layerOf(entry, layers.length, previous, scope);
    layers.push(layer);
    if (!scope.above.has(layer.name)) scope.above.set(layer.name, layer);
    previous = layer.name;
  }
  for (const layer of layers) {
    for (const ref of layer.inputs) {
      if (ref.problem === "forward") ref.later = layers.find((other) => other.name === ref.name.text);
      const source = ref.target ? scope.above.get(ref.target) : undefined;
      if (source && !source.successors.includes(layer.name)) source.successors.push(layer.name);
    }
  }
  return layers;
}

function inputOf(entry: ast.InputEntry | undefined): InputModel | undefined {
  if (!entry?.name) return undefined;
  return { name: entry.name.text, units: isWholePositive(entry.units?.value) ? entry.units!.value : undefined, entry };
}

export function resolveNetwork(network: ast.Network, context: DataContext): NetworkModel {
  const of = <K extends ast.Entry["kind"]>(kind: K) => network.entries.filter((entry) => entry.kind === kind) as Extract<ast.Entry, { kind: K }>[];
  const inputs = of("input");
  const input = inputOf(inputs[0]);
  const layers = resolveLayers(network, input);
  const layerByName = new Map<string, LayerModel>();
  for (const layer of layers) if (!layerByName.has(layer.name)) layerByName.set(layer.name, layer);
  markReachable(layers, layerByName);
  const settings = network.entries.filter((entry): entry is ast.SettingsBlock => entry.kind === "train" || entry.kind === "gradcheck");
  const losses = of("loss");
  const dataEntries = of("data");
  return {
    name: network.name?.text,
    ast: network,
    inputs,
    input,
    layers,
    layerByName,
    output: layers[layers.length - 1],
    losses,
    loss: resolveLoss(losses[0]?.loss),
    huberDelta: resolveHuberDelta(losses[0]?.loss),
    dataEntries,
    data: dataEntries[0] ? describeData(dataEntries[0], context) : undefined,
    trainBlocks: settings.filter((block) => block.kind === "train"),
    gradcheckBlocks: settings.filter((block) => block.kind === "gradcheck"),
    totalParams: layers.reduce((sum, layer) => sum + layer.params, 0),
    hasErrors: false,
  };
}
