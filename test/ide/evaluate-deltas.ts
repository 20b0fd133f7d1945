import { normalCdf, normalPdf, seluAlpha, seluScale, type ActivationSpec } from "../../server/src/engine/index";
import { lossGradientDefinition, type Expr } from "../../server/src/language/ide/deltas/index";

/** Row-major matrix, the engine's layout; a batch has one example per column (backprop §6.4). */
export interface Matrix {
  rows: number;
  cols: number;
  data: Float64Array;
}

/** The cached quantities of one forward and backward pass over a batch. */
export interface DeltaEnvironment {
  batchSize: number;
  weightedInput(layer: string): Matrix;
  /** Aˡ of a layer, or X for the input */
  activation(name: string): Matrix;
  delta(layer: string): Matrix;
  weight(layer: string): Matrix;
  target(): Matrix;
  /** a dropout layer's mask of the pass */
  mask(layer: string): Matrix;
}

const matrix = (rows: number, cols: number, data = new Float64Array(rows * cols)): Matrix => ({ rows, cols, data });

function map(value: Matrix, f: (x: number, index: number) => number): Matrix {
  return matrix(value.rows, value.cols, value.data.map((x, index) => f(x, index)));
}

function zip(left: Matrix, right: Matrix, f: (x: number, y: number) => number, what: string): Matrix {
  if (left.rows !== right.rows || left.cols !== right.cols) {
    throw new Error(`${what}: ${left.rows}×${left.cols} against ${right.rows}×${right.cols}`);
  }
  return map(left, (x, index) => f(x, right.data[index]!));
}

export function multiply(left: Matrix, right: Matrix): Matrix {
  if (left.cols !== right.rows) throw new Error(`product: ${left.rows}×${left.cols} times ${right.rows}×${right.cols}`);
  const out = matrix(left.rows, right.cols);
  for (let i = 0; i < left.rows; i++) {
    for (let k = 0; k < left.cols; k++) {
      const factor = left.data[i * left.cols + k]!;
      if (factor === 0) continue;
      for (let j = 0; j < right.cols; j++) out.data[i * right.cols + j]! += factor * right.data[k * right.cols + j]!;
    }
  }
  return out;
}

export function transposed(value: Matrix): Matrix {
  const out = matrix(value.cols, value.rows);
  for (let i = 0; i < value.rows; i++) {
    for (let j = 0; j < value.cols; j++) out.data[j * value.rows + i] = value.data[i * value.cols + j]!;
  }
  return out;
}

const logistic = (z: number): number => 1 / (1 + Math.exp(-z));

/** σ′(z) of each elementwise activation, independent of the engine's own code. */
export function slopeOf(activation: ActivationSpec): (z: number) => number {
  switch (activation.name) {
    case "identity": return () => 1;
    case "sigmoid": return (z) => logistic(z) * (1 - logistic(z));
    case "tanh": return (z) => 1 - Math.tanh(z) ** 2;
    case "relu": return (z) => (z > 0 ? 1 : 0);
    case "leaky_relu": return (z) => (z > 0 ? 1 : activation.alpha ?? 0.01);
    case "elu": return (z) => (z > 0 ? 1 : (activation.alpha ?? 1) * Math.exp(z));
    case "softplus": return logistic;
    case "gelu": return (z) => normalCdf(z) + z * normalPdf(z);
    case "silu": return (z) => logistic(z) * (1 + z * (1 - logistic(z)));
    case "selu": return (z) => (z > 0 ? seluScale : seluScale * seluAlpha * Math.exp(z));
    case "softmax": throw new Error("softmax has a Jacobian, not an elementwise slope");
  }
}

/** (J)ᵀ v per column, J = diag(a) − a aᵀ, so (J)ᵀ v = a ⊙ (v − (aᵀv) 𝟏). */
function softmaxJacobianTimes(a: Matrix, v: Matrix): Matrix {
  const out = matrix(v.rows, v.cols);
  for (let column = 0; column < v.cols; column++) {
    let dot = 0;
    for (let row = 0; row < v.rows; row++) dot += a.data[row * a.cols + column]! * v.data[row * v.cols + column]!;
    for (let row = 0; row < v.rows; row++) {
      const index = row * v.cols + column;
      out.data[index] = a.data[row * a.cols + column]! * (v.data[index]! - dot);
    }
  }
  return out;
}

/** Applies one factor of a product to the value accumulated on its right. */
function applyFactor(factor: Expr, right: Matrix, env: DeltaEnvironment): Matrix {
  switch (factor.op) {
    case "slopeMatrix": {
      const slope = map(env.weightedInput(factor.layer), slopeOf(factor.activation));
      return zip(slope, right, (x, y) => x * y, `S of ${factor.layer}`);
    }
    case "softmaxJacobianT":
      return softmaxJacobianTimes(env.activation(factor.layer), right);
    case "maskMatrix":
      return zip(env.mask(factor.layer), right, (x, y) => x * y, `diag(m) of ${factor.layer}`);
    default:
      return multiply(evaluate(factor, env), right);
  }
}

function evaluateProduct(factors: Expr[], env: DeltaEnvironment): Matrix {
  let value = evaluate(factors[factors.length - 1]!, env);
  for (let position = factors.length - 2; position >= 0; position--) value = applyFactor(factors[position]!, value, env);
  return value;
}

function rowsOf(value: Matrix, start: number, end: number): Matrix {
  return matrix(end - start, value.cols, value.data.slice(start * value.cols, end * value.cols));
}

/** The numeric value of an expression over a batch (one example per column). */
export function evaluate(expr: Expr, env: DeltaEnvironment): Matrix {
  switch (expr.op) {
    case "delta": return env.delta(expr.layer);
    case "weightedInput": return env.weightedInput(expr.layer);
    case "activation": return env.activation(expr.layer);
    case "target": return env.target();
    case "targetSum": {
      const y = env.target();
      const sums = matrix(1, y.cols);
      for (let i = 0; i < y.data.length; i++) sums.data[i % y.cols]! += y.data[i]!;
      return sums;
    }
    case "scaled": {
      const by = evaluate(expr.by, env);
      return map(evaluate(expr.of, env), (x, index) => x * by.data[index % by.cols]!);
    }
    case "weight": return env.weight(expr.layer);
    case "ones": return matrix(env.batchSize, 1, new Float64Array(env.batchSize).fill(1));
    case "lossGradient": return evaluate(lossGradientDefinition(expr.loss, expr.output, expr.delta), env);
    case "mask": return env.mask(expr.layer);
    case "sign": return map(evaluate(expr.of, env), Math.sign);
    case "clip": return map(evaluate(expr.of, env), (x) => Math.min(expr.bound, Math.max(-expr.bound, x)));
    case "slope": return map(env.weightedInput(expr.layer), slopeOf(expr.activation));
    case "transpose": return transposed(evaluate(expr.of, env));
    case "product": return evaluateProduct(expr.factors, env);
    case "hadamard": return zip(evaluate(expr.left, env), evaluate(expr.right, env), (x, y) => x * y, "⊙");
    case "quotient": return zip(evaluate(expr.left, env), evaluate(expr.right, env), (x, y) => x / y, "⊘");
    case "difference": return zip(evaluate(expr.left, env), evaluate(expr.right, env), (x, y) => x - y, "−");
    case "complement": return map(evaluate(expr.of, env), (x) => 1 - x);
    case "negate": return map(evaluate(expr.of, env), (x) => -x);
    case "mean": return map(evaluate(expr.of, env), (x) => x / env.batchSize);
    case "rows": return rowsOf(evaluate(expr.of, env), expr.start, expr.end);
    case "zero": return matrix(expr.rows, env.batchSize);
    case "sum": {
      if (expr.omitted > 0) throw new Error("an abbreviated path sum cannot be evaluated");
      return expr.terms.map((term) => evaluate(term, env)).reduce((left, right) => zip(left, right, (x, y) => x + y, "+"));
    }
    default:
      throw new Error(`${expr.op} is not a value over the batch`);
  }
}
