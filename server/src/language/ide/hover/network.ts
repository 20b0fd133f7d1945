/** A network's totals: what one forward and backward pass cost (backprop §6.1, §6.3). */
import type { NetworkSpec, PassCosts } from "../../../engine/index";
import { graphOf } from "../deltas/index";
import type { RunRecord } from "../run";
import { formatNumber, lastRunLines } from "./run";

/** The engine's own counts for the network, from the plan `createNetwork` runs. */
export function networkCosts(spec: NetworkSpec): PassCosts {
  return graphOf(spec).plan.costs;
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
    `**Graph**: ${costs.nodes} nodes, ${costs.edges} edges (layer to layer), ${count(costs.forwardMultiplyAdds)} unit-to-unit connections`,
    `**Per example**: forward ${count(costs.forwardMultiplyAdds)} multiply-adds · backward ${count(costs.backwardMultiplyAdds)} (BP2's (Wˡ)ᵀδˡ and BP4's δˡ(aˡ⁻¹)ᵀ)`,
    `**Cached by the forward pass**: ${count(costs.cachedValuesPerExample)} values of z and a per example = ${bytes(costs.cachedValuesPerExample * 8)} in float64, ${bytes(costs.cachedValuesPerExample * 8 * m)} for a batch of ${m}`,
    `**Naive forward mode**: one pass per parameter, ${count(costs.parameters)} × ${count(costs.outputs)} parameter–output derivatives, ≈ ${count(naive)} multiply-adds per example — ${formatNumber(naive / Math.max(1, backprop))}× backprop's ${count(backprop)}, which is linear in the edges`,
  ];
  if (run) lines.push(`**Last run**  \n${lastRunLines(spec, run).join("  \n")}`);
  return lines.join("\n\n");
}
