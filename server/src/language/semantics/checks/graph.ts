/** The layer graph: references, sizes and reachability. */
import type * as ast from "../../syntax/ast";
import type { LayerModel, NetworkModel, Reference } from "../model";
import { closest, didYouMean } from "../../suggest";
import { maxParameters } from "../ranges";
import { count, suggestionFix, type Accept, type NetworkCheck } from "./registry";

function declaredAbove(network: NetworkModel, layer: LayerModel): string[] {
  const names = network.layers.slice(0, layer.index).map((above) => above.name);
  return network.input ? [network.input.name, ...names] : names;
}

function checkReference(network: NetworkModel, layer: LayerModel, ref: Reference, accept: Accept): void {
  const text = ref.name.text;
  if (ref.problem === "self") {
    accept("error", "nnet/forward-reference", ref.name.span, `layer '${text}' cannot take itself as input; name a layer declared above it`);
  } else if (ref.problem === "forward") {
    accept("error", "nnet/forward-reference", ref.name.span, `'${text}' is declared below '${layer.name}'; a layer may only use layers declared above it (the network must be a DAG). Move '${text}' above this layer`, {
      related: ref.later ? [{ message: `'${text}' is declared here`, span: ref.later.entry.name!.span }] : undefined,
    });
  } else if (ref.problem === "unknown") {
    const candidates = declaredAbove(network, layer);
    const suggestion = closest(text, candidates);
    const known = candidates.length > 0 ? `; declared above: ${candidates.join(", ")}` : "";
    accept("error", "nnet/unknown-layer", ref.name.span, `no layer or input named '${text}'${didYouMean(suggestion) || known}`, {
      fixes: suggestionFix(ref.name.span, suggestion),
    });
  }
}

export const references: NetworkCheck = {
  name: "references",
  run(network, accept) {
    for (const layer of network.layers) {
      const explicit = layer.implicitFrom ? [] : layer.inputs;
      for (const ref of explicit) checkReference(network, layer, ref, accept);
    }
  },
};

function unitsOf(network: NetworkModel, name: string | undefined): number | undefined {
  if (name === undefined) return undefined;
  return name === network.input?.name ? network.input.units : network.layerByName.get(name)?.units;
}

function checkAdd(network: NetworkModel, layer: LayerModel, accept: Accept): void {
  const sized = layer.inputs.map((ref) => ({ ref, units: unitsOf(network, ref.target) })).filter((part) => part.units !== undefined);
  const first = sized[0];
  for (const part of sized.slice(1)) {
    if (part.units === first.units) continue;
    accept("error", "nnet/dimension-mismatch", part.ref.name.span,
      `add needs operands of equal size: '${part.ref.name.text}' has ${count(part.units, "unit")} but '${first.ref.name.text}' has ${first.units}; give them the same units, or use concat to stack them`,
      { related: [{ message: `'${first.ref.name.text}' has ${count(first.units, "unit")}`, span: first.ref.name.span }] });
  }
}

function checkOperands(body: ast.MergeBody, accept: Accept): void {
  if (body.operands.length >= 2) return;
  accept("error", "nnet/too-few-operands", body.span, `${body.kind} needs at least two layers, such as ${body.kind}(h1, h2); found ${body.operands.length}`);
}

export const merges: NetworkCheck = {
  name: "merges",
  run(network, accept) {
    for (const layer of network.layers) {
      const body = layer.entry.body;
      if (body?.kind !== "add" && body?.kind !== "concat") continue;
      checkOperands(body, accept);
      if (body.kind === "add") checkAdd(network, layer, accept);
    }
  },
};

function checkUnits(units: ast.NumberLit | undefined, what: string, accept: Accept): void {
  if (!units) return;
  if (!Number.isFinite(units.value)) {
    accept("error", "nnet/out-of-range", units.span, `${what} has ${units.text} units, which overflows float64 (whose largest number is about 1.8e308); units must be a whole number, 1 or more, and the network at most ${maxParameters.toLocaleString("en-US")} parameters`);
  } else if (!(units.value > 0)) accept("error", "nnet/non-positive", units.span, `${what} has ${units.text} units; units must be a whole number greater than 0`);
  else if (!Number.isInteger(units.value)) accept("error", "nnet/wrong-type", units.span, `${what} has ${units.text} units; units must be a whole number`);
}

export const unitCounts: NetworkCheck = {
  name: "unit-counts",
  run(network, accept) {
    for (const input of network.inputs) checkUnits(input.units, `input '${input.name?.text ?? ""}'`, accept);
    for (const layer of network.layers) {
      const body = layer.entry.body;
      if (body?.kind === "dense") checkUnits(body.units, `layer '${layer.name}'`, accept);
    }
  },
};

export const reachability: NetworkCheck = {
  name: "reachability",
  run(network, accept) {
    const output = network.output;
    for (const layer of network.layers) {
      if (layer.reachesOutput || layer === output) continue;
      accept("warning", "nnet/unreachable-layer", layer.entry.name!.span,
        `layer '${layer.name}' never reaches the output '${output?.name}', so it gets no gradient and does not affect the result; use it in a later layer's 'from', add or concat, or remove it`);
    }
  },
};
