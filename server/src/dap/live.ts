/**
 * The values an editor shows beside the source while the run is stopped: per
 * layer, the norms for an inline value and the layer's quantities for its
 * hover. Served as the custom request `nnet/layerValues`, so that any client
 * can draw them; the numbers are those of the Variables view.
 */
import type { Stepper } from "../engine/index";
import { layerVariables, pointName, quantity, type Family } from "./inspect";
import type { Program } from "./program";
import { norm, short } from "./values";

export interface LayerValues {
  layer: string;
  /** 0-based, the line the layer is declared on */
  line: number;
  /** `‖δ‖ = 0.083  ‖∂C/∂W‖ = 0.012`: the norms this step has computed so far; empty before any */
  inline: string;
  /** the layer's quantities, one `name: value` line each, as the Variables view shows them */
  quantities: string[];
  /** where the run stands, for a heading */
  at: string;
}

const inlineNorms: [Family, string][] = [["a", "‖a‖"], ["delta", "‖δ‖"], ["dW", "‖∂C/∂W‖"]];

export function layerValues(stepper: Stepper, program: Program): LayerValues[] {
  const point = stepper.point;
  if (!point) return [];
  const at = `${pointName(stepper, point)}, step ${stepper.batchInEpoch + 1} of epoch ${stepper.epoch}`;
  return stepper.network.nodes.slice(1).flatMap((node) => {
    const line = program.lines.layers.get(node.name);
    if (line === undefined) return [];
    const norms: string[] = [];
    for (const [family, label] of inlineNorms) {
      if (family === "dW" && node.kind !== "dense") continue;
      const q = quantity(stepper, node, family);
      if ("value" in q) norms.push(`${label} = ${short(norm(q.value.data))}`);
    }
    const quantities = layerVariables(stepper, node).map((shown) => `${shown.name}: ${shown.value}`);
    return [{ layer: node.name, line, inline: norms.join("  "), quantities, at }];
  });
}

