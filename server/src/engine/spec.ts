/**
 * The network description the engine runs. The language core compiles a
 * checked `.nnet` network into this shape, and the hover text is generated
 * from it too (ARCHITECTURE invariant 3), so what is shown is what is computed.
 */

export type ActivationName =
  | "identity" | "sigmoid" | "tanh" | "relu" | "leaky_relu" | "elu" | "softplus" | "softmax"
  | "gelu" | "silu" | "selu";

export interface ActivationSpec {
  name: ActivationName;
  /** slope or scale for leaky_relu (default 0.01) and elu (default 1) */
  alpha?: number;
}

export type LossName = "mse" | "binary_cross_entropy" | "cross_entropy" | "mae" | "huber";

export type InitSpec =
  | { name: "xavier" }
  | { name: "he" }
  | { name: "normal"; std: number }
  | { name: "uniform"; limit: number };

/** z = W a_from + b, a = σ(z) */
export interface DenseSpec {
  kind: "dense";
  name: string;
  units: number;
  from: string;
  activation: ActivationSpec;
  init: InitSpec;
}

/** a = Σ a_from (equal sizes); no parameters, no activation */
export interface AddSpec {
  kind: "add";
  name: string;
  units: number;
  from: string[];
}

/** a = [a_from₁; a_from₂; …] stacked; units = Σ parts */
export interface ConcatSpec {
  kind: "concat";
  name: string;
  units: number;
  from: string[];
}

/**
 * Inverted dropout: while training a = m ⊙ a_from with mᵢ = 1/(1 − p) kept
 * (probability 1 − p) or 0 dropped; a = a_from at evaluation. No parameters.
 */
export interface DropoutSpec {
  kind: "dropout";
  name: string;
  units: number;
  from: string;
  /** the drop probability p, in [0, 1) */
  rate: number;
}

export type LayerSpec = DenseSpec | AddSpec | ConcatSpec | DropoutSpec;

/** Layers are in topological order; the last one is the output layer aᴸ. */
export interface NetworkSpec {
  name: string;
  input: { name: string; units: number };
  layers: LayerSpec[];
  loss: LossName;
  /** huber's δ, where its quadratic part meets the linear one (default 1) */
  huberDelta?: number;
}

export type OptimizerSpec =
  /** torch.optim.SGD: buffer ← μ·buffer + g; nesterov steps along g + μ·buffer */
  | { name: "sgd"; lr: number; momentum: number; nesterov?: boolean }
  | { name: "adam"; lr: number; beta1: number; beta2: number; eps: number }
  /** torch.optim.AdamW: W ← W(1 − η·weightDecay) before Adam's step; decoupled from l2, on W only */
  | { name: "adamw"; lr: number; beta1: number; beta2: number; eps: number; weightDecay: number }
  /** torch.optim.RMSprop (rho is torch's alpha) */
  | { name: "rmsprop"; lr: number; rho: number; eps: number; momentum: number };

export type OptimizerName = OptimizerSpec["name"];

/**
 * The learning rate per epoch, stepped once after every epoch as torch's
 * scheduler.step(); `warmup` epochs first ramp it linearly up to lr.
 */
export type ScheduleSpec =
  | { name: "constant"; warmup: number }
  | { name: "step"; every: number; gamma: number; warmup: number }
  | { name: "exponential"; gamma: number; warmup: number }
  | { name: "cosine"; minLr: number; warmup: number };

export type MonitorName = "loss" | "val_loss" | "val_accuracy";

/** Stop when `monitor` has not improved by more than minDelta for `patience` epochs; keep the best epoch's weights. */
export interface StopEarlySpec {
  patience: number;
  minDelta: number;
  monitor: MonitorName;
}

export interface TrainSpec {
  optimizer: OptimizerSpec;
  epochs: number;
  /** examples per mini-batch; "full" is the whole training set */
  batch: number | "full";
  /** fraction of the rows held out for validation, in [0, 1) */
  validation: number;
  seed: number;
  shuffle: boolean;
  l2: number;
  /** absent: a constant learning rate */
  schedule?: ScheduleSpec;
  stopEarly?: StopEarlySpec;
  /** λ of C + λ Σ|W| (weights only, like l2); absent is 0 */
  l1?: number;
}

export interface GradcheckSpec {
  epsilon: number;
  tolerance: number;
  /** examples in the checked batch */
  samples: number;
  /** parameters checked per layer before sampling */
  maxParams: number;
}

export const defaultTrainSpec: TrainSpec = {
  optimizer: { name: "sgd", lr: 0.1, momentum: 0 },
  epochs: 100,
  batch: 32,
  validation: 0,
  seed: 1,
  shuffle: true,
  l2: 0,
  l1: 0,
};

export const defaultGradcheckSpec: GradcheckSpec = {
  epsilon: 1e-7,
  tolerance: 1e-5,
  samples: 4,
  maxParams: 2000,
};

export type GeneratorName = "xor" | "circles" | "moons" | "spiral" | "gaussian" | "sine";

/**
 * Where the rows come from. CSV text is read by the host (the training
 * layer) and handed to the engine as rows, so the engine does no I/O.
 */
export type DataSpec =
  | { kind: "generator"; name: GeneratorName; samples: number; noise: number; classes: number }
  | { kind: "iris" }
  | { kind: "inline"; rows: { x: number[]; y: number[] }[] }
  /** `target`: one column, or several for multi-output regression; `features`: the chosen columns in order (default: all others) */
  | { kind: "csv"; path: string; target: string | string[]; features?: string[]; classes?: number };

/** A csv source's target columns, one or several. */
export const targetColumnsOf = (target: string | string[]): string[] => (typeof target === "string" ? [target] : target);
