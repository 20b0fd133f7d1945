/**
 * The names the checker resolves: activations, losses, initialisers,
 * optimizers, data sources and the train/gradcheck keys, each with its
 * parameters and defaults. Hovers and completion read the same tables.
 */
import type { ActivationName, GeneratorName, LossName } from "../../engine/spec";
import { count, fraction, maxParameters, nonNegative, positive, seed, type NumberRange } from "./ranges";

export interface ParamInfo {
  name: string;
  default?: number | string;
  /** what a value must be: checked by the argument check */
  kind: "positive" | "non-negative" | "fraction" | "count" | "string";
  /** the valid values of a numeric parameter */
  range?: NumberRange;
  doc: string;
}

export interface NameInfo<N extends string = string> {
  name: N;
  params: ParamInfo[];
  doc: string;
  /** another spelling accepted for this name */
  aliases?: string[];
}

const rangeOfKind: Record<ParamInfo["kind"], NumberRange | undefined> = {
  positive, "non-negative": nonNegative, fraction, count: count(), string: undefined,
};

const p = (name: string, kind: ParamInfo["kind"], doc: string, fallback?: number | string, range = rangeOfKind[kind]): ParamInfo =>
  ({ name, kind, doc, default: fallback, ...(range ? { range } : {}) });

export const activations: NameInfo<ActivationName>[] = [
  { name: "identity", params: [], doc: "σ(z) = z", aliases: ["linear"] },
  { name: "sigmoid", params: [], doc: "σ(z) = 1 / (1 + e^−z)" },
  { name: "tanh", params: [], doc: "σ(z) = tanh z" },
  { name: "relu", params: [], doc: "σ(z) = max(0, z)" },
  { name: "leaky_relu", params: [p("alpha", "non-negative", "slope for z < 0", 0.01)], doc: "σ(z) = z for z > 0, αz otherwise" },
  { name: "elu", params: [p("alpha", "positive", "scale for z < 0", 1)], doc: "σ(z) = z for z > 0, α(e^z − 1) otherwise" },
  { name: "softplus", params: [], doc: "σ(z) = ln(1 + e^z)" },
  { name: "softmax", params: [], doc: "a_j = e^{z_j} / Σ_k e^{z_k} (output layer only)" },
  { name: "gelu", params: [], doc: "σ(z) = z Φ(z) = ½ z (1 + erf(z/√2)), the exact erf form" },
  { name: "silu", params: [], doc: "σ(z) = z / (1 + e^−z) = z·sigmoid(z)", aliases: ["swish"] },
  { name: "selu", params: [], doc: "σ(z) = λz for z > 0, λα(e^z − 1) otherwise; λ ≈ 1.0507, α ≈ 1.6733 (torch's constants)" },
];

export const losses: NameInfo<LossName>[] = [
  { name: "mse", params: [], doc: "C = ½‖aᴸ − y‖², averaged over the batch" },
  { name: "binary_cross_entropy", params: [], doc: "C = −Σ y ln a + (1 − y) ln(1 − a)", aliases: ["bce"] },
  { name: "cross_entropy", params: [], doc: "C = −Σ y ln a (categorical, with a softmax output)" },
  { name: "mae", params: [], doc: "C = Σ|aᴸ − y| (L1), summed over the output units and averaged over the batch" },
  {
    name: "huber",
    params: [p("delta", "positive", "δ, where the quadratic part meets the linear one", 1)],
    doc: "C = Σ ½(aᴸ − y)² where |aᴸ − y| ≤ δ, δ(|aᴸ − y| − ½δ) beyond; summed over the output units and averaged over the batch",
  },
];

export const initialisers: NameInfo<"xavier" | "he" | "normal" | "uniform">[] = [
  { name: "xavier", params: [], doc: "W ~ U(±√(6 / (n_in + n_out)))" },
  { name: "he", params: [], doc: "W ~ N(0, 2 / n_in)" },
  { name: "normal", params: [p("std", "positive", "standard deviation", 0.05)], doc: "W ~ N(0, std²)" },
  { name: "uniform", params: [p("limit", "positive", "half-width of the interval", 0.05)], doc: "W ~ U(−limit, limit)" },
];

export const optimizers: NameInfo<"sgd" | "adam">[] = [
  {
    name: "sgd",
    params: [p("lr", "positive", "learning rate η", 0.1), p("momentum", "fraction", "momentum coefficient in [0, 1)", 0)],
    doc: "W ← W − η ∂C/∂W (with optional momentum)",
  },
  {
    name: "adam",
    params: [
      p("lr", "positive", "learning rate η", 0.001),
      p("beta1", "fraction", "decay of the first moment, in [0, 1)", 0.9),
      p("beta2", "fraction", "decay of the second moment, in [0, 1)", 0.999),
      p("eps", "positive", "added to the denominator", 1e-8),
    ],
    doc: "adaptive moments (Kingma & Ba)",
  },
];

export interface DataSourceInfo extends NameInfo {
  /** features → targets; spiral's targets depend on `classes` */
  features: number;
  targets: number;
}

const samples = (fallback: number): ParamInfo => p("samples", "count", "number of generated examples", fallback);
const noise = (fallback: number): ParamInfo => p("noise", "non-negative", "standard deviation of the added noise", fallback);

export const dataSources: DataSourceInfo[] = [
  { name: "xor", params: [samples(200), noise(0.1)], features: 2, targets: 1, doc: "the four XOR corners with noise (2 → 1)" },
  { name: "circles", params: [samples(200), noise(0.1)], features: 2, targets: 1, doc: "a disc inside a ring (2 → 1)" },
  { name: "moons", params: [samples(200), noise(0.1)], features: 2, targets: 1, doc: "two interleaved half-moons (2 → 1)" },
  {
    name: "spiral",
    params: [samples(200), noise(0.1), p("classes", "count", "number of spiral arms; more than 2 gives one-hot targets", 2, count(undefined, 2))],
    features: 2,
    targets: 1,
    doc: "interleaved spirals (2 → 1, or 2 → classes)",
  },
  { name: "gaussian", params: [samples(200), noise(0.1)], features: 2, targets: 1, doc: "two Gaussian blobs (2 → 1)" },
  { name: "sine", params: [samples(200), noise(0)], features: 1, targets: 1, doc: "y = sin x on [−π, π] (1 → 1 regression)" },
  { name: "iris", params: [], features: 4, targets: 3, doc: "Fisher's 150 iris flowers (4 → 3 one-hot)" },
  {
    name: "csv",
    params: [p("path", "string", "CSV file, relative to this .nnet file"), p("target", "string", "the target column"), p("classes", "count", "number of classes of a text target")],
    features: 0,
    targets: 0,
    doc: "rows of a CSV file with a header",
  },
];

export const generatorNames: readonly GeneratorName[] = ["xor", "circles", "moons", "spiral", "gaussian", "sine"];
export const irisRows = 150;

export interface KeyInfo {
  name: string;
  doc: string;
  /** what a value must be; "optimizer" and "batch" have their own forms */
  kind: "optimizer" | "count" | "batch" | "fraction" | "integer" | "bool" | "non-negative" | "positive";
  /** the valid values of a numeric key (batch: besides `full`) */
  range?: NumberRange;
  default: string;
}

export const trainKeys: KeyInfo[] = [
  { name: "optimizer", kind: "optimizer", default: "sgd(lr: 0.1)", doc: "sgd(lr, momentum) or adam(lr, beta1, beta2, eps)" },
  { name: "epochs", kind: "count", range: count(), default: "100", doc: "passes over the training set" },
  { name: "batch", kind: "batch", range: count(), default: "32", doc: "examples per mini-batch, or `full`" },
  { name: "validation", kind: "fraction", range: fraction, default: "0", doc: "fraction of rows held out, in [0, 1)" },
  { name: "seed", kind: "integer", range: seed, default: "1", doc: "seeds the initialiser, the shuffles and the generators" },
  { name: "shuffle", kind: "bool", default: "true", doc: "shuffle the training rows every epoch" },
  { name: "l2", kind: "non-negative", range: nonNegative, default: "0", doc: "weight decay λ: C + λ/2 Σ‖W‖²" },
  { name: "l1", kind: "non-negative", range: nonNegative, default: "0", doc: "L1 penalty λ: C + λ Σ|W|, on weights only (not b); subgradient λ sign(W), 0 at W = 0" },
];

export const gradcheckKeys: KeyInfo[] = [
  { name: "epsilon", kind: "positive", range: { min: 0, minOpen: true, max: 1 }, default: "1e-7", doc: "central-difference step" },
  { name: "tolerance", kind: "positive", range: { min: 0, minOpen: true, max: 1 }, default: "1e-5", doc: "largest relative error |a − n| / max(|a|, |n|, tiny)" },
  { name: "samples", kind: "count", range: count(), default: "4", doc: "examples in the checked batch" },
  { name: "max_params", kind: "count", range: count(maxParameters), default: "2000", doc: "parameters checked per layer before sampling" },
];

/** Finds a name or one of its aliases. */
export function lookup<T extends NameInfo>(table: readonly T[], name: string): T | undefined {
  return table.find((info) => info.name === name || info.aliases?.includes(name));
}

export const spellings = (table: readonly NameInfo[]): string[] => table.flatMap((info) => [info.name, ...(info.aliases ?? [])]);

export const reluFamily: ReadonlySet<string> = new Set(["relu", "leaky_relu", "elu"]);

/** A dropout layer's rate p: the drop probability, in [0, 1). */
export const dropoutRate: ParamInfo = p("rate", "fraction", "the drop probability p, in [0, 1)", undefined, fraction);
