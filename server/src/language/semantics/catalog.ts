/**
 * The names the checker resolves: activations, losses, initialisers,
 * optimizers, data sources and the train/gradcheck keys, each with its
 * parameters and defaults. Hovers and completion read the same tables.
 */
import type { ActivationName, GeneratorName, LossName, MonitorName, OptimizerName, ScheduleSpec } from "../../engine/index";
import { count, fraction, maxParameters, nonNegative, positive, seed, type NumberRange } from "./ranges";

export interface ParamInfo {
  name: string;
  default?: number | string;
  /** what a value must be: checked by the argument check */
  kind: "positive" | "non-negative" | "fraction" | "count" | "string" | "bool" | "choice" | "columns";
  /** the valid values of a numeric parameter */
  range?: NumberRange;
  /** the names a "choice" parameter takes, written bare */
  choices?: readonly string[];
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
  positive, "non-negative": nonNegative, fraction, count: count(), string: undefined, bool: undefined, choice: undefined, columns: undefined,
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

/** An optimizer's update rule in the seed's notation, for its hover (g = ∂C/∂θ of the batch, plus λθ with l2). */
export interface OptimizerInfo extends NameInfo<OptimizerName> {
  rule: string[];
}

const lr = (fallback: number): ParamInfo => p("lr", "positive", "learning rate η", fallback);
const betas = [
  p("beta1", "fraction", "decay β₁ of the first moment, in [0, 1)", 0.9),
  p("beta2", "fraction", "decay β₂ of the second moment, in [0, 1)", 0.999),
  p("eps", "positive", "ε added to the denominator", 1e-8),
];

export const optimizers: OptimizerInfo[] = [
  {
    name: "sgd",
    params: [
      lr(0.1), p("momentum", "fraction", "momentum coefficient μ in [0, 1)", 0),
      p("nesterov", "bool", "Nesterov momentum: step along g + μ·buffer (needs momentum > 0)", "false"),
    ],
    doc: "stochastic gradient descent, as torch.optim.SGD",
    rule: ["buffer ← μ·buffer + g", "θ ← θ − η·buffer   (μ = 0: θ ← θ − η g)", "nesterov: θ ← θ − η(g + μ·buffer)"],
  },
  {
    name: "adam",
    params: [lr(0.001), ...betas],
    doc: "adaptive moments (Kingma & Ba), as torch.optim.Adam",
    rule: ["m ← β₁m + (1 − β₁)g,  v ← β₂v + (1 − β₂)g²", "θ ← θ − η·(m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε)"],
  },
  {
    name: "adamw",
    params: [lr(0.001), ...betas, p("weight_decay", "non-negative", "decoupled weight decay λ_w, on W only", 0.01)],
    doc: "Adam with decoupled weight decay, as torch.optim.AdamW; weight_decay shrinks W directly and is separate from `l2`, which adds λW to g",
    rule: ["W ← W·(1 − η λ_w)   (decoupled; biases are not decayed)", "m ← β₁m + (1 − β₁)g,  v ← β₂v + (1 − β₂)g²", "θ ← θ − η·(m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε)"],
  },
  {
    name: "rmsprop",
    params: [
      lr(0.01), p("rho", "fraction", "decay ρ of the mean square (torch's alpha), in [0, 1)", 0.99),
      p("eps", "positive", "ε added to the denominator", 1e-8), p("momentum", "fraction", "momentum coefficient μ in [0, 1)", 0),
    ],
    doc: "root-mean-square propagation, as torch.optim.RMSprop",
    rule: ["s ← ρs + (1 − ρ)g²", "θ ← θ − η g / (√s + ε)", "momentum: buffer ← μ·buffer + g / (√s + ε), θ ← θ − η·buffer"],
  },
];

const warmup = p("warmup", "count", "epochs of linear warmup first: η·e/(W + 1) in epoch e ≤ W", 0, count(undefined, 0));

/** A schedule's learning rate per epoch, for its hover; k counts epochs after the warmup. */
export interface ScheduleInfo extends NameInfo<ScheduleSpec["name"]> {
  rule: string;
}

export const schedules: ScheduleInfo[] = [
  { name: "constant", params: [warmup], doc: "η in every epoch (after the warmup), the default", rule: "ηₖ = η" },
  {
    name: "step",
    params: [p("every", "count", "epochs between decays", 30), p("gamma", "positive", "factor γ of each decay, in (0, 1]", 0.1, { min: 0, minOpen: true, max: 1 }), warmup],
    doc: "multiplies η by γ every `every` epochs, as torch's StepLR",
    rule: "ηₖ = η·γ^⌊k / every⌋",
  },
  {
    name: "exponential",
    params: [p("gamma", "positive", "factor γ per epoch, in (0, 1]", 0.95, { min: 0, minOpen: true, max: 1 }), warmup],
    doc: "multiplies η by γ every epoch, as torch's ExponentialLR",
    rule: "ηₖ = η·γᵏ",
  },
  {
    name: "cosine",
    params: [p("min_lr", "non-negative", "η_min reached at the last epoch, below lr", 0), warmup],
    doc: "a half cosine from η down to min_lr over the run's epochs, as torch's CosineAnnealingLR with T_max = epochs − warmup",
    rule: "ηₖ = η_min + (η − η_min)(1 + cos(πk / T)) / 2",
  },
];

export const monitors: readonly MonitorName[] = ["val_loss", "loss", "val_accuracy"];

export const stopEarly: NameInfo<"stop_early"> = {
  name: "stop_early",
  params: [
    p("patience", "count", "epochs without improvement before stopping", 10),
    p("min_delta", "non-negative", "the least change that counts as an improvement", 0),
    { ...p("monitor", "choice", "what is watched: val_loss, loss (lower is better) or val_accuracy (higher)", "val_loss"), choices: monitors },
  ],
  doc: "stops when the monitored quantity has not improved by more than min_delta for `patience` epochs, and keeps the best epoch's weights",
};

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
    params: [
      p("path", "string", "CSV file, relative to this .nnet file"),
      p("target", "columns", "the target column, or a list of numeric target columns (multi-output regression)"),
      p("features", "columns", "the feature columns in the order the input reads them (default: every other column)"),
      p("classes", "count", "number of classes: a text target's, or whole-number labels read as classes"),
    ],
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
  kind: "optimizer" | "schedule" | "stop-early" | "count" | "batch" | "fraction" | "integer" | "bool" | "non-negative" | "positive";
  /** the valid values of a numeric key (batch: besides `full`) */
  range?: NumberRange;
  default: string;
}

export const trainKeys: KeyInfo[] = [
  { name: "optimizer", kind: "optimizer", default: "sgd(lr: 0.1)", doc: "sgd(lr, momentum, nesterov), adam(lr, beta1, beta2, eps), adamw(lr, beta1, beta2, eps, weight_decay) or rmsprop(lr, rho, eps, momentum)" },
  { name: "schedule", kind: "schedule", default: "constant", doc: "the learning rate per epoch: constant, step(every, gamma), exponential(gamma) or cosine(min_lr), each with warmup: N" },
  { name: "stop_early", kind: "stop-early", default: "off", doc: "stop_early(patience, min_delta, monitor): stop when the monitored quantity stops improving, keeping the best weights" },
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

export type ForeignKind = "activation" | "loss" | "init" | "optimizer";

/**
 * Keras and PyTorch spellings of names this language has under its own: the
 * checker resolves `ours` through the tables above, so an entry whose name
 * is not in them yet stays a plain unknown name.
 */
export const foreignNames: Record<ForeignKind, Record<string, { ours: string; from: string }>> = {
  activation: {
    ReLU: { ours: "relu", from: "PyTorch" }, Sigmoid: { ours: "sigmoid", from: "PyTorch" }, Tanh: { ours: "tanh", from: "PyTorch" },
    Softmax: { ours: "softmax", from: "PyTorch" }, LeakyReLU: { ours: "leaky_relu", from: "PyTorch" }, ELU: { ours: "elu", from: "PyTorch" },
    Softplus: { ours: "softplus", from: "PyTorch" }, Identity: { ours: "identity", from: "PyTorch" },
    GELU: { ours: "gelu", from: "PyTorch" }, SiLU: { ours: "silu", from: "PyTorch" }, SELU: { ours: "selu", from: "PyTorch" },
    swish: { ours: "silu", from: "Keras" },
  },
  loss: {
    categorical_crossentropy: { ours: "cross_entropy", from: "Keras" }, CategoricalCrossentropy: { ours: "cross_entropy", from: "Keras" },
    CrossEntropyLoss: { ours: "cross_entropy", from: "PyTorch" },
    binary_crossentropy: { ours: "binary_cross_entropy", from: "Keras" }, BinaryCrossentropy: { ours: "binary_cross_entropy", from: "Keras" },
    BCELoss: { ours: "binary_cross_entropy", from: "PyTorch" },
    mean_squared_error: { ours: "mse", from: "Keras" }, MeanSquaredError: { ours: "mse", from: "Keras" }, MSELoss: { ours: "mse", from: "PyTorch" },
    mean_absolute_error: { ours: "mae", from: "Keras" }, MeanAbsoluteError: { ours: "mae", from: "Keras" }, L1Loss: { ours: "mae", from: "PyTorch" },
    Huber: { ours: "huber", from: "Keras" }, HuberLoss: { ours: "huber", from: "PyTorch" },
  },
  init: {
    glorot_uniform: { ours: "xavier", from: "Keras" }, GlorotUniform: { ours: "xavier", from: "Keras" },
    xavier_uniform_: { ours: "xavier", from: "PyTorch" }, xavier_uniform: { ours: "xavier", from: "PyTorch" },
    he_normal: { ours: "he", from: "Keras" }, HeNormal: { ours: "he", from: "Keras" },
    kaiming_normal_: { ours: "he", from: "PyTorch" }, kaiming_normal: { ours: "he", from: "PyTorch" },
    random_normal: { ours: "normal", from: "Keras" }, RandomNormal: { ours: "normal", from: "Keras" }, normal_: { ours: "normal", from: "PyTorch" },
    random_uniform: { ours: "uniform", from: "Keras" }, RandomUniform: { ours: "uniform", from: "Keras" }, uniform_: { ours: "uniform", from: "PyTorch" },
  },
  optimizer: {
    SGD: { ours: "sgd", from: "Keras and PyTorch" }, Adam: { ours: "adam", from: "Keras and PyTorch" },
    RMSprop: { ours: "rmsprop", from: "Keras and PyTorch" }, AdamW: { ours: "adamw", from: "Keras and PyTorch" },
  },
};
/** A dropout layer's rate p: the drop probability, in [0, 1). */
export const dropoutRate: ParamInfo = p("rate", "fraction", "the drop probability p, in [0, 1)", undefined, fraction);
