/** The output layer against the loss, softmax placement, and vanishing gradients (backprop §6.2). */
import type * as ast from "../../syntax/ast";
import type { Fix, LayerModel, NetworkModel } from "../model";
import { replace, type Accept, type NetworkCheck } from "./registry";

const denseBody = (layer: LayerModel | undefined): ast.DenseBody | undefined =>
  layer?.entry.body?.kind === "dense" ? layer.entry.body : undefined;

export const softmaxPlacement: NetworkCheck = {
  name: "softmax-placement",
  run(network, accept) {
    for (const layer of network.layers) {
      if (layer === network.output || layer.activation?.name !== "softmax") continue;
      const span = denseBody(layer)!.activation!.span;
      accept("error", "nnet/softmax-not-output", span, `softmax is only allowed on the output layer, but '${layer.name}' is hidden; use tanh or relu here`, {
        fixes: [replace("Change to 'relu'", span, "relu")],
      });
    }
    checkSingleUnitSoftmax(network, accept);
  },
};

// softmax over one unit is e^z / e^z = 1 whatever z is: the network cannot learn (cross_entropy says so itself)
function checkSingleUnitSoftmax(network: NetworkModel, accept: Accept): void {
  const body = denseBody(network.output);
  if (network.output?.activation?.name !== "softmax" || network.loss === "cross_entropy" || body?.units?.value !== 1 || !body.activation) return;
  accept("error", "nnet/softmax-single-unit", body.activation.span,
    `softmax over 1 unit always outputs 1, so '${network.output.name}' cannot learn; use sigmoid for one output unit, or give softmax 2 or more units`,
    { fixes: [replace("Change to 'sigmoid'", body.activation.span, "sigmoid")] });
}

function softmaxFix(output: LayerModel): Fix[] | undefined {
  const body = denseBody(output);
  if (!body?.units || !(body.units.value >= 2)) return undefined;
  if (body.activation) return [replace("Use a softmax output", body.activation.span, "softmax")];
  return [{ title: "Use a softmax output", edits: [{ span: { start: body.units.span.end, end: body.units.span.end }, newText: " softmax" }] }];
}

function checkCrossEntropy(network: NetworkModel, span: ast.Span, accept: Accept): void {
  const output = network.output!;
  const units = output.units;
  if (output.activation?.name === "softmax" && units !== undefined && units >= 2) return;
  const found = output.kind === undefined ? "not yet written" : output.kind !== "dense" ? `an ${output.kind} layer` : `${output.activation?.name ?? "an unknown"} with ${units ?? "?"} unit${units === 1 ? "" : "s"}`;
  const advice = units === 1 ? "; for two classes with one unit use binary_cross_entropy and a sigmoid output" : "";
  accept("error", "nnet/cross-entropy-needs-softmax", span,
    `cross_entropy needs a softmax output of at least 2 units, but the output '${output.name}' is ${found}${advice}`,
    { fixes: softmaxFix(output), related: [{ message: `the output layer '${output.name}'`, span: output.entry.name!.span }] });
}

function checkSaturatingMse(network: NetworkModel, span: ast.Span, accept: Accept): void {
  const activation = network.output!.activation?.name;
  if (activation !== "sigmoid" && activation !== "softmax") return;
  const better = activation === "softmax" ? "cross_entropy" : "binary_cross_entropy";
  accept("warning", "nnet/mse-on-saturating-output", span,
    `mse on a ${activation} output learns slowly when the output saturates: δᴸ = (aᴸ − y) ⊙ σ′(zᴸ) and σ′ → 0 (BP1); use ${better}, whose gradient is aᴸ − y`,
    { fixes: [replace(`Change to '${better}'`, span, better)] });
}

function checkBce(network: NetworkModel, span: ast.Span, accept: Accept): void {
  const activation = network.output!.activation?.name;
  if (activation === "sigmoid" || network.output!.kind !== "dense" || activation === undefined) return;
  accept("warning", "nnet/bce-needs-sigmoid", span,
    `binary_cross_entropy needs outputs in (0, 1), but the output '${network.output!.name}' is ${activation}; use a sigmoid output`);
}

export const lossAgainstOutput: NetworkCheck = {
  name: "loss-against-output",
  run(network, accept) {
    const call = network.losses[0]?.loss;
    if (!network.output || !call?.name || !network.loss) return;
    if (network.loss === "cross_entropy") checkCrossEntropy(network, call.name.span, accept);
    if (network.loss === "mse") checkSaturatingMse(network, call.name.span, accept);
    if (network.loss === "binary_cross_entropy") checkBce(network, call.name.span, accept);
  },
};

/** σ′ ≤ ¼ for sigmoid and ≤ 1 (usually well below) for tanh: the weights of a layer's contribution to the shrinking product. */
const shrink: Record<string, number> = { sigmoid: 2, tanh: 1 };
/** Above this many "halvings" from a layer to the output the unrolled product S¹(W²)ᵀS²… is likely to vanish. */
const vanishingThreshold = 5;

/** For every layer: the fewest saturating steps on any path from it to the output (skips let δ bypass). */
function saturationToOutput(network: NetworkModel): Map<string, number> {
  const cost = new Map<string, number>();
  for (let i = network.layers.length - 1; i >= 0; i--) {
    const layer = network.layers[i];
    const own = layer === network.output ? 0 : (shrink[layer.activation?.name ?? ""] ?? 0);
    const next = layer.successors.map((name) => cost.get(name)).filter((value): value is number => value !== undefined);
    if (layer === network.output) cost.set(layer.name, 0);
    else if (next.length > 0) cost.set(layer.name, own + Math.min(...next));
  }
  return cost;
}

export const vanishingGradients: NetworkCheck = {
  name: "vanishing-gradients",
  run(network, accept) {
    const cost = saturationToOutput(network);
    const first = network.layers.find((layer) => layer.kind === "dense" && (cost.get(layer.name) ?? 0) >= vanishingThreshold);
    if (!first) return;
    const saturating = network.layers.filter((layer) => layer !== network.output && shrink[layer.activation?.name ?? ""] && layer.index >= first.index);
    const span = denseBody(first)?.activation?.span ?? first.entry.name!.span;
    accept("warning", "nnet/vanishing-gradients", span,
      `${saturating.length} sigmoid/tanh hidden layers lie between '${first.name}' and the output: δ here is scaled by the product of every σ′(z) on the way (each ≤ ¼ for sigmoid), so it may vanish; use relu in the hidden layers, fewer layers, or a residual add`,
      { related: saturating.slice(1).map((layer) => ({ message: `${layer.activation!.name} layer '${layer.name}'`, span: layer.entry.name!.span })) });
  },
};
