import type { LayerSpec, NetworkSpec } from "../../../engine/index";

/** One edge a → s of the network's layer graph, seen from its source a. */
export interface OutgoingEdge {
  /** the successor s */
  to: LayerSpec;
  /** for a concat successor: the rows [start, end) of δˢ that belong to this operand */
  start: number;
  end: number;
}

/** The layer graph of a NetworkSpec with the facts the equations need. */
export interface LayerGraph {
  spec: NetworkSpec;
  /** l for each layer (1-based, input = 0) */
  index: Map<string, number>;
  units: Map<string, number>;
  layer: Map<string, LayerSpec>;
  successors: Map<string, OutgoingEdge[]>;
  output: LayerSpec | undefined;
  /** paths from each layer to the output, filled on first use */
  paths?: Map<string, number>;
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

export function layerGraph(spec: NetworkSpec): LayerGraph {
  const index = new Map<string, number>([[spec.input.name, 0]]);
  const units = new Map<string, number>([[spec.input.name, spec.input.units]]);
  const layer = new Map<string, LayerSpec>();
  const successors = new Map<string, OutgoingEdge[]>([[spec.input.name, []]]);
  spec.layers.forEach((each, position) => {
    index.set(each.name, position + 1);
    units.set(each.name, each.units);
    layer.set(each.name, each);
    successors.set(each.name, []);
  });
  for (const each of spec.layers) {
    let offset = 0;
    for (const source of predecessors(each)) {
      const size = units.get(source) ?? 0;
      const edge = each.kind === "concat"
        ? { to: each, start: offset, end: offset + size }
        : { to: each, start: 0, end: size };
      successors.get(source)?.push(edge);
      offset += size;
    }
  }
  return { spec, index, units, layer, successors, output: spec.layers[spec.layers.length - 1] };
}

/** Number of directed paths from each layer to the output (seed §6.3's path sum). */
export function pathCounts(graph: LayerGraph): Map<string, number> {
  if (graph.paths) return graph.paths;
  const counts = new Map<string, number>();
  graph.paths = counts;
  const layers = graph.spec.layers;
  for (let position = layers.length - 1; position >= 0; position--) {
    const name = layers[position]!.name;
    const edges = graph.successors.get(name) ?? [];
    const count = layers[position] === graph.output
      ? 1
      : edges.reduce((total, edge) => total + (counts.get(edge.to.name) ?? 0), 0);
    counts.set(name, count);
  }
  return counts;
}
