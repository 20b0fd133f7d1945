/**
 * The functions of the expression language: reductions, elementwise maps,
 * shapes, and the activations with their slopes (dtanh, dsigmoid, …) taken
 * from the engine itself, so a formula's σ′ is the engine's to the bit.
 */
import { activationOf, type Activation, type ActivationName, type ActivationSpec } from "../../engine/index";
import { ExprError } from "./errors";
import { asMatrix, map, norm, transposed, type Value } from "./values";

function reduce(name: string, v: Value): number {
  const data = asMatrix(v).data;
  if (data.length === 0) throw new ExprError(`${name} of an empty matrix`);
  switch (name) {
    case "norm": return norm(data);
    case "sum": return data.reduce((s, x) => s + x, 0);
    case "mean": return data.reduce((s, x) => s + x, 0) / data.length;
    case "max": return data.reduce((s, x) => (x > s || Number.isNaN(x) ? x : s), -Infinity);
    default: return data.reduce((s, x) => (x < s || Number.isNaN(x) ? x : s), Infinity);
  }
}

const reductions = ["norm", "sum", "mean", "max", "min"];

const elementwise: Record<string, (x: number) => number> = {
  abs: Math.abs, sqrt: Math.sqrt, exp: Math.exp, log: Math.log, sign: Math.sign, square: (x) => x * x,
};

export const activationNames: ActivationName[] = [
  "identity", "sigmoid", "tanh", "relu", "leaky_relu", "elu", "softplus", "gelu", "silu", "selu", "softmax",
];

/** dtanh, dsigmoid, …: the slope σ′ of each elementwise activation */
export const slopeNames = activationNames.filter((a) => a !== "softmax").map((a) => `d${a}`);

export const functionNames = [
  "norm", "sum", "mean", "max", "min", "rows", "cols", "transpose", ...Object.keys(elementwise), ...activationNames, ...slopeNames,
];

const takesAlpha = (name: ActivationName): boolean => name === "leaky_relu" || name === "elu";

/** The activation a call names, with α where it takes one; undefined for a name that is not an activation or its slope. */
export function activationCalled(name: string, alpha?: number): { spec: ActivationSpec; slope: boolean } | undefined {
  const slope = slopeNames.includes(name);
  const base = (slope ? name.slice(1) : name) as ActivationName;
  if (!activationNames.includes(base) || (slope && base === "softmax")) return undefined;
  const spec = (takesAlpha(base) ? { name: base, ...(alpha !== undefined ? { alpha } : {}) } : { name: base }) as ActivationSpec;
  return { spec, slope };
}

/** σ′ elementwise, as the engine's backward pass applies it. */
export const slopeOf = (activation: Activation, z: Value): Value => map(z, activation.slope);

function callActivation(name: string, args: Value[]): Value {
  if (args.length < 1 || args.length > 2) throw new ExprError(`${name} takes z and, for leaky_relu and elu, α`);
  const alpha = args[1];
  if (alpha !== undefined && typeof alpha !== "number") throw new ExprError(`${name}'s α must be a number`);
  const called = activationCalled(name, alpha);
  if (!called) throw new ExprError(`unknown function '${name}'`);
  const activation = activationOf(called.spec);
  if (called.slope) return slopeOf(activation, args[0]!);
  if (called.spec.name === "softmax") {
    const z = asMatrix(args[0]!);
    const out = new Float64Array(z.data.length);
    activation.forward(z.data, out, z.rows, z.cols);
    return { rows: z.rows, cols: z.cols, data: out };
  }
  return map(args[0]!, activation.value);
}

/** Applies function `name` to evaluated arguments; throws an ExprError for a wrong name or arity. */
export function call(name: string, args: Value[]): Value {
  const one = (): Value => {
    if (args.length !== 1) throw new ExprError(`${name} takes one argument, got ${args.length}`);
    return args[0]!;
  };
  if (reductions.includes(name)) return reduce(name, one());
  if (name === "rows") return asMatrix(one()).rows;
  if (name === "cols") return asMatrix(one()).cols;
  if (name === "transpose") { const v = one(); return typeof v === "number" ? v : transposed(v); }
  if (name in elementwise) return map(one(), elementwise[name]!);
  if (name === "dsoftmax") throw new ExprError("softmax's Jacobian is not diagonal, so there is no elementwise dsoftmax");
  if (functionNames.includes(name)) return callActivation(name, args);
  throw new ExprError(`unknown function '${name}' (functions: ${functionNames.join(", ")})`);
}
