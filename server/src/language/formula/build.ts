import type { DenseSpec, LayerSpec, LossName, NetworkSpec } from "../../engine/index";
import {
  type Expr, activationOf, batched, delta, difference, hadamard, mean, product, sum, target, transpose, weight,
} from "./expr";
import { type LayerGraph, type OutgoingEdge, graphOf, pathCounts } from "./graph";

/** The pairs whose σ′ cancels against the loss derivative (backprop §5.1). */
export type FusedPair = "softmax+cross_entropy" | "sigmoid+binary_cross_entropy";

/** Everything the hover says about one layer's backward pass, as trees. */
export interface LayerDeltas {
  layer: string;
  /** l, 1-based in topological order */
  index: number;
  output: boolean;
  rule: "BP1" | "BP2";
  /** δˡ in terms of the successors' δ (BP2) or the output (BP1) */
  delta: Expr;
  fused?: FusedPair;
  /** ∇ₐC written out, for the output layer */
  lossGradient?: Expr;
  /** ∂C/∂bˡ and ∂C/∂Wˡ for dense layers: single-example and batched forms */
  bp3?: { single: Expr; batched: Expr };
  bp4?: { single: Expr; batched: Expr };
  /** δˡ unrolled into the sum over paths of products back from the output (backprop §6.2, §6.3) */
  unrolled: Expr;
  paths: number;
}

export interface DeltaOptions {
  /** paths written out in the unrolled sum; the rest are counted as omitted */
  maxPaths?: number;
}

export function fusedPair(spec: NetworkSpec): FusedPair | undefined {
  const output = spec.layers[spec.layers.length - 1];
  if (output?.kind !== "dense") return undefined;
  if (output.activation.name === "softmax" && spec.loss === "cross_entropy") return "softmax+cross_entropy";
  if (output.activation.name === "sigmoid" && spec.loss === "binary_cross_entropy") return "sigmoid+binary_cross_entropy";
  return undefined;
}

/** ∇ₐC for one example, written out for each loss; `delta` is huber's δ. */
export function lossGradientDefinition(loss: LossName, output: string, delta = 1): Expr {
  const a = activationOf(output, false);
  const y = target();
  switch (loss) {
    case "mse":
      return difference(a, y);
    case "binary_cross_entropy":
      return { op: "quotient", left: difference(a, y), right: hadamard(a, { op: "complement", of: a }) };
    case "cross_entropy":
      return { op: "negate", of: { op: "quotient", left: y, right: a } };
    case "mae":
      return { op: "sign", of: difference(a, y) };
    case "huber":
      return { op: "clip", of: difference(a, y), bound: delta };
  }
}

const lossGradient = (spec: NetworkSpec, output: string): Expr =>
  ({ op: "lossGradient", loss: spec.loss, output, batched: false, ...(spec.loss === "huber" ? { delta: spec.huberDelta ?? 1 } : {}) });

/** Applies σ′ of a dense layer to a vector: ⊙ σ′(z), or (J)ᵀ for softmax; identity has σ′ = 1. Dropout applies ⊙ its mask. */
function throughSlope(layer: LayerSpec, inner: Expr): Expr {
  if (layer.kind === "dropout") return hadamard(inner, { op: "mask", layer: layer.name, batched: false });
  if (layer.kind !== "dense" || layer.activation.name === "identity") return inner;
  if (layer.activation.name === "softmax") return product([{ op: "softmaxJacobianT", layer: layer.name }, inner]);
  return hadamard(inner, { op: "slope", layer: layer.name, activation: layer.activation, batched: false });
}

/** The slope as a left factor of the unrolled product: Sˡ, (Jˡ)ᵀ, diag(mˡ) for dropout, or nothing. */
function slopeFactor(layer: LayerSpec): Expr[] {
  if (layer.kind === "dropout") return [{ op: "maskMatrix", layer: layer.name }];
  if (layer.kind !== "dense" || layer.activation.name === "identity") return [];
  if (layer.activation.name === "softmax") return [{ op: "softmaxJacobianT", layer: layer.name }];
  return [{ op: "slopeMatrix", layer: layer.name, activation: layer.activation }];
}

/**
 * δᴸ of a fused pair. For softmax + cross-entropy the Jacobian gives aᴸ·Σⱼyⱼ − y
 * (engine/losses.ts), which is aᴸ − y only for targets that sum to 1.
 */
function fusedDelta(spec: NetworkSpec, output: LayerSpec): Expr | undefined {
  const pair = fusedPair(spec);
  const a = activationOf(output.name, false);
  if (pair === "softmax+cross_entropy") return difference({ op: "scaled", of: a, by: { op: "targetSum", batched: false } }, target());
  return pair ? difference(a, target()) : undefined;
}

function bp1(spec: NetworkSpec, output: LayerSpec): Expr {
  const fused = fusedDelta(spec, output);
  if (fused) return fused;
  const gradient = spec.loss === "mse" ? difference(activationOf(output.name, false), target()) : lossGradient(spec, output.name);
  return throughSlope(output, gradient);
}

/** What one outgoing edge contributes to δ of its source (backprop §3: the sum over outgoing edges). */
function edgeContribution(edge: OutgoingEdge, downstream: Expr): Expr {
  switch (edge.to.kind) {
    case "dense": return product([transpose(weight(edge.to.name)), downstream]);
    case "add": case "dropout": return downstream;
    case "concat": return { op: "rows", of: downstream, start: edge.start, end: edge.end };
  }
}

function bp2(graph: LayerGraph, layer: LayerSpec): Expr {
  const edges = graph.successors.get(layer.name) ?? [];
  const terms = edges.map((edge) => edgeContribution(edge, delta(edge.to.name)));
  return throughSlope(layer, sum(terms, layer.units));
}

function outputSeed(spec: NetworkSpec, output: LayerSpec): Expr {
  const fused = fusedDelta(spec, output);
  if (fused) return fused;
  return product([...slopeFactor(output), lossGradient(spec, output.name)]);
}

/** One path's product, built from the output back (backprop §6.2): Sˡ (Wˢ)ᵀ Sˢ … ∇ₐC. */
function pathProduct(graph: LayerGraph, start: LayerSpec, edges: OutgoingEdge[]): Expr {
  const seed = outputSeed(graph.spec, edges.length > 0 ? edges[edges.length - 1]!.to : start);
  // factors from right to left, so each step is a push; a concat closes the product so far into its rows
  let reversed: Expr[] = (seed.op === "product" ? seed.factors : [seed]).slice().reverse();
  for (let step = edges.length - 1; step >= 0; step--) {
    const edge = edges[step]!;
    if (edge.to.kind === "dense") reversed.push(transpose(weight(edge.to.name)));
    else if (edge.to.kind === "concat") reversed = [{ op: "rows", of: product(reversed.reverse()), start: edge.start, end: edge.end }];
    const source = step === 0 ? start : edges[step - 1]!.to;
    reversed.push(...slopeFactor(source).reverse());
  }
  return product(reversed.reverse());
}

/**
 * Every path from `layer` to the output as a product of local derivatives,
 * up to `limit` of them. Depth-first with an explicit stack: a path may be
 * as long as the network is deep.
 */
function pathProducts(graph: LayerGraph, layer: LayerSpec, limit: number, counts: Map<string, number>): Expr[] {
  const found: Expr[] = [];
  const path: OutgoingEdge[] = [];
  const stack: { node: LayerSpec; next: number }[] = [{ node: layer, next: 0 }];
  while (stack.length > 0 && found.length < limit) {
    const top = stack[stack.length - 1]!;
    const edges = top.node === graph.output ? [] : graph.successors.get(top.node.name) ?? [];
    if (top.node === graph.output) found.push(pathProduct(graph, layer, path));
    while (top.next < edges.length && (counts.get(edges[top.next]!.to.name) ?? 0) === 0) top.next++;
    if (top.next >= edges.length) {
      stack.pop();
      path.pop();
      continue;
    }
    const edge = edges[top.next++]!;
    path.push(edge);
    stack.push({ node: edge.to, next: 0 });
  }
  return found;
}

function parameterGradients(layer: DenseSpec, graph: LayerGraph): Pick<LayerDeltas, "bp3" | "bp4"> {
  const fromInput = layer.from === graph.spec.input.name;
  const previous = activationOf(layer.from, fromInput);
  const single4 = product([delta(layer.name), transpose(previous)]);
  return {
    bp3: { single: delta(layer.name), batched: mean(product([delta(layer.name, true), { op: "ones" }])) },
    bp4: { single: single4, batched: mean(batched(single4)) },
  };
}

export function layerDeltas(spec: NetworkSpec, name: string, options: DeltaOptions = {}, graph = graphOf(spec)): LayerDeltas | undefined {
  const layer = graph.layer.get(name);
  if (!layer) return undefined;
  const output = layer === graph.output;
  const counts = pathCounts(graph);
  const paths = counts.get(name) ?? 0;
  const written = pathProducts(graph, layer, options.maxPaths ?? Number.POSITIVE_INFINITY, counts);
  const fused = output ? fusedPair(spec) : undefined;
  return {
    layer: name,
    index: graph.index.get(name) ?? 0,
    output,
    rule: output ? "BP1" : "BP2",
    delta: output ? bp1(spec, layer) : bp2(graph, layer),
    ...(fused ? { fused } : {}),
    ...(output && !fused ? { lossGradient: lossGradientDefinition(spec.loss, name, spec.huberDelta) } : {}),
    ...(layer.kind === "dense" ? parameterGradients(layer, graph) : {}),
    unrolled: sum(written, layer.units, paths - written.length),
    paths,
  };
}

export function networkDeltas(spec: NetworkSpec, options: DeltaOptions = {}): LayerDeltas[] {
  const graph = graphOf(spec);
  return spec.layers.flatMap((layer) => layerDeltas(spec, layer.name, options, graph) ?? []);
}
