/**
 * Activations σ, each with its derivative beside it (backprop §5.1, §5.2).
 * `forward` writes a = σ(z); `backward` turns g = ∂C/∂a into δ = ∂C/∂z,
 * which for an elementwise σ is g ⊙ σ′(z) and for softmax the
 * Jacobian-vector product δ = a ⊙ (g − Σ a⊙g), column by column.
 * Buffers are n×m (units × examples); `backward` may write δ over g.
 */
import { normalCdf, normalPdf } from "./erf";
import type { ActivationName, ActivationSpec } from "./spec";

export interface Activation {
  readonly name: ActivationName;
  readonly alpha: number;
  /** relu, leaky_relu, elu and selu have a kink at z = 0 (gradient checks flag it) */
  readonly kinked: boolean;
  forward(z: Float64Array, a: Float64Array, rows: number, cols: number): void;
  backward(z: Float64Array, a: Float64Array, g: Float64Array, delta: Float64Array, rows: number, cols: number): void;
  /** σ(z) for one unit; NaN for softmax, which needs the whole column */
  value(z: number): number;
  /** σ′(z) for one unit, the diagonal of S = diag(σ′(z)) (backprop §6.2); NaN for softmax, whose Jacobian is not diagonal */
  slope(z: number): number;
}

export function sigmoidOf(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** log(1 + eᶻ) without overflow: max(z, 0) + log1p(e^−|z|). */
export function softplusOf(z: number): number {
  return Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
}

/** torch.nn.SELU's constants (Klambauer et al. 2017). */
export const seluScale = 1.0507009873554804934193349852946;
export const seluAlpha = 1.6732632423543772848170429916717;

/** gelu, exact erf form: z Φ(z). */
export function geluOf(z: number): number {
  return z * normalCdf(z);
}

/** silu (swish): z σ(z). */
export function siluOf(z: number): number {
  return z * sigmoidOf(z);
}

const tanhLoop: Loop = (z, a, size) => {
  for (let i = 0; i < size; i++) a[i] = Math.tanh(z[i]);
};
const sigmoidLoop: Loop = (z, a, size) => {
  for (let i = 0; i < size; i++) {
    const v = z[i];
    if (v >= 0) a[i] = 1 / (1 + Math.exp(-v));
    else { const e = Math.exp(v); a[i] = e / (1 + e); }
  }
};
const reluLoop: Loop = (z, a, size) => {
  for (let i = 0; i < size; i++) a[i] = z[i] > 0 ? z[i] : 0;
};

type Scalar = (z: number, alpha: number) => number;
type Loop = (z: Float64Array, a: Float64Array, size: number) => void;
type SlopeLoop = (z: Float64Array, a: Float64Array, g: Float64Array, delta: Float64Array, size: number) => void;

// δ = g ⊙ σ′ written out for the hot activations, with their slopes' expressions as they are below
const reluSlopeLoop: SlopeLoop = (z, _a, g, delta, size) => {
  for (let i = 0; i < size; i++) delta[i] = g[i] * (z[i] > 0 ? 1 : 0);
};
const sigmoidSlopeLoop: SlopeLoop = (_z, a, g, delta, size) => {
  for (let i = 0; i < size; i++) delta[i] = g[i] * (a[i] * (1 - a[i]));
};
const tanhSlopeLoop: SlopeLoop = (_z, a, g, delta, size) => {
  for (let i = 0; i < size; i++) delta[i] = g[i] * (1 - a[i] * a[i]);
};

// An elementwise activation from its value and its slope. The slope may use
// a = σ(z) (sigmoid, tanh), so it receives both.
// `loop` and `slopeLoop`, where given, are the same forward and backward
// written out so that the hot activations run without a call per element.
function elementwise(
  name: ActivationName, alpha: number, kinked: boolean,
  value: Scalar, slopeFromZA: (z: number, a: number, alpha: number) => number, loop?: Loop, slopeLoop?: SlopeLoop,
): Activation {
  return {
    name, alpha, kinked,
    forward(z, a, rows, cols) {
      const size = rows * cols;
      if (loop) loop(z, a, size);
      else for (let i = 0; i < size; i++) a[i] = value(z[i], alpha);
    },
    backward(z, a, g, delta, rows, cols) {
      const size = rows * cols;
      if (slopeLoop) slopeLoop(z, a, g, delta, size);
      else for (let i = 0; i < size; i++) delta[i] = g[i] * slopeFromZA(z[i], a[i], alpha);
    },
    value: (z) => value(z, alpha),
    slope: (z) => slopeFromZA(z, value(z, alpha), alpha),
  };
}

function softmax(): Activation {
  return {
    name: "softmax", alpha: 0, kinked: false,
    forward(z, a, rows, cols) {
      for (let c = 0; c < cols; c++) {
        let max = -Infinity;
        for (let r = 0; r < rows; r++) max = Math.max(max, z[r * cols + c]);
        let sum = 0;
        for (let r = 0; r < rows; r++) {
          const e = Math.exp(z[r * cols + c] - max);
          a[r * cols + c] = e;
          sum += e;
        }
        for (let r = 0; r < rows; r++) a[r * cols + c] /= sum;
      }
    },
    backward(_z, a, g, delta, rows, cols) {
      for (let c = 0; c < cols; c++) {
        let dot = 0;
        for (let r = 0; r < rows; r++) dot += a[r * cols + c] * g[r * cols + c];
        for (let r = 0; r < rows; r++) {
          const i = r * cols + c;
          delta[i] = a[i] * (g[i] - dot);
        }
      }
    },
    value: () => Number.NaN,
    slope: () => Number.NaN,
  };
}

/** The activation a spec names, with its defaults (leaky_relu α = 0.01, elu α = 1). */
export function activationOf(spec: ActivationSpec): Activation {
  switch (spec.name) {
    case "identity":
      return elementwise("identity", 0, false, (z) => z, () => 1);
    case "sigmoid":
      return elementwise("sigmoid", 0, false, sigmoidOf, (_z, a) => a * (1 - a), sigmoidLoop, sigmoidSlopeLoop);
    case "tanh":
      return elementwise("tanh", 0, false, Math.tanh, (_z, a) => 1 - a * a, tanhLoop, tanhSlopeLoop);
    case "relu":
      return elementwise("relu", 0, true, (z) => (z > 0 ? z : 0), (z) => (z > 0 ? 1 : 0), reluLoop, reluSlopeLoop);
    case "leaky_relu":
      return elementwise("leaky_relu", spec.alpha ?? 0.01, true, (z, al) => (z > 0 ? z : al * z), (z, _a, al) => (z > 0 ? 1 : al));
    case "elu":
      // σ′(z) = α·eᶻ for z ≤ 0, computed from z rather than as a + α to keep its precision
      return elementwise("elu", spec.alpha ?? 1, true, (z, al) => (z > 0 ? z : al * Math.expm1(z)), (z, _a, al) => (z > 0 ? 1 : al * Math.exp(z)));
    case "softplus":
      return elementwise("softplus", 0, false, softplusOf, (z) => sigmoidOf(z));
    case "gelu":
      // σ′(z) = Φ(z) + z φ(z)
      return elementwise("gelu", 0, false, geluOf, (z) => normalCdf(z) + z * normalPdf(z));
    case "silu": {
      // σ′(z) = s (1 + z (1 − s)), s = sigmoid(z)
      const slope = (z: number): number => { const s = sigmoidOf(z); return s * (1 + z * (1 - s)); };
      return elementwise("silu", 0, false, siluOf, slope);
    }
    case "selu":
      // λz for z > 0, λα(eᶻ − 1) otherwise; σ′(z) = λ or λα eᶻ
      return elementwise("selu", 0, true,
        (z) => (z > 0 ? seluScale * z : seluScale * seluAlpha * Math.expm1(z)),
        (z) => (z > 0 ? seluScale : seluScale * seluAlpha * Math.exp(z)));
    case "softmax":
      return softmax();
  }
}
