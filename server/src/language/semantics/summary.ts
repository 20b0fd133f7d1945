/** A network as the Keras-style table of `nnet summary` and the training panel. */
import type { LayerSummary, NetworkSummary } from "../../protocol/index";
import type { NetworkModel } from "./model";

export function networkSummary(network: NetworkModel): NetworkSummary {
  const layers: LayerSummary[] = [];
  if (network.input) layers.push({ name: network.input.name, kind: "input", units: network.input.units ?? 0, from: [], params: 0 });
  for (const layer of network.layers) {
    layers.push({
      name: layer.name,
      kind: layer.kind ?? "dense",
      units: layer.units ?? 0,
      ...(layer.kind === "dense" && layer.activation ? { activation: layer.activation.name } : {}),
      from: layer.inputs.map((input) => input.name.text),
      params: layer.params,
    });
  }
  return { network: network.name ?? "", loss: network.loss ?? "", layers, totalParams: network.totalParams };
}
