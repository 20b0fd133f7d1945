/** One-line readings of what an activation's slope does to δ (backprop §5.3, §6.2). */
import type { ActivationSpec, NetworkSpec } from "../../../engine/index";
import { fusedPair } from "../../formula/index";

export function slopeReading(activation: ActivationSpec, slope: string): string {
  switch (activation.name) {
    case "sigmoid": return `σ′(z) = σ(z)(1 − σ(z)) ≤ ¼: saturated sigmoids make ${slope} small, so each sigmoid layer shrinks δ at least fourfold.`;
    case "tanh": return `tanh′(z) = 1 − tanh²(z) ≤ 1: saturated units (large |z|) make ${slope} small and δ fades.`;
    case "relu": return `relu′(z) is 0 or 1: ${slope} passes δ unchanged through active units and stops it at units with z ≤ 0 (dead units never learn).`;
    case "leaky_relu": return `leaky\\_relu′(z) is 1 or α = ${activation.alpha ?? 0.01}: ${slope} never stops δ completely.`;
    case "elu": return `elu′(z) is 1 for z > 0 and α eᶻ below: ${slope} fades smoothly for negative z.`;
    case "softplus": return `softplus′(z) = σ(z) ∈ (0, 1): a smooth relu; ${slope} is small for very negative z.`;
    case "identity": return `identity has σ′ = 1: ${slope} = I, δ passes unchanged.`;
    case "gelu": return `gelu′(z) = Φ(z) + z φ(z) runs from 0 (very negative z) to 1 (large z), dipping slightly below 0 near z ≈ −0.75: ${slope} is a smooth relu-like gate.`;
    case "silu": return `silu′(z) = σ(z)(1 + z(1 − σ(z))) is near 0 for very negative z and near 1 for large z, slightly above 1 around z ≈ 2.4: ${slope} is a smooth relu-like gate.`;
    case "selu": return `selu′(z) is λ ≈ 1.05 for z > 0 and λα eᶻ (up to ≈ 1.76) below: ${slope} rescales δ so activations stay near zero mean and unit variance.`;
    case "softmax": return "softmax couples its units: its slope is the Jacobian J = diag(a) − a aᵀ, not a diagonal.";
  }
}

export function outputReading(spec: NetworkSpec, activation: ActivationSpec | undefined, slope: string): string {
  const fused = fusedPair(spec);
  if (fused === "softmax+cross_entropy") return "softmax + cross-entropy: the softmax Jacobian cancels against ∇ₐC = −y ⊘ a, leaving δ = a·Σⱼyⱼ − y, which is a − y for one-hot or distribution targets (Σⱼyⱼ = 1): the output never saturates.";
  if (fused === "sigmoid+binary_cross_entropy") return "sigmoid + binary cross-entropy: σ′(z) = a(1 − a) cancels the denominator of ∇ₐC, leaving δ = a − y: the output never saturates.";
  if (spec.loss === "mse" && (activation?.name === "sigmoid" || activation?.name === "softmax")) {
    return `mse on a ${activation.name} output keeps σ′ in δ: a confidently wrong output (saturated ${slope}) learns slowly; cross-entropy would cancel it.`;
  }
  return activation ? slopeReading(activation, slope) : "δ of this layer is the loss gradient itself.";
}
