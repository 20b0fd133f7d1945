/** A network's totals: what one forward and backward pass cost (seed §6.1, §6.3). */
import type { NetworkSpec } from "../../../engine/index";
import { graphOf, predecessors } from "../deltas/index";
import type { RunRecord } from "../run";
import { formatNumber, lastRunLines } from "./run";

export interface NetworkCosts {
  parameters: number;
  /** nodes of the layer graph: the input and every layer */
  nodes: number;
  /** edges of the layer graph */
  edges: number;
  /** unit-to-unit connections, one per weight */
  connections: number;
  forwardMultiplyAdds: number;
  /** BP2's (W)ᵀδ for every dense layer not fed by the input, plus BP4's δ aᵀ for every dense layer */
  backwardMultiplyAdds: number;
  /** numbers the forward pass keeps for the backward pass, per example: every z and a (seed §6.1) */
  cachedValues: number;
  outputs: number;
}

export function networkCosts(spec: NetworkSpec): NetworkCosts {
  const graph = graphOf(spec);
  let parameters = 0;
  let forward = 0;
  let backward = 0;
  let cached = spec.input.units;
  let edges = 0;
  for (const layer of spec.layers) {
    edges += predecessors(layer).length;
    if (layer.kind !== "dense") {
      cached += layer.units;
      continue;
    }
    const weights = layer.units * (graph.units.get(layer.from) ?? 0);
    parameters += weights + layer.units;
    forward += weights;
    backward += weights + (layer.from === spec.input.name ? 0 : weights);
    cached += 2 * layer.units;
  }
  return {
    parameters, nodes: spec.layers.length + 1, edges, connections: forward, forwardMultiplyAdds: forward,
    backwardMultiplyAdds: backward, cachedValues: cached, outputs: spec.layers[spec.layers.length - 1]?.units ?? 0,
  };
}

const count = (value: number): string => value.toLocaleString("en-US");

function bytes(value: number): string {
  if (value < 1024) return `${value} B`;
  if (value < 1024 ** 2) return `${formatNumber(value / 1024)} KiB`;
  return `${formatNumber(value / 1024 ** 2)} MiB`;
}

export function networkHover(spec: NetworkSpec, batch: number | undefined, run?: RunRecord): string {
  const costs = networkCosts(spec);
  const backprop = costs.forwardMultiplyAdds + costs.backwardMultiplyAdds;
  const naive = costs.parameters * costs.forwardMultiplyAdds;
  const m = batch ?? 32;
  const lines = [
    `**network \`${spec.name}\`** — ${spec.layers.length} layers, input ${spec.input.units} → output ${costs.outputs}, loss ${spec.loss.replace(/_/g, "\\_")}`,
    `**Parameters**: ${count(costs.parameters)}`,
    `**Graph**: ${costs.nodes} nodes, ${costs.edges} edges (layer to layer), ${count(costs.connections)} unit-to-unit connections`,
    `**Per example**: forward ${count(costs.forwardMultiplyAdds)} multiply-adds · backward ${count(costs.backwardMultiplyAdds)} (BP2's (Wˡ)ᵀδˡ and BP4's δˡ(aˡ⁻¹)ᵀ)`,
    `**Cached by the forward pass**: ${count(costs.cachedValues)} values of z and a per example = ${bytes(costs.cachedValues * 8)} in float64, ${bytes(costs.cachedValues * 8 * m)} for a batch of ${m}`,
    `**Naive forward mode**: one pass per parameter, ${count(costs.parameters)} × ${count(costs.outputs)} parameter–output derivatives, ≈ ${count(naive)} multiply-adds per example — ${formatNumber(naive / Math.max(1, backprop))}× backprop's ${count(backprop)}, which is linear in the edges`,
  ];
  if (run) lines.push(`**Last run**  \n${lastRunLines(spec, run).join("  \n")}`);
  return lines.join("\n\n");
}
