/**
 * What a name in an expression stands for: a layer's quantity (`delta.h1` is
 * the hover's Δʰ¹ leaf), a run's number (m, C, lr, step, epoch), or one of
 * the hover's own equations by name (`bp1`, `bp2.h1`, `bp3.h1`, `bp4.h1`),
 * which is the very tree `layerDeltas` builds for that layer.
 */
import type { NetworkSpec } from "../../engine/index";
import { closest } from "../suggest";
import { layerDeltas } from "./build";
import { ExprError } from "./errors";
import { activationOf, batched, bias, delta, target, weight, weightedInput, type Expr, type RunScalar } from "./expr";

export type Equation = "BP1" | "BP2" | "BP3" | "BP4";

const scalars: Record<string, RunScalar> = { m: "m", C: "C", loss: "C", lr: "lr", step: "step", epoch: "epoch" };

export const quantityNames = ["W", "b", "z", "a", "delta", "dW", "db", "ΔW", "Δb", "mask"];
export const equationNames = ["bp1", "bp2", "bp3", "bp4"];

type Leaf = (layer: string, single: boolean, spec: NetworkSpec | undefined) => Expr;

const isInput = (spec: NetworkSpec | undefined, name: string): boolean => spec?.input.name === name;

const leaves: Record<string, Leaf> = {
  W: (layer) => weight(layer),
  b: (layer) => bias(layer),
  z: (layer, single) => weightedInput(layer, !single),
  a: (layer, single, spec) => activationOf(layer, isInput(spec, layer), !single),
  delta: (layer, single) => delta(layer, !single),
  dW: (layer) => ({ op: "gradient", param: "W", layer }),
  db: (layer) => ({ op: "gradient", param: "b", layer }),
  ΔW: (layer) => ({ op: "change", param: "W", layer }),
  Δb: (layer) => ({ op: "change", param: "b", layer }),
  mask: (layer, single) => ({ op: "mask", layer, batched: !single }),
};
const aliases: Record<string, string> = { δ: "delta", d: "delta", DW: "ΔW", Db: "Δb" };

/** The hover's tree of BPn for `layer`: the batched form, or one example's with `single`. */
function equation(spec: NetworkSpec | undefined, rule: string, layer: string, single: boolean): Expr {
  const written = `${rule}.${layer}`;
  if (!spec) throw new ExprError(`${written} needs the network the expression is read in`);
  // the unrolled sum over paths is the hover's reading aid, not an equation here: none of its paths is built
  const deltas = layerDeltas(spec, layer, { maxPaths: 0 });
  if (!deltas) {
    if (spec.input.name === layer) throw new ExprError(`${written}: '${layer}' is the input, which has no δ and no parameters`);
    const hint = closest(layer, spec.layers.map((l) => l.name));
    throw new ExprError(`${written}: no layer named '${layer}'${hint ? `; did you mean '${hint}'?` : ""}`);
  }
  const output = spec.layers[spec.layers.length - 1]!.name;
  if (rule === "bp1" && !deltas.output) throw new ExprError(`${written}: BP1 gives δ of the output layer '${output}'; the δ of '${layer}' is bp2.${layer}`);
  if (rule === "bp2" && deltas.output) throw new ExprError(`${written}: '${layer}' is the output layer, whose δ is given by BP1: write bp1`);
  if (rule === "bp1" || rule === "bp2") return single ? deltas.delta : batched(deltas.delta);
  const parameters = rule === "bp3" ? deltas.bp3 : deltas.bp4;
  if (!parameters) {
    const kind = spec.layers.find((l) => l.name === layer)?.kind ?? "";
    throw new ExprError(`${written}: ${kind} layer '${layer}' has no parameters, so no ${rule.toUpperCase()} (∂C/∂${rule === "bp3" ? "b" : "W"}); its δ is bp2.${layer}`);
  }
  return single ? parameters.single : parameters.batched;
}

/** `family.name`; `single` inside example(k), where the leaves are one example's (δ, z, a rather than Δ, Z, A). */
export function qualifiedName(spec: NetworkSpec | undefined, family: string, name: string, single: boolean): Expr {
  if (equationNames.includes(family)) return equation(spec, family, name, single);
  const leaf = leaves[aliases[family] ?? family];
  if (!leaf) throw new ExprError(`unknown quantity '${family}' in '${family}.${name}' (quantities: ${quantityNames.join(", ")}; the hover's equations: ${equationNames.join(", ")})`);
  return leaf(name, single, spec);
}

/** A bare name: a layer (its a), x, y, a run's number, or bp1. */
export function bareName(spec: NetworkSpec | undefined, name: string, single: boolean): Expr {
  const layers = spec ? [spec.input.name, ...spec.layers.map((l) => l.name)] : [];
  if (layers.includes(name)) return activationOf(name, isInput(spec, name), !single);
  if (name === "x") return activationOf(spec?.input.name ?? "x", true, !single);
  if (name === "y") return target(!single);
  const scalar = scalars[name];
  if (scalar) return { op: "runScalar", name: scalar };
  if (name === "bp1") return equation(spec, "bp1", spec?.layers[spec.layers.length - 1]?.name ?? "", single);
  if (!spec) return activationOf(name, false, !single);
  const hint = closest(name, [...layers, "x", "y", "m", "C", "lr", "step", "epoch", "bp1"]);
  throw new ExprError(`unknown name '${name}'${hint ? `; did you mean '${hint}'?` : ""} (layers are read as W.${spec.layers[0]?.name ?? "h1"}, delta.…, z.…, a.…)`);
}

/** When `text` is one equation's name (`bp2.h1`, `bp1`): which, and the quantity it gives (Δʰ¹, ∂C/∂Wʰ¹), to write the equation out. */
export function equationNamed(text: string, spec: NetworkSpec): { rule: Equation; defines: Expr } | undefined {
  const match = /^\s*bp([1-4])(?:\s*\.\s*([\p{L}_∂][\p{L}\p{N}_]*))?\s*$/u.exec(text);
  if (!match) return undefined;
  const n = match[1]!;
  const layer = match[2] ?? (n === "1" ? spec.layers[spec.layers.length - 1]?.name : undefined);
  if (layer === undefined) return undefined;
  const defines: Expr = n === "3" ? { op: "gradient", param: "b", layer } : n === "4" ? { op: "gradient", param: "W", layer } : delta(layer, true);
  return { rule: `BP${n}` as Equation, defines };
}
