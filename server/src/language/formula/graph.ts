import { networkPlan, type LayerSpec, type NetworkPlan, type NetworkSpec } from "../../engine/index";

/** One edge a → s of the network's layer graph, seen from its source a. */
export interface OutgoingEdge {
  /** the successor s */
  to: LayerSpec;
  /** for a concat successor: the rows [start, end) of δˢ that belong to this operand */
  start: number;
  end: number;
}

/** The engine's plan of a NetworkSpec, by layer name, for the equations. */
export interface LayerGraph {
  spec: NetworkSpec;
  plan: NetworkPlan;
  /** l for each layer (1-based, input = 0) */
  index: Map<string, number>;
  units: Map<string, number>;
  layer: Map<string, LayerSpec>;
  successors: Map<string, OutgoingEdge[]>;
  output: LayerSpec | undefined;
  /** paths from each layer to the output (backprop §6.3's path sum) */
  paths: Map<string, number>;
}

const graphs = new WeakMap<NetworkSpec, LayerGraph>();

/** The layer graph of a spec, built once per spec object (a hover on a 1,000-layer file stays cheap). */
export function graphOf(spec: NetworkSpec): LayerGraph {
  let graph = graphs.get(spec);
  if (!graph) graphs.set(spec, (graph = layerGraph(spec)));
  return graph;
}

export function predecessors(layer: LayerSpec): string[] {
  return layer.kind === "dense" || layer.kind === "dropout" ? [layer.from] : layer.from;
}

/** Names for the plan's node indices; throws where the engine could not plan the spec. */
export function layerGraph(spec: NetworkSpec): LayerGraph {
  const plan = networkPlan(spec);
  const specOfNode = (index: number): LayerSpec => spec.layers[index - 1]!;
  const graph: LayerGraph = {
    spec, plan, index: new Map(), units: new Map(), layer: new Map(), successors: new Map(), paths: new Map(),
    output: spec.layers[plan.output - 1],
  };
  for (const node of plan.nodes) {
    graph.index.set(node.name, node.index);
    graph.units.set(node.name, node.units);
    if (node.index > 0) {
      graph.layer.set(node.name, specOfNode(node.index));
      graph.paths.set(node.name, node.paths);
    }
    graph.successors.set(node.name, node.successors.map((edge) => ({ to: specOfNode(edge.successor), start: edge.start, end: edge.end })));
  }
  return graph;
}

/** Number of directed paths from each layer to the output (backprop §6.3's path sum), as the engine's plan counts them. */
export function pathCounts(graph: LayerGraph): Map<string, number> {
  return graph.paths;
}
