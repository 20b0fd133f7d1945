/**
 * The quantities an expression reads at the current point, as the formula
 * model's environment: the layers', the batch's and the run's, and with
 * example(k) one example's own (its column of a batched quantity, its cost
 * Cₓ, its gradients δₓ(aₓˡ⁻¹)ᵀ). A quantity the point has not computed yet
 * throws NotComputedError.
 */
import { closest, ExprError, NotComputedError, type FormulaEnvironment, type RunScalar } from "../language/index";
import type { Matrix, NetworkNode, Stepper } from "../engine/index";
import { columnOf, exampleCost, exampleGradients } from "./example";
import { quantity, type Family } from "./inspect";

const parameterFamily = { W: { gradient: "dW", change: "ΔW" }, b: { gradient: "db", change: "Δb" } } as const;

/** The quantities of the stepper's current point, over the whole batch. */
export function environmentOf(stepper: Stepper): FormulaEnvironment {
  const network = stepper.network;
  const nodeNamed = (name: string): NetworkNode => {
    const node = network.nodes.find((n) => n.name === name);
    if (node) return node;
    const hint = closest(name, network.nodes.map((n) => n.name));
    throw new ExprError(`no layer named '${name}'${hint ? `; did you mean '${hint}'?` : ""}`);
  };
  const read = (family: Family, name: string): Matrix => {
    const q = quantity(stepper, nodeNamed(name), family);
    if ("missing" in q) throw new (q.later ? NotComputedError : ExprError)(`${family}.${name}: ${q.missing}`);
    return q.value;
  };
  const env: FormulaEnvironment = {
    get batchSize() { return stepper.workspace?.batch ?? 0; },
    weightedInput: (layer) => read("z", layer),
    activation: (layer) => read("a", layer),
    delta: (layer) => read("delta", layer),
    weight: (layer) => read("W", layer),
    bias: (layer) => read("b", layer),
    mask: (layer) => read("mask", layer),
    gradient: (param, layer) => read(parameterFamily[param].gradient, layer),
    change: (param, layer) => read(parameterFamily[param].change, layer),
    target: () => {
      const ws = stepper.workspace;
      return { rows: network.nodes[network.output].units, cols: ws?.batch ?? 0, data: ws ? ws.targets.slice() : new Float64Array(0) };
    },
    scalar: (name) => {
      switch (name) {
        case "m": return stepper.workspace?.batch ?? 0;
        case "C":
          if (!stepper.computed("loss", network.output)) throw new NotComputedError("C is not yet computed in this step (loss C computes it)");
          return stepper.loss;
        case "lr": return stepper.lr;
        case "step": return stepper.updates;
        case "epoch": return stepper.epoch;
      }
    },
    example: (k) => exampleEnvironment(stepper, env, k),
  };
  return env;
}

// example(k).…: the example's column of a batched quantity, or its own cost and gradients (backprop §6.4)
function exampleEnvironment(stepper: Stepper, batch: FormulaEnvironment, k: number): FormulaEnvironment {
  const m = stepper.workspace?.batch ?? 0;
  if (k < 1 || k > m) throw new ExprError(`example ${k} is outside 1…${m}: this batch has m = ${m} examples, counted from 1 as Step Into counts them`);
  const j = k - 1;
  const own = (what: string): never => {
    throw new ExprError(`example(${k}).${what}: ${what} is the layer's own, the same for every example; write ${what}`);
  };
  const gradients = (layer: string) => {
    const node = stepper.network.nodes.find((n) => n.name === layer);
    return node?.kind === "dense" ? exampleGradients(stepper, node, j) : undefined;
  };
  return {
    batchSize: 1,
    weightedInput: (layer) => columnOf(batch.weightedInput(layer), j),
    activation: (layer) => columnOf(batch.activation(layer), j),
    delta: (layer) => columnOf(batch.delta(layer), j),
    mask: (layer) => columnOf(batch.mask(layer), j),
    target: () => columnOf(batch.target(), j),
    weight: (layer) => own(`W.${layer}`),
    bias: (layer) => own(`b.${layer}`),
    change: (param, layer) => own(`${parameterFamily[param].change}.${layer}`),
    gradient: (param, layer) => {
      const value = batch.gradient(param, layer); // says when the gradients are not yet computed
      const mine = gradients(layer);
      return mine ? (param === "W" ? mine.dW : mine.db) : value;
    },
    scalar: (name: RunScalar) => {
      if (name !== "C") throw new ExprError(`example(${k}).${name}: ${name} belongs to the batch, not to one example; write ${name}`);
      batch.scalar("C"); // says when the loss is not yet computed
      return exampleCost(stepper, j);
    },
    example: () => {
      throw new ExprError(`example(${k}) already reads one example`);
    },
  };
}
