/**
 * The names an expression reads at the current point: the quantities of the
 * layers, the batch and the run, and with example(k) one example's own (its
 * column of a batched quantity, its cost Cₓ, its gradients δₓ(aₓˡ⁻¹)ᵀ).
 */
import { closest } from "../language/index";
import type { NetworkNode, Stepper } from "../engine/index";
import { columnOf, exampleCost, exampleGradients } from "./example";
import { ExprError, NotComputedError, type Lookup } from "./expr";
import { quantity, type Family } from "./inspect";
import type { Value } from "./values";

const familyAliases: Record<string, Family> = {
  W: "W", b: "b", z: "z", a: "a", delta: "delta", δ: "delta", d: "delta", dW: "dW", db: "db", ΔW: "ΔW", Δb: "Δb", DW: "ΔW", Db: "Δb", mask: "mask",
};

/** The names an expression may read at the current point. */
export function lookupFor(stepper: Stepper): Lookup {
  const network = stepper.network;
  const nodeNamed = (name: string): NetworkNode => {
    const node = network.nodes.find((n) => n.name === name);
    if (node) return node;
    const hint = closest(name, network.nodes.map((n) => n.name));
    throw new ExprError(`no layer named '${name}'${hint ? `; did you mean '${hint}'?` : ""}`);
  };
  const read = (family: Family, name: string): Value => {
    const node = nodeNamed(name);
    const q = quantity(stepper, node, family);
    if ("missing" in q) throw new (q.later ? NotComputedError : ExprError)(`${family}.${name}: ${q.missing}`);
    return q.value;
  };
  const batch = (family: string | undefined, name: string): Value => {
    if (family !== undefined) {
      const f = familyAliases[family];
      if (!f) throw new ExprError(`unknown quantity '${family}' in '${family}.${name}' (quantities: W, b, z, a, delta, dW, db, ΔW, Δb, mask)`);
      return read(f, name);
    }
    if (network.nodes.some((n) => n.name === name)) return read("a", name);
    const ws = stepper.workspace;
    const out = network.nodes[network.output];
    switch (name) {
      case "x": return read("a", network.nodes[0].name);
      case "y": return { rows: out.units, cols: ws?.batch ?? 0, data: ws ? ws.targets.slice() : new Float64Array(0) };
      case "m": return ws?.batch ?? 0;
      case "C": case "loss":
        if (!stepper.computed("loss", network.output)) throw new NotComputedError("C is not yet computed in this step (loss C computes it)");
        return stepper.loss;
      case "lr": return stepper.lr;
      case "step": return stepper.updates;
      case "epoch": return stepper.epoch;
    }
    const names = [...network.nodes.map((n) => n.name), "x", "y", "m", "C", "lr", "step", "epoch"];
    const hint = closest(name, names);
    throw new ExprError(`unknown name '${name}'${hint ? `; did you mean '${hint}'?` : ""} (layers are read as W.${network.nodes[1]?.name ?? "h1"}, delta.…, z.…, a.…)`);
  };
  return (family, name, example) => (example === undefined ? batch(family, name) : ofExample(stepper, batch, family, name, example));
}

// example(k).…: the example's column of a batched quantity, or its own cost and gradients (backprop §6.4)
function ofExample(stepper: Stepper, batch: Lookup, family: string | undefined, name: string, k: number): Value {
  const m = stepper.workspace?.batch ?? 0;
  if (k < 1 || k > m) throw new ExprError(`example ${k} is outside 1…${m}: this batch has m = ${m} examples, counted from 1 as Step Into counts them`);
  const j = k - 1;
  const what = `example(${k}).${family !== undefined ? `${family}.` : ""}${name}`;
  const f = family !== undefined ? familyAliases[family] : undefined;
  if (family === undefined && (name === "C" || name === "loss")) {
    batch(undefined, "C"); // says when the loss is not yet computed
    return exampleCost(stepper, j);
  }
  if (family === undefined && ["m", "lr", "step", "epoch"].includes(name)) throw new ExprError(`${what}: ${name} belongs to the batch, not to one example; write ${name}`);
  if (f === "W" || f === "b" || f === "ΔW" || f === "Δb") throw new ExprError(`${what}: ${family}.${name} is the layer's own, the same for every example; write ${family}.${name}`);
  if (f === "dW" || f === "db") {
    const value = batch(family, name); // says when the gradients are not yet computed
    const node = stepper.network.nodes.find((n) => n.name === name);
    if (node?.kind !== "dense" || typeof value === "number") return value;
    const own = exampleGradients(stepper, node, j);
    return f === "dW" ? own.dW : own.db;
  }
  const value = batch(family, name);
  return typeof value === "number" ? value : columnOf(value, j);
}

