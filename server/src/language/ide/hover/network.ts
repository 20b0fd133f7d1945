/** A network's totals: what one forward and backward pass cost (backprop §6.1, §6.3). */
import type { NetworkSpec, PassCosts } from "../../../engine/index";
import { networkSummary, type NetworkModel } from "../../semantics/index";
import { escapeMarkdown, graphOf } from "../../formula/index";
import type { RunRecord } from "../run";
import { NOT_COMPILED } from "./partial";
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

/** Past this many, a hover lists the count of the rest. */
const shownErrors = 5;

/**
 * A network the engine cannot run yet: its layers as the checker sees them
 * (the table of `nnet summary`) and what stops it, plainly: the checker's
 * errors inside it (a layer reading one declared below it is one), or the
 * engine's reason when the checker found none.
 */
export function unplannedNetworkHover(network: NetworkModel, errors: { line: number; message: string }[], planError: string | undefined): string {
  const summary = networkSummary(network);
  const layers = summary.layers.filter((layer) => layer.kind !== "input");
  const units = (value: number | undefined): string => (value !== undefined && value > 0 ? String(value) : "?");
  const lines = [
    `**network \`${escapeMarkdown(summary.network)}\`** — ${layers.length} layers, input ${units(network.input?.units)} → output ${units(layers[layers.length - 1]?.units)}${summary.loss ? `, loss ${escapeMarkdown(summary.loss)}` : ""}`,
  ];
  if (summary.layers.length > 0) {
    lines.push([
      "| layer | kind | from | units | activation |",
      "|---|---|---|---|---|",
      ...summary.layers.map((layer) => `| ${escapeMarkdown(layer.name)} | ${layer.kind} | ${layer.from.map(escapeMarkdown).join(", ") || "—"} | ${units(layer.units)} | ${layer.activation ? escapeMarkdown(layer.activation) : "—"} |`),
    ].join("\n"));
  }
  const reasons = errors.slice(0, shownErrors).map((error) => `- line ${error.line}: ${escapeMarkdown(error.message)}`);
  if (errors.length > shownErrors) reasons.push(`- and ${errors.length - shownErrors} more`);
  if (reasons.length === 0 && planError) reasons.push(`- ${escapeMarkdown(planError)}`);
  if (reasons.length > 0) lines.push(`**Cannot be planned yet**: the engine cannot order and run this network's passes until these are fixed:\n${reasons.join("\n")}`);
  lines.push(NOT_COMPILED);
  return lines.join("\n\n");
}
