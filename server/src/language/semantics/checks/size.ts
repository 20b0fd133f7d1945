/** The network's size against what training can hold (docs/diagnostics.md, nnet/too-many-parameters). */
import type * as ast from "../../syntax/ast";
import type { LayerModel, NetworkModel } from "../model";
import { maxParameters } from "../ranges";
import type { NetworkCheck } from "./registry";

// Float64 weights, their gradient and the optimizer's first moment; adam keeps a second (engine/optimizers.ts).
const arraysPerParameter = (adam: boolean): number => (adam ? 4 : 3);

function usesAdam(network: NetworkModel): boolean {
  const value = network.trainBlocks[0]?.settings.find((setting) => setting.key?.text === "optimizer")?.value;
  return value?.kind === "call" && value.name?.text === "adam";
}

function bytesText(bytes: number): string {
  const units = [["GB", 1e9], ["MB", 1e6], ["kB", 1e3]] as const;
  const [unit, size] = units.find(([, size]) => bytes >= size) ?? ["bytes", 1];
  const value = bytes / size;
  return `${value < 1e6 ? Number(value.toPrecision(3)).toLocaleString("en-US") : value.toExponential(2)} ${unit}`;
}

const number = (n: number): string => (n < 1e15 ? n.toLocaleString("en-US") : n.toExponential(2));

function spanOf(layer: LayerModel): ast.Span {
  const body = layer.entry.body;
  return body?.kind === "dense" && body.units ? body.units.span : layer.entry.name!.span;
}

export const parameterLimit: NetworkCheck = {
  name: "parameter-limit",
  run(network, accept) {
    let total = 0;
    for (const layer of network.layers) {
      total += layer.params;
      if (total <= maxParameters) continue;
      const adam = usesAdam(network);
      accept("error", "nnet/too-many-parameters", spanOf(layer),
        `the network has ${number(total)} parameters up to layer '${layer.name}' (${number(layer.params)} in this layer), more than the limit of ${number(maxParameters)}: `
        + `${bytesText(total * 8)} of float64 weights, ${bytesText(total * 8 * arraysPerParameter(adam))} to train with ${adam ? "adam" : "sgd"} (weights, gradients and optimizer state); use fewer units`);
      return;
    }
  },
};
