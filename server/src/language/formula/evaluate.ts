/**
 * The one evaluator of formula trees: the hover's BP1–BP4 and the
 * debugger's expressions alike, over the quantities of one pass. Products
 * multiply with the caller's kernel (the debugger passes the run's), so a
 * tree that states what the engine computes gives the engine's bits.
 */
import { activationOf, CLIP, type Kernel, type Matrix } from "../../engine/index";
import { lossGradientDefinition } from "./build";
import { ExprError } from "./errors";
import type { Expr, RunScalar } from "./expr";
import { call, slopeOf } from "./functions";
import { asMatrix, dims, indexed, map, multiply, transposed, zip, type Value } from "./values";

/**
 * The quantities of a pass over a batch (one example per column), or of one
 * example alone. Each throws an ExprError saying why it has no such value.
 */
export interface FormulaEnvironment {
  /** m: the examples in the batch (1 for one example's environment) */
  readonly batchSize: number;
  weightedInput(layer: string): Matrix;
  /** Aˡ of a layer, or X for the input */
  activation(layer: string): Matrix;
  delta(layer: string): Matrix;
  weight(layer: string): Matrix;
  bias(layer: string): Matrix;
  target(): Matrix;
  /** a dropout layer's mask of the pass */
  mask(layer: string): Matrix;
  gradient(param: "W" | "b", layer: string): Matrix;
  change(param: "W" | "b", layer: string): Matrix;
  scalar(name: RunScalar): number;
  /** example k of the batch (1-based) */
  example(k: number): FormulaEnvironment;
}

const matrix = (rows: number, cols: number, data = new Float64Array(rows * cols)): Matrix => ({ rows, cols, data });

const relations: Record<string, (x: number, y: number) => number> = {
  "<": (x, y) => +(x < y), "<=": (x, y) => +(x <= y), ">": (x, y) => +(x > y), ">=": (x, y) => +(x >= y),
  "==": (x, y) => +(x === y), "!=": (x, y) => +(x !== y),
  "&&": (x, y) => +(x !== 0 && y !== 0), "||": (x, y) => +(x !== 0 || y !== 0),
};

const symbols: Partial<Record<Expr["op"], string>> = { hadamard: ".*", quotient: "./", difference: "-", sum: "+" };

class Evaluator {
  constructor(private readonly env: FormulaEnvironment, private readonly kernel: Kernel) {}

  value(expr: Expr): Value {
    const env = this.env;
    switch (expr.op) {
      case "number": return expr.value;
      case "runScalar": return env.scalar(expr.name);
      case "delta": return env.delta(expr.layer);
      case "weightedInput": return env.weightedInput(expr.layer);
      case "activation": return env.activation(expr.layer);
      case "target": return env.target();
      case "weight": return env.weight(expr.layer);
      case "bias": return env.bias(expr.layer);
      case "mask": return env.mask(expr.layer);
      case "gradient": return env.gradient(expr.param, expr.layer);
      case "change": return env.change(expr.param, expr.layer);
      case "ones": return matrix(env.batchSize, 1, new Float64Array(env.batchSize).fill(1));
      case "zero": return matrix(expr.rows, env.batchSize);
      case "targetSum": {
        const y = env.target();
        const sums = matrix(1, y.cols);
        for (let i = 0; i < y.data.length; i++) sums.data[i % y.cols]! += y.data[i]!;
        return sums;
      }
      case "scaled": return this.scaled(this.matrix(expr.of), this.matrix(expr.by));
      case "lossGradient": return this.lossGradient(expr);
      case "slope": return slopeOf(activationOf(expr.activation), env.weightedInput(expr.layer));
      case "sign": return map(this.value(expr.of), Math.sign);
      case "clip": return map(this.value(expr.of), (x) => Math.min(expr.bound, Math.max(-expr.bound, x)));
      case "complement": return map(this.value(expr.of), (x) => 1 - x);
      case "negate": return map(this.value(expr.of), (x) => -x);
      case "not": return map(this.value(expr.of), (x) => +(x === 0));
      case "mean": return this.mean(expr.of);
      case "transpose": { const v = this.value(expr.of); return typeof v === "number" ? v : transposed(v); }
      case "product": return this.product(expr.factors);
      case "hadamard": return this.zip(expr, (x, y) => x * y);
      case "quotient": return this.zip(expr, (x, y) => x / y);
      case "difference": return this.zip(expr, (x, y) => x - y);
      case "divide": {
        const by = this.value(expr.right);
        if (typeof by !== "number") throw new ExprError("'/' divides by a number; use ./ to divide elementwise");
        return zip("/", this.value(expr.left), by, (x, y) => x / y);
      }
      case "compare": return zip(expr.relation, this.value(expr.left), this.value(expr.right), relations[expr.relation]!);
      case "logical": return zip(expr.operator, this.value(expr.left), this.value(expr.right), relations[expr.operator]!);
      case "sum": {
        if (expr.omitted > 0) throw new ExprError("a sum with paths left out cannot be evaluated");
        return expr.terms.map((term) => this.value(term)).reduce((left, right) => zip("+", left, right, (x, y) => x + y));
      }
      case "rows": {
        const of = this.matrix(expr.of);
        return matrix(expr.end - expr.start, of.cols, of.data.slice(expr.start * of.cols, expr.end * of.cols));
      }
      case "call": return call(expr.name, expr.args.map((arg) => this.value(arg)));
      case "index": {
        const part = (p: Expr | "all" | undefined): Value | "all" | undefined => (p === undefined || p === "all" ? p : this.value(p));
        return indexed(this.value(expr.of), part(expr.row) as Value | "all", part(expr.column));
      }
      case "example": {
        const k = this.value(expr.example);
        if (typeof k !== "number" || !Number.isInteger(k)) throw new ExprError("example(k) needs a whole number k (1 to m, as Step Into counts)");
        return new Evaluator(env.example(k), this.kernel).value(expr.of);
      }
      case "slopeMatrix": case "softmaxJacobianT": case "maskMatrix":
        throw new ExprError(`${expr.op} is a factor of a product, not a value of its own`);
    }
  }

  private matrix(expr: Expr): Matrix {
    return asMatrix(this.value(expr));
  }

  private zip(expr: Expr & { left: Expr; right: Expr }, f: (x: number, y: number) => number): Value {
    return zip(symbols[expr.op] ?? expr.op, this.value(expr.left), this.value(expr.right), f);
  }

  // Outside (CLIP, 1 − CLIP) the engine clips a cross-entropy's aᴸ, where the loss is flat: ∇ₐC = 0 there, as the hover says.
  private lossGradient(expr: Expr & { op: "lossGradient" }): Value {
    const gradient = this.value(lossGradientDefinition(expr.loss, expr.output, expr.delta));
    if (expr.loss !== "cross_entropy" && expr.loss !== "binary_cross_entropy") return gradient;
    const a = this.env.activation(expr.output).data;
    const upper = expr.loss === "binary_cross_entropy" ? 1 - CLIP : Infinity;
    const g = asMatrix(gradient);
    return matrix(g.rows, g.cols, g.data.map((x, i) => (a[i]! > CLIP && a[i]! < upper ? x : 0)));
  }

  // (1/m) e as the engine's BP3 and BP4 round it: the kernel scales Δ Aᵀ's sums by 1/m, and Δ 𝟏's row sums are divided by m
  private mean(of: Expr): Value {
    const m = this.env.batchSize;
    const [left, right] = of.op === "product" && of.factors.length === 2 ? of.factors : [];
    if (left && right && right.op !== "ones" && !["slopeMatrix", "maskMatrix", "softmaxJacobianT"].includes(left.op)) {
      const [a, b] = [this.value(left), this.value(right)];
      if (typeof a !== "number" && typeof b !== "number") return multiply(a, b, this.kernel, 1 / m);
      return map(zip("*", a, b, (x, y) => x * y), (x) => x / m);
    }
    return map(this.value(of), (x) => x / m);
  }

  // each example's column of `of` times that example's number in `by` (1×m)
  private scaled(of: Matrix, by: Matrix): Matrix {
    if (by.cols !== of.cols) throw new ExprError(`cannot scale the columns of ${dims(of)} by ${dims(by)}`);
    return matrix(of.rows, of.cols, of.data.map((x, i) => x * by.data[i % of.cols]!));
  }

  // Right to left, as the backward pass applies each factor to what comes back from the output.
  private product(factors: Expr[]): Value {
    let value = this.value(factors[factors.length - 1]!);
    for (let position = factors.length - 2; position >= 0; position--) value = this.apply(factors[position]!, value);
    return value;
  }

  private apply(factor: Expr, right: Value): Value {
    switch (factor.op) {
      case "slopeMatrix":
        return zip("S", slopeOf(activationOf(factor.activation), this.env.weightedInput(factor.layer)), right, (x, y) => x * y);
      case "maskMatrix":
        return zip("diag(m)", this.env.mask(factor.layer), right, (x, y) => x * y);
      case "softmaxJacobianT": {
        // the engine's own softmax backward: (J)ᵀ v = a ⊙ (v − (aᵀv) 𝟏), column by column
        const a = this.env.activation(factor.layer);
        const v = asMatrix(right);
        if (v.rows !== a.rows || v.cols !== a.cols) throw new ExprError(`(J)ᵀ of ${dims(a)} cannot apply to ${dims(v)}`);
        const out = new Float64Array(v.data.length);
        activationOf({ name: "softmax" }).backward(a.data, a.data, v.data, out, v.rows, v.cols);
        return matrix(v.rows, v.cols, out);
      }
      default: {
        const left = this.value(factor);
        if (typeof left === "number" || typeof right === "number") return zip("*", left, right, (x, y) => x * y);
        return multiply(left, right, this.kernel);
      }
    }
  }
}

/** The value of a tree over `env`, multiplying with `kernel`; throws only ExprError. */
export function evaluateExpr(expr: Expr, env: FormulaEnvironment, kernel: Kernel): Value {
  try {
    return new Evaluator(env, kernel).value(expr);
  } catch (failure) {
    if (failure instanceof ExprError) throw failure;
    if (failure instanceof RangeError && /call stack/i.test(failure.message)) throw new ExprError("the expression is nested too deeply to evaluate");
    // an engine or JavaScript failure on strange input is still only a message
    throw new ExprError(failure instanceof Error ? failure.message : String(failure));
  }
}
