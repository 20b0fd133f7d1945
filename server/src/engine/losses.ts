/**
 * Losses C and their gradients ∇ₐC (backprop §5.1), per example, averaged over
 * the batch (§6.4). The two fused pairs, softmax + cross_entropy and
 * sigmoid + binary_cross_entropy, are computed from z (log-sum-exp and
 * log1p(e^−|z|)) and give δᴸ = aᴸ − y directly.
 *
 * mae is C = Σ|a − y| per example with the subgradient sign(a − y), 0 at
 * a = y (its kink, which the gradient check flags); huber is ½d² for
 * |d| ≤ δ and δ(|d| − ½δ) beyond, d = a − y, with gradient clip(d, −δ, δ).
 * Like mse (C = ½‖a − y‖²) both sum over the output units and average over
 * the batch; torch's L1Loss and HuberLoss average over units too, so they
 * equal ours divided by the number of output units.
 *
 * Unfused cross-entropies take log a. They are exact for a in (0, 1); only an
 * activation that can leave that interval (identity, relu, …) is clipped to
 * [CLIP, 1 − CLIP], where the loss is flat and its gradient is 0.
 */
import type { VectorOps } from "./kernel";
import type { Activation } from "./activations";
import type { LossName } from "./spec";

export const CLIP = 1e-12;

function clipped(a: number): number {
  return a < CLIP ? CLIP : a > 1 - CLIP ? 1 - CLIP : a;
}

export type OutputRule = "fused-softmax-cross-entropy" | "fused-sigmoid-binary-cross-entropy" | "chain";

/** How BP1 is evaluated for this output activation and loss. */
export function outputRule(loss: LossName, activation: Activation): OutputRule {
  if (loss === "cross_entropy" && activation.name === "softmax") return "fused-softmax-cross-entropy";
  if (loss === "binary_cross_entropy" && activation.name === "sigmoid") return "fused-sigmoid-binary-cross-entropy";
  return "chain";
}

/**
 * Which side of the clip an output activation lies on for this loss: 0 inside
 * (CLIP, 1 − CLIP) where the loss is smooth, 1 below, 2 above. At the clip the
 * loss has a corner, so a gradient check straddling it is not a bug.
 */
export function clipSide(loss: LossName, rule: OutputRule, a: number): 0 | 1 | 2 {
  if (rule !== "chain" || loss === "mse" || loss === "mae" || loss === "huber") return 0;
  if (!(a > CLIP)) return 1;
  return loss === "binary_cross_entropy" && !(a < 1 - CLIP) ? 2 : 0;
}

function logSumExpColumn(z: Float64Array, c: number, rows: number, cols: number): number {
  let max = -Infinity;
  for (let r = 0; r < rows; r++) max = Math.max(max, z[r * cols + c]);
  let sum = 0;
  for (let r = 0; r < rows; r++) sum += Math.exp(z[r * cols + c] - max);
  return max + Math.log(sum);
}

/**
 * C = (1/m) Σ_examples C_x for the output's z, a and targets y (all n×m); `delta` is huber's δ.
 * The sum runs in the kernel's WebAssembly where its arrays lie there, with the same bits.
 */
export function lossValue(
  loss: LossName, rule: OutputRule, z: Float64Array, a: Float64Array, y: Float64Array, rows: number, cols: number, delta = 1, vector?: VectorOps,
): number {
  const summed = (rows * cols === y.length ? vector?.lossSum(loss, rule, z, a, y, delta) : undefined)
    ?? (rule === "fused-softmax-cross-entropy" ? vector?.softmaxCrossEntropy(z, y, rows, cols) : undefined)
    ?? lossSum(loss, rule, z, a, y, rows, cols, delta);
  return (loss === "mse" ? summed * 0.5 : summed) / cols;
}

// lossValue's sum over the examples, before mse's ½ and the division by m
function lossSum(loss: LossName, rule: OutputRule, z: Float64Array, a: Float64Array, y: Float64Array, rows: number, cols: number, delta: number): number {
  const size = rows * cols;
  let total = 0;
  if (loss === "mse") {
    for (let i = 0; i < size; i++) { const d = a[i] - y[i]; total += d * d; }
  } else if (loss === "mae") {
    for (let i = 0; i < size; i++) total += Math.abs(a[i] - y[i]);
  } else if (loss === "huber") {
    for (let i = 0; i < size; i++) {
      const d = Math.abs(a[i] - y[i]);
      total += d <= delta ? 0.5 * d * d : delta * (d - 0.5 * delta);
    }
  } else if (rule === "fused-sigmoid-binary-cross-entropy") {
    // −[y log σ(z) + (1 − y) log(1 − σ(z))] = max(z, 0) − z·y + log1p(e^−|z|)
    for (let i = 0; i < size; i++) total += Math.max(z[i], 0) - z[i] * y[i] + Math.log1p(Math.exp(-Math.abs(z[i])));
  } else if (loss === "binary_cross_entropy") {
    for (let i = 0; i < size; i++) {
      const p = clipped(a[i]);
      total -= y[i] * Math.log(p) + (1 - y[i]) * Math.log(1 - p);
    }
  } else if (rule === "fused-softmax-cross-entropy") {
    // −Σ y log softmax(z) = Σ y·(lse(z) − z)
    for (let c = 0; c < cols; c++) {
      const lse = logSumExpColumn(z, c, rows, cols);
      for (let r = 0; r < rows; r++) total += y[r * cols + c] * (lse - z[r * cols + c]);
    }
  } else {
    for (let i = 0; i < size; i++) if (y[i] !== 0) total -= y[i] * Math.log(clipped(a[i]));
  }
  return total;
}

/** ∇ₐC per example (not divided by m), written into g; `delta` is huber's δ. */
export function lossGradient(loss: LossName, a: Float64Array, y: Float64Array, g: Float64Array, size: number, delta = 1): void {
  if (loss === "mse") {
    for (let i = 0; i < size; i++) g[i] = a[i] - y[i];
  } else if (loss === "mae") {
    for (let i = 0; i < size; i++) g[i] = Math.sign(a[i] - y[i]);
  } else if (loss === "huber") {
    for (let i = 0; i < size; i++) { const d = a[i] - y[i]; g[i] = d > delta ? delta : d < -delta ? -delta : d; }
  } else if (loss === "binary_cross_entropy") {
    for (let i = 0; i < size; i++) {
      const inside = a[i] > CLIP && a[i] < 1 - CLIP;
      g[i] = inside ? (a[i] - y[i]) / (a[i] * (1 - a[i])) : 0;
    }
  } else {
    for (let i = 0; i < size; i++) g[i] = a[i] > CLIP ? (y[i] === 0 ? 0 : -y[i] / a[i]) : 0;
  }
}

/**
 * BP1: δᴸ = ∇ₐC ⊙ σ′(zᴸ), or for the fused pairs δᴸ = aᴸ − y. For softmax +
 * cross-entropy the exact form is aᴸ·Σy − y, which is aᴸ − y for targets that
 * sum to 1 (one-hot or probabilities).
 */
export function outputDelta(
  loss: LossName, rule: OutputRule, activation: Activation,
  z: Float64Array, a: Float64Array, y: Float64Array, delta: Float64Array, rows: number, cols: number, huberDelta = 1,
): void {
  const size = rows * cols;
  if (rule === "fused-sigmoid-binary-cross-entropy") {
    for (let i = 0; i < size; i++) delta[i] = a[i] - y[i];
  } else if (rule === "fused-softmax-cross-entropy") {
    for (let c = 0; c < cols; c++) {
      let targetSum = 0;
      for (let r = 0; r < rows; r++) targetSum += y[r * cols + c];
      for (let r = 0; r < rows; r++) delta[r * cols + c] = a[r * cols + c] * targetSum - y[r * cols + c];
    }
  } else {
    lossGradient(loss, a, y, delta, size, huberDelta);
    activation.backward(z, a, delta, delta, rows, cols);
  }
}
