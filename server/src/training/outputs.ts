/** What a run's output units are called: class labels, or the names of its values (CSV target columns where they are known). */
import { outputKind } from "../engine/index";
import type { ModelOutputs } from "../model/index";
import type { JobRequest } from "./messages";

export function outputsOf(request: JobRequest, classes: string[] | undefined): ModelOutputs {
  const layers = request.network.layers;
  const out = layers[layers.length - 1];
  if (outputKind(request.network) === "classes") {
    const count = out.units === 1 ? 2 : out.units;
    return { kind: "classes", labels: Array.from({ length: count }, (_, i) => classes?.[i] ?? String(i)) };
  }
  const targets = request.data.csv?.targetKind === "regression" ? request.data.csv.targets : undefined;
  const names = targets?.length === out.units ? targets : Array.from({ length: out.units }, (_, i) => (out.units === 1 ? out.name : `${out.name}[${i}]`));
  return { kind: "values", names };
}
