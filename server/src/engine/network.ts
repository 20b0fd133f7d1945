/**
 * A network built from a NetworkSpec: a DAG of nodes in topological order,
 * node 0 being the input. Parameters live on the dense nodes; the
 * per-batch buffers (z, a, δ for m examples) live in a workspace keyed by
 * the batch size, built once and reused, so training allocates nothing.
 */
import { activationOf, type Activation } from "./activations";
import { initialiseWeights } from "./init";
import { jsKernel, type Kernel } from "./kernel";
import { outputRule, type OutputRule } from "./losses";
import { zeros, type Matrix } from "./matrix";
import { defaultKernel } from "./wasm-kernel";
import { Rng } from "./rng";
import type { DenseSpec, LossName, NetworkSpec } from "./spec";
import { buildWorkspace, type Workspace } from "./workspace";

export interface InputNode {
  kind: "input";
  index: 0;
  name: string;
  units: number;
}

export interface DenseNode {
  kind: "dense";
  index: number;
  name: string;
  units: number;
  from: number;
  fanIn: number;
  activation: Activation;
  spec: DenseSpec;
  /** W, units × fanIn: W_jk weighs unit k of the source for unit j (seed §1) */
  weights: Matrix;
  bias: Float64Array;
  /** ∂C/∂W and ∂C/∂b of the last backward pass (BP4, BP3, batched: averaged over m) */
  weightGradient: Matrix;
  biasGradient: Float64Array;
}

export interface JoinNode {
  kind: "add" | "concat";
  index: number;
  name: string;
  units: number;
  from: number[];
  /** concat: the first row of each part in the stacked vector */
  offsets: number[];
}

/** Inverted dropout (spec.ts): a = m ⊙ a_from while training, a_from at evaluation. */
export interface DropoutNode {
  kind: "dropout";
  index: number;
  name: string;
  units: number;
  from: number;
  /** the drop probability p */
  rate: number;
}

export type NetworkNode = InputNode | DenseNode | JoinNode | DropoutNode;

/**
 * How dropout layers run: "off" passes a through (evaluation, prediction,
 * validation); "draw" draws a fresh mask per forward pass from `rng`;
 * "fixed" reuses the workspace's last mask (the gradient check's perturbed
 * passes, so both see the same network).
 */
export type DropoutMode = "off" | "draw" | "fixed";

/** One edge along which δ flows back, from a successor to this node (seed §3, §6.3). */
export interface BackwardEdge {
  successor: number;
  /** dense: (W^succ)ᵀ Δ^succ; add, dropout: Δ^succ unchanged; concat: rows [start, end) of Δ^succ */
  contribution: "transposed-weights" | "identity" | "row-slice";
  /** for a row slice, the rows of Δ^succ it carries; otherwise 0 and this node's units */
  start: number;
  end: number;
  /** the first edge processed for this node writes, later ones add */
  overwrite: boolean;
}

export interface Network {
  name: string;
  spec: NetworkSpec;
  nodes: NetworkNode[];
  dense: DenseNode[];
  output: number;
  loss: LossName;
  rule: OutputRule;
  kernel: Kernel;
  /** per node, the edges from its successors, in the order backward visits them */
  incoming: BackwardEdge[][];
  /** per node, whether it lies on a path to the output (others get δ = 0) */
  reachesOutput: boolean[];
  workspaces: Map<number, Workspace>;
  last?: Workspace;
  /** whether the network has dropout layers, and how they run now */
  hasDropout: boolean;
  dropoutMode: DropoutMode;
  /** the stream dropout masks are drawn from in "draw" mode */
  dropoutRng: Rng;
  /** huber's δ (spec.huberDelta, default 1) */
  huberDelta: number;
}

export interface NetworkOptions {
  seed?: number;
  kernel?: Kernel;
  /** false leaves W at zero, for weights that are loaded next (a saved model) */
  initialise?: boolean;
}

function nodeIndex(names: Map<string, number>, name: string, layer: string): number {
  const index = names.get(name);
  if (index === undefined) throw new Error(`layer '${layer}' reads from '${name}', which is not declared before it`);
  return index;
}

function buildNodes(spec: NetworkSpec, rng: Rng, initialise: boolean): NetworkNode[] {
  const nodes: NetworkNode[] = [{ kind: "input", index: 0, name: spec.input.name, units: spec.input.units }];
  const names = new Map<string, number>([[spec.input.name, 0]]);
  for (const layer of spec.layers) {
    const index = nodes.length;
    if (names.has(layer.name)) throw new Error(`duplicate layer name '${layer.name}'`);
    if (!(layer.units > 0)) throw new Error(`layer '${layer.name}' needs a positive number of units`);
    if (layer.kind === "dense") {
      const from = nodeIndex(names, layer.from, layer.name);
      const fanIn = nodes[from].units;
      const weights = zeros(layer.units, fanIn);
      if (initialise) initialiseWeights(layer.init, weights.data, layer.units, fanIn, rng);
      nodes.push({
        kind: "dense", index, name: layer.name, units: layer.units, from, fanIn,
        activation: activationOf(layer.activation), spec: layer, weights, bias: new Float64Array(layer.units),
        weightGradient: zeros(layer.units, fanIn), biasGradient: new Float64Array(layer.units),
      });
    } else if (layer.kind === "dropout") {
      const from = nodeIndex(names, layer.from, layer.name);
      if (!(layer.rate >= 0 && layer.rate < 1)) throw new Error(`dropout '${layer.name}' needs a rate in [0, 1), got ${layer.rate}`);
      if (nodes[from].units !== layer.units) throw new Error(`dropout '${layer.name}' has ${layer.units} units but '${nodes[from].name}' has ${nodes[from].units}`);
      nodes.push({ kind: "dropout", index, name: layer.name, units: layer.units, from, rate: layer.rate });
    } else {
      const from = layer.from.map((name) => nodeIndex(names, name, layer.name));
      if (from.length === 0) throw new Error(`layer '${layer.name}' needs at least one operand`);
      const offsets: number[] = [];
      let total = 0;
      for (const f of from) {
        offsets.push(total);
        total += nodes[f].units;
        if (layer.kind === "add" && nodes[f].units !== layer.units) {
          throw new Error(`add '${layer.name}' has ${layer.units} units but operand '${nodes[f].name}' has ${nodes[f].units}`);
        }
      }
      if (layer.kind === "concat" && total !== layer.units) {
        throw new Error(`concat '${layer.name}' declares ${layer.units} units but its parts sum to ${total}`);
      }
      nodes.push({ kind: layer.kind, index, name: layer.name, units: layer.units, from, offsets });
    }
    names.set(layer.name, index);
  }
  return nodes;
}

export function sources(node: NetworkNode): number[] {
  return node.kind === "input" ? [] : node.kind === "dense" || node.kind === "dropout" ? [node.from] : node.from;
}

function markReaching(nodes: NetworkNode[], output: number): boolean[] {
  const reaches = nodes.map((_, i) => i === output);
  for (let n = output; n > 0; n--) {
    if (!reaches[n]) continue;
    for (const f of sources(nodes[n])) reaches[f] = true;
  }
  return reaches;
}

// Backward visits nodes from the output down; for each node, its successors'
// edges in that order. The first edge to reach a node overwrites its δ buffer.
function planEdges(nodes: NetworkNode[], reaches: boolean[]): BackwardEdge[][] {
  const incoming: BackwardEdge[][] = nodes.map(() => []);
  for (let n = nodes.length - 1; n > 0; n--) {
    const node = nodes[n];
    if (!reaches[n]) continue;
    sources(node).forEach((f, part) => {
      if (f === 0) return;
      const start = node.kind === "concat" ? node.offsets[part] : 0;
      const contribution = node.kind === "dense" ? "transposed-weights" : node.kind === "concat" ? "row-slice" : "identity";
      const end = start + nodes[f].units;
      incoming[f].push({ successor: n, contribution, start, end, overwrite: incoming[f].length === 0 });
    });
  }
  return incoming;
}

export function createNetwork(spec: NetworkSpec, options: NetworkOptions = {}): Network {
  if (!(spec.input.units > 0)) throw new Error(`input '${spec.input.name}' needs a positive number of units`);
  if (spec.layers.length === 0) throw new Error(`network '${spec.name}' has no layers`);
  const nodes = buildNodes(spec, Rng.derive(options.seed ?? 1, "weights"), options.initialise ?? true);
  const output = nodes.length - 1;
  const outputNode = nodes[output];
  const outputActivation = outputNode.kind === "dense" ? outputNode.activation : activationOf({ name: "identity" });
  for (const node of nodes) {
    if (node.kind === "dense" && node.activation.name === "softmax" && node.index !== output) {
      throw new Error(`softmax is only allowed on the output layer, not on '${node.name}'`);
    }
  }
  if (outputNode.kind === "dropout") throw new Error(`dropout '${outputNode.name}' cannot be the output layer; put a dense layer after it`);
  if (spec.huberDelta !== undefined && !(spec.huberDelta > 0)) throw new Error(`huber's delta must be positive, got ${spec.huberDelta}`);
  const reachesOutput = markReaching(nodes, output);
  return {
    name: spec.name, spec, nodes, dense: nodes.filter((n): n is DenseNode => n.kind === "dense"), output,
    loss: spec.loss, rule: outputRule(spec.loss, outputActivation), kernel: options.kernel ?? defaultKernel(jsKernel),
    incoming: planEdges(nodes, reachesOutput), reachesOutput, workspaces: new Map(),
    hasDropout: nodes.some((n) => n.kind === "dropout"), dropoutMode: "off", dropoutRng: Rng.derive(options.seed ?? 1, "dropout"),
    huberDelta: spec.huberDelta ?? 1,
  };
}

/** The buffers for batches of m examples, built on first use. */
export function workspaceFor(network: Network, m: number): Workspace {
  let ws = network.workspaces.get(m);
  if (!ws) {
    ws = buildWorkspace(network, m);
    network.workspaces.set(m, ws);
  }
  return ws;
}

export function totalParameters(network: Network): number {
  return network.dense.reduce((sum, d) => sum + d.weights.data.length + d.bias.length, 0);
}
