import type { ActivationSpec, LossName } from "../../engine/index";

/** m, C, lr (η), step and epoch: the numbers of the run at the current point */
export type RunScalar = "m" | "C" | "lr" | "step" | "epoch";
export type Relation = "<" | "<=" | ">" | ">=" | "==" | "!=";

/**
 * A symbolic expression over one network's quantities (backprop §1, §5). The
 * same tree is rendered for the hover, read from the debugger's expressions
 * and evaluated against a pass's quantities (`evaluate.ts`), so what is shown
 * is what is computed.
 *
 * `batched` leaves stand for the matrices of §6.4 (examples as columns):
 * Δ, Z, A, Y instead of δ, z, a, y.
 */
export type Expr =
  | { op: "delta"; layer: string; batched: boolean }
  | { op: "weightedInput"; layer: string; batched: boolean }
  /** aˡ of a layer, or x for the network input */
  | { op: "activation"; layer: string; input: boolean; batched: boolean }
  | { op: "target"; batched: boolean }
  /** Σⱼ yⱼ, one number per example: 1 for one-hot or distribution targets */
  | { op: "targetSum"; batched: boolean }
  /** each example's column of `of` times that example's number in `by` (a 1-row value) */
  | { op: "scaled"; of: Expr; by: Expr }
  | { op: "weight"; layer: string }
  | { op: "bias"; layer: string }
  /** 𝟏 ∈ ℝᵐ, the all-ones vector over the batch */
  | { op: "ones" }
  /** ∇ₐC, the loss gradient with respect to the output activation; `delta` is huber's δ */
  | { op: "lossGradient"; loss: LossName; output: string; batched: boolean; delta?: number }
  /** a dropout layer's mask mˡ (0 or 1/(1 − p) per unit; 1 at evaluation) */
  | { op: "mask"; layer: string; batched: boolean }
  /** diag(mˡ), the dropout layer's factor in the unrolled product */
  | { op: "maskMatrix"; layer: string }
  /** sign(e) elementwise, with sign(0) = 0 */
  | { op: "sign"; of: Expr }
  /** e clipped to [−bound, bound] elementwise */
  | { op: "clip"; of: Expr; bound: number }
  /** σ′(zˡ) as a vector (or matrix when batched) */
  | { op: "slope"; layer: string; activation: ActivationSpec; batched: boolean }
  /** Sˡ = diag(σ′(zˡ)), backprop §6.2 */
  | { op: "slopeMatrix"; layer: string; activation: ActivationSpec }
  /** (Jˡ)ᵀ with Jˡ = diag(aˡ) − aˡ(aˡ)ᵀ, the softmax Jacobian */
  | { op: "softmaxJacobianT"; layer: string }
  | { op: "transpose"; of: Expr }
  /** matrix product, factors applied right to left */
  | { op: "product"; factors: Expr[] }
  | { op: "hadamard"; left: Expr; right: Expr }
  /** elementwise division ⊘ */
  | { op: "quotient"; left: Expr; right: Expr }
  | { op: "difference"; left: Expr; right: Expr }
  /** 𝟏 − e, elementwise */
  | { op: "complement"; of: Expr }
  | { op: "negate"; of: Expr }
  /** the sum over outgoing edges (backprop §3, §6.3); `omitted` terms are left out of a long display */
  | { op: "sum"; terms: Expr[]; omitted: number }
  /** rows [start, end) of a vector: one operand's part of a concatenation */
  | { op: "rows"; of: Expr; start: number; end: number }
  /** (1/m) e, the batch average of §6.4 */
  | { op: "mean"; of: Expr }
  /** a layer whose value never reaches the output has δ = 0 */
  | { op: "zero"; rows: number }
  | { op: "gradient"; param: "W" | "b"; layer: string }
  /** ΔWˡ or Δbˡ: what the last update changed */
  | { op: "change"; param: "W" | "b"; layer: string }
  | { op: "number"; value: number }
  | { op: "runScalar"; name: RunScalar }
  /** e / k, dividing by a number */
  | { op: "divide"; left: Expr; right: Expr }
  /** 1 where the relation holds, else 0 */
  | { op: "compare"; relation: Relation; left: Expr; right: Expr }
  | { op: "logical"; operator: "&&" | "||"; left: Expr; right: Expr }
  | { op: "not"; of: Expr }
  /** a function of the expression language (functions.ts): norm, mean, abs, the activations, … */
  | { op: "call"; name: string; args: Expr[] }
  /** x[i], x[i, j], x[:, j], 0-based */
  | { op: "index"; of: Expr; row: Expr | "all"; column?: Expr | "all" }
  /** a quantity of example k alone (1-based): its column of the batch, its own cost and gradients */
  | { op: "example"; example: Expr; of: Expr };

export const delta = (layer: string, batched = false): Expr => ({ op: "delta", layer, batched });
export const weightedInput = (layer: string, batched = false): Expr => ({ op: "weightedInput", layer, batched });
export const activationOf = (layer: string, input: boolean, batched = false): Expr =>
  ({ op: "activation", layer, input, batched });
export const target = (batched = false): Expr => ({ op: "target", batched });
export const weight = (layer: string): Expr => ({ op: "weight", layer });
export const bias = (layer: string): Expr => ({ op: "bias", layer });
export const transpose = (of: Expr): Expr => ({ op: "transpose", of });
export const hadamard = (left: Expr, right: Expr): Expr => ({ op: "hadamard", left, right });
export const difference = (left: Expr, right: Expr): Expr => ({ op: "difference", left, right });
export const mean = (of: Expr): Expr => ({ op: "mean", of });

/** A product with nested products flattened and empty products dropped. */
export function product(factors: Expr[]): Expr {
  const flat = factors.flatMap((factor) => (factor.op === "product" ? factor.factors : [factor]));
  return flat.length === 1 ? flat[0]! : { op: "product", factors: flat };
}

export function sum(terms: Expr[], rows: number, omitted = 0): Expr {
  if (terms.length === 0) return { op: "zero", rows };
  if (terms.length === 1 && omitted === 0) return terms[0]!;
  return { op: "sum", terms, omitted };
}

/** The same expression over the whole batch: every leaf becomes its matrix (backprop §6.4). */
export function batched(expr: Expr): Expr {
  switch (expr.op) {
    case "delta": case "weightedInput": case "activation": case "target": case "targetSum": case "lossGradient": case "slope": case "mask":
      return { ...expr, batched: true };
    case "scaled":
      return { ...expr, of: batched(expr.of), by: batched(expr.by) };
    case "transpose": case "complement": case "negate": case "mean": case "sign": case "clip": case "not":
      return { ...expr, of: batched(expr.of) };
    case "rows":
      return { ...expr, of: batched(expr.of) };
    case "product":
      return { ...expr, factors: expr.factors.map(batched) };
    case "hadamard": case "quotient": case "difference": case "divide": case "compare": case "logical":
      return { ...expr, left: batched(expr.left), right: batched(expr.right) };
    case "call":
      return { ...expr, args: expr.args.map(batched) };
    case "index":
      return { ...expr, of: batched(expr.of) };
    case "sum":
      return { ...expr, terms: expr.terms.map(batched) };
    default:
      return expr;
  }
}
