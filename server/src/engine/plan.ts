/**
 * The network as plain data, built once from a NetworkSpec: the nodes in the
 * order the forward pass runs them, each node's successors, the edges along
 * which δ flows back, what the forward pass caches, and what each pass costs.
 * `createNetwork` runs this plan and the hovers state it, so every figure a
 * hover gives is the engine's own (ARCHITECTURE invariant 3).
 */
import type { LayerSpec, NetworkSpec } from "./spec";

export type NodeKind = "input" | LayerSpec["kind"];

/** How δ of a successor reaches its operand (backprop §3, §5). */
export type Contribution = "transposed-weights" | "identity" | "row-slice";

/** What each kind of layer means to the plan; a new kind adds its row here. */
interface KindRule {
  /** what its δ contributes to each operand's δ */
  contribution: Contribution;
  /** whether its operands are stacked (each gets its own rows) rather than overlaid */
  stacked: boolean;
  /** whether it has weights, and so a z of its own before the activation */
  weighted: boolean;
}

const kindRules: Record<LayerSpec["kind"], KindRule> = {
  dense: { contribution: "transposed-weights", stacked: false, weighted: true },
  add: { contribution: "identity", stacked: false, weighted: false },
  concat: { contribution: "row-slice", stacked: true, weighted: false },
  // δ passes back through the same mask: the mask is applied where the node's own δ is formed
  dropout: { contribution: "identity", stacked: false, weighted: false },
};

/** One edge source → successor, seen from the source. */
export interface PlanEdge {
  successor: number;
  contribution: Contribution;
  /** the rows [start, end) of the successor's δ that belong to this source: a slice for a stacked successor, else all */
  start: number;
  end: number;
}

/** A backward edge: the first one processed for a node writes its δ, later ones add. */
export interface BackwardEdge extends PlanEdge {
  overwrite: boolean;
}

export interface PlanNode {
  index: number;
  name: string;
  kind: NodeKind;
  units: number;
  /** the operands' node indices, in the order written */
  from: number[];
  /** per operand, its first row in this node's input (stacked kinds), else 0 */
  offsets: number[];
  /** rows of the input a weighted node multiplies: its operand's units */
  fanIn: number;
  /** every edge to a later node, in forward order */
  successors: PlanEdge[];
  /** the edges the backward pass reads δ along: from successors on a path to the output, last successor first */
  backward: BackwardEdge[];
  /** on a path to the output; others get δ = 0 */
  reachesOutput: boolean;
  /** directed paths from this node to the output (backprop §6.3's sum over paths) */
  paths: number;
  /** the forward pass keeps z apart from a (weighted nodes whose activation is not the identity) */
  cachesZ: boolean;
  /** values per example the forward pass writes and the backward pass reads: z and a, once when a is z; 0 for the input */
  cachedValues: number;
}

export interface PassCosts {
  parameters: number;
  /** nodes of the graph: the input and every layer */
  nodes: number;
  /** edges of the graph, operand to layer */
  edges: number;
  /** Σ units·fan_in over weighted layers: z = W a per example, one multiply-add per weight */
  forwardMultiplyAdds: number;
  /** BP4's δ aᵀ for every weighted layer, plus BP2's (W)ᵀ δ for those on a path to the output and not fed by the input */
  backwardMultiplyAdds: number;
  /** Σ cachedValues: what the forward pass keeps for backward, per example (backprop §6.1) */
  cachedValuesPerExample: number;
  outputs: number;
  /** parameters × outputs: the derivatives naive forward-mode differentiation needs, one pass each (backprop §6.3) */
  forwardModePasses: number;
}

export interface NetworkPlan {
  name: string;
  /** node 0 is the input; the rest in the order the forward pass runs them */
  nodes: PlanNode[];
  output: number;
  costs: PassCosts;
}

function resolve(names: Map<string, number>, name: string, layer: string): number {
  const index = names.get(name);
  if (index === undefined) throw new Error(`layer '${layer}' reads from '${name}', which is not declared before it`);
  return index;
}

function operandsOf(layer: LayerSpec): string[] {
  return layer.kind === "dense" || layer.kind === "dropout" ? [layer.from] : layer.from;
}

function planNode(index: number, name: string, kind: NodeKind, units: number, from: number[], offsets: number[], fanIn: number, cachesZ: boolean): PlanNode {
  // a dropout node keeps its mask beside a
  const cachedValues = kind === "input" ? 0 : units * (cachesZ || kind === "dropout" ? 2 : 1);
  return { index, name, kind, units, from, offsets, fanIn, successors: [], backward: [], reachesOutput: false, paths: 0, cachesZ, cachedValues };
}

function buildNodes(spec: NetworkSpec): PlanNode[] {
  const nodes = [planNode(0, spec.input.name, "input", spec.input.units, [], [], 0, false)];
  const names = new Map<string, number>([[spec.input.name, 0]]);
  for (const layer of spec.layers) {
    if (names.has(layer.name)) throw new Error(`duplicate layer name '${layer.name}'`);
    if (!(layer.units > 0)) throw new Error(`layer '${layer.name}' needs a positive number of units`);
    const from = operandsOf(layer).map((name) => resolve(names, name, layer.name));
    if (from.length === 0) throw new Error(`layer '${layer.name}' needs at least one operand`);
    const rule = kindRules[layer.kind];
    const offsets: number[] = [];
    let stacked = 0;
    for (const f of from) {
      offsets.push(rule.stacked ? stacked : 0);
      stacked += nodes[f]!.units;
    }
    const fanIn = rule.weighted ? nodes[from[0]!]!.units : 0;
    const cachesZ = layer.kind === "dense" && layer.activation.name !== "identity";
    names.set(layer.name, nodes.length);
    nodes.push(planNode(nodes.length, layer.name, layer.kind, layer.units, from, offsets, fanIn, cachesZ));
  }
  return nodes;
}

function linkSuccessors(nodes: PlanNode[]): void {
  for (const node of nodes) {
    if (node.kind === "input") continue;
    const rule = kindRules[node.kind];
    node.from.forEach((f, part) => {
      const start = node.offsets[part]!;
      nodes[f]!.successors.push({ successor: node.index, contribution: rule.contribution, start, end: start + nodes[f]!.units });
    });
  }
}

// Backward visits nodes from the output down, and for each node its
// successors from the last (a successor's operands in the order
// written); the input has no δ.
function linkBackward(nodes: PlanNode[], output: number): void {
  nodes[output]!.reachesOutput = true;
  nodes[output]!.paths = 1;
  for (let n = output - 1; n >= 0; n--) {
    const node = nodes[n]!;
    for (const edge of node.successors) node.paths += nodes[edge.successor]!.paths;
    node.reachesOutput = node.paths > 0;
    if (n === 0) continue;
    const reached = node.successors.filter((edge) => nodes[edge.successor]!.reachesOutput).sort((x, y) => y.successor - x.successor);
    node.backward = reached.map((edge, position) => ({ ...edge, overwrite: position === 0 }));
  }
}

function passCosts(nodes: PlanNode[], output: number): PassCosts {
  let parameters = 0, forward = 0, backward = 0, cached = 0, edges = 0;
  for (const node of nodes) {
    edges += node.from.length;
    cached += node.cachedValues;
    if (node.kind === "input" || !kindRules[node.kind].weighted) continue;
    const weights = node.units * node.fanIn;
    parameters += weights + node.units;
    forward += weights;
    backward += weights + (node.from[0] === 0 || !node.reachesOutput ? 0 : weights);
  }
  const outputs = nodes[output]!.units;
  return {
    parameters, nodes: nodes.length, edges, forwardMultiplyAdds: forward, backwardMultiplyAdds: backward,
    cachedValuesPerExample: cached, outputs, forwardModePasses: parameters * outputs,
  };
}

/** The plan of a spec; throws when a layer reads a name not declared before it. */
export function networkPlan(spec: NetworkSpec): NetworkPlan {
  if (!(spec.input.units > 0)) throw new Error(`input '${spec.input.name}' needs a positive number of units`);
  if (spec.layers.length === 0) throw new Error(`network '${spec.name}' has no layers`);
  const nodes = buildNodes(spec);
  const output = nodes.length - 1;
  linkSuccessors(nodes);
  linkBackward(nodes, output);
  return { name: spec.name, nodes, output, costs: passCosts(nodes, output) };
}
