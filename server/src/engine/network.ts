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
import type { Matrix } from "./matrix";
import { networkPlan, type BackwardEdge, type NetworkPlan } from "./plan";
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
  /** W, units × fanIn: W_jk weighs unit k of the source for unit j (backprop §1) */
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

export interface Network {
  name: string;
  spec: NetworkSpec;
  nodes: NetworkNode[];
  dense: DenseNode[];
  output: number;
  loss: LossName;
  rule: OutputRule;
  kernel: Kernel;
  /** the node order, edges and caches this network runs (`networkPlan`) */
  plan: NetworkPlan;
  /** per node, the edges from its successors, in the order backward visits them */
  incoming: BackwardEdge[][];
  /** per node, whether it lies on a path to the output (others get δ = 0) */
  reachesOutput: boolean[];
  /** the last node the forward pass reads a⁰ for: after it, a⁰ may take the next batch */
  lastInputReader: number;
  workspaces: Map<number, Workspace>;
  last?: Workspace;
  /** whether the network has dropout layers, and how they run now */
  hasDropout: boolean;
  dropoutMode: DropoutMode;
  /** the stream dropout masks are drawn from in "draw" mode */
  dropoutRng: Rng;
  /** huber's δ (spec.huberDelta, default 1) */
  huberDelta: number;
  /** where parameters and workspaces live: in the kernel's memory when it has one of its own (Kernel.allocate) */
  allocate: (length: number) => Float64Array;
}

export interface NetworkOptions {
  seed?: number;
  kernel?: Kernel;
  /** false leaves W at zero, for weights that are loaded next (a saved model) */
  initialise?: boolean;
}

// Parameters and sizes that must agree for the passes to run; the plan has
// already resolved every name.
function buildNodes(spec: NetworkSpec, plan: NetworkPlan, rng: Rng, initialise: boolean, allocate: (length: number) => Float64Array): NetworkNode[] {
  const zeros = (rows: number, cols: number): Matrix => ({ rows, cols, data: allocate(rows * cols) });
  return plan.nodes.map((step): NetworkNode => {
    if (step.kind === "input") return { kind: "input", index: 0, name: step.name, units: step.units };
    const layer = spec.layers[step.index - 1]!;
    if (layer.kind === "dense") {
      const weights = zeros(step.units, step.fanIn);
      if (initialise) initialiseWeights(layer.init, weights.data, step.units, step.fanIn, rng);
      return {
        kind: "dense", index: step.index, name: step.name, units: step.units, from: step.from[0]!, fanIn: step.fanIn,
        activation: activationOf(layer.activation), spec: layer, weights, bias: allocate(step.units),
        weightGradient: zeros(step.units, step.fanIn), biasGradient: allocate(step.units),
      };
    }
    if (layer.kind === "dropout") {
      const from = plan.nodes[step.from[0]!]!;
      if (!(layer.rate >= 0 && layer.rate < 1)) throw new Error(`dropout '${step.name}' needs a rate in [0, 1), got ${layer.rate}`);
      if (from.units !== step.units) throw new Error(`dropout '${step.name}' has ${step.units} units but '${from.name}' has ${from.units}`);
      return { kind: "dropout", index: step.index, name: step.name, units: step.units, from: from.index, rate: layer.rate };
    }
    const operands = step.from.map((f) => plan.nodes[f]!);
    if (layer.kind === "add") {
      const wrong = operands.find((operand) => operand.units !== step.units);
      if (wrong) throw new Error(`add '${step.name}' has ${step.units} units but operand '${wrong.name}' has ${wrong.units}`);
    }
    const total = operands.reduce((sum, operand) => sum + operand.units, 0);
    if (layer.kind === "concat" && total !== step.units) {
      throw new Error(`concat '${step.name}' declares ${step.units} units but its parts sum to ${total}`);
    }
    return { kind: layer.kind, index: step.index, name: step.name, units: step.units, from: step.from, offsets: step.offsets };
  });
}

export function sources(node: NetworkNode): number[] {
  return node.kind === "input" ? [] : node.kind === "dense" || node.kind === "dropout" ? [node.from] : node.from;
}

export function createNetwork(spec: NetworkSpec, options: NetworkOptions = {}): Network {
  const plan = networkPlan(spec);
  // only a kernel the caller chose holds the arrays: the shared default kernel's memory would only grow
  const allocate = options.kernel?.allocate?.bind(options.kernel) ?? ((length: number) => new Float64Array(length));
  const nodes = buildNodes(spec, plan, Rng.derive(options.seed ?? 1, "weights"), options.initialise ?? true, allocate);
  const output = plan.output;
  const outputNode = nodes[output];
  const outputActivation = outputNode.kind === "dense" ? outputNode.activation : activationOf({ name: "identity" });
  for (const node of nodes) {
    if (node.kind === "dense" && node.activation.name === "softmax" && node.index !== output) {
      throw new Error(`softmax is only allowed on the output layer, not on '${node.name}'`);
    }
  }
  if (outputNode.kind === "dropout") throw new Error(`dropout '${outputNode.name}' cannot be the output layer; put a dense layer after it`);
  if (spec.huberDelta !== undefined && !(spec.huberDelta > 0)) throw new Error(`huber's delta must be positive, got ${spec.huberDelta}`);
  return {
    name: spec.name, spec, nodes, dense: nodes.filter((n): n is DenseNode => n.kind === "dense"), output,
    loss: spec.loss, rule: outputRule(spec.loss, outputActivation), kernel: options.kernel ?? defaultKernel(jsKernel),
    plan, incoming: plan.nodes.map((node) => node.backward), reachesOutput: plan.nodes.map((node) => node.reachesOutput),
    lastInputReader: nodes.reduce((last, node, n) => (node.kind !== "input" && readsInput(node) ? n : last), 0),
    workspaces: new Map(),
    hasDropout: nodes.some((n) => n.kind === "dropout"), dropoutMode: "off", dropoutRng: Rng.derive(options.seed ?? 1, "dropout"),
    huberDelta: spec.huberDelta ?? 1, allocate,
  };
}

function readsInput(node: DenseNode | JoinNode | DropoutNode): boolean {
  return Array.isArray(node.from) ? node.from.includes(0) : node.from === 0;
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
