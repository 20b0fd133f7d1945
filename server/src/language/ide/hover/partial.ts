/** A layer's hover while its network has errors: what the checker could infer, and why the rest waits. */
import type { LayerModel, NetworkModel } from "../../semantics/index";
import { escapeMarkdown, realSpace, superscript } from "../../formula/index";

export const NOT_COMPILED = "_Fix the errors in this network to see its backpropagation equations._";

function inputUnits(network: NetworkModel, layer: LayerModel): number | undefined {
  const source = layer.inputs[0]?.target;
  if (source === undefined) return undefined;
  return source === network.input?.name ? network.input.units : network.layerByName.get(source)?.units;
}

export function partialLayerHover(network: NetworkModel, layer: LayerModel): string {
  const lines = [`**\`${layer.name}\`** — ${layer.kind ?? "layer"}${layer.units !== undefined ? ` ${layer.units}` : ""}${layer.activation ? ` ${escapeMarkdown(layer.activation.name)}` : ""}, layer ${layer.index + 1} of ${network.layers.length}`];
  const fanIn = inputUnits(network, layer);
  if (layer.kind === "dense" && layer.units !== undefined && fanIn !== undefined) {
    const name = superscript(layer.name);
    lines.push(`z${name} = W${name} a + b${name}, with W${name} ∈ ${realSpace(layer.units, fanIn)}, b${name} ∈ ${realSpace(layer.units)} · ${layer.params.toLocaleString("en-US")} parameters`);
  }
  lines.push(NOT_COMPILED);
  return lines.join("\n\n");
}
