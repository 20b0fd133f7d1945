/** Hovers on the names a layer or network uses: activations, losses, units, data, settings. */
import type { ActivationName, LossName, NetworkSpec } from "../../../engine/index";
import {
  dataSources, gradcheckKeys, initialisers, lookup, optimizers, trainKeys, type DataModel, type LayerModel, type NetworkModel,
} from "../../semantics/index";
import { escapeMarkdown, fusedPair, layerDeltas, lossGradientDefinition, renderExpr, superscript } from "../../formula/index";

/** σ and σ′ of every activation (backprop §5.1, §5.2). */
export const activationFormulas: Record<ActivationName, { value: string; slope: string }> = {
  identity: { value: "σ(z) = z", slope: "σ′(z) = 1" },
  sigmoid: { value: "σ(z) = 1 / (1 + e⁻ᶻ)", slope: "σ′(z) = σ(z) (1 − σ(z))" },
  tanh: { value: "tanh(z) = (eᶻ − e⁻ᶻ) / (eᶻ + e⁻ᶻ)", slope: "tanh′(z) = 1 − tanh²(z)" },
  relu: { value: "relu(z) = max(0, z)", slope: "relu′(z) = 1 if z > 0, else 0" },
  leaky_relu: { value: "leaky\\_relu(z) = z if z > 0, else α z", slope: "leaky\\_relu′(z) = 1 if z > 0, else α" },
  elu: { value: "elu(z) = z if z > 0, else α (eᶻ − 1)", slope: "elu′(z) = 1 if z > 0, else α eᶻ" },
  softplus: { value: "softplus(z) = ln(1 + eᶻ)", slope: "softplus′(z) = σ(z) = 1 / (1 + e⁻ᶻ)" },
  softmax: { value: "softmax(z)ⱼ = e^(zⱼ) / Σₖ e^(zₖ)", slope: "∂aⱼ/∂zₖ = aⱼ (1[j = k] − aₖ): J = diag(a) − a aᵀ" },
  gelu: {
    value: "gelu(z) = z Φ(z) = ½ z (1 + erf(z/√2)), the exact erf form (not the tanh approximation)",
    slope: "gelu′(z) = Φ(z) + z φ(z), with φ(z) = e^(−z²/2) / √(2π)",
  },
  silu: { value: "silu(z) = z σ(z) = z / (1 + e⁻ᶻ) (swish)", slope: "silu′(z) = σ(z) (1 + z (1 − σ(z)))" },
  selu: {
    value: "selu(z) = λ z if z > 0, else λ α (eᶻ − 1), with λ = 1.0507009873554805, α = 1.6732632423543772",
    slope: "selu′(z) = λ if z > 0, else λ α eᶻ",
  },
};

/** C per example; the batch loss is their mean (backprop §6.4). */
export const lossFormulas: Record<LossName, string> = {
  mse: "C = ½ ‖aᴸ − y‖²",
  binary_cross_entropy: "C = −Σⱼ [yⱼ ln aⱼᴸ + (1 − yⱼ) ln(1 − aⱼᴸ)]",
  cross_entropy: "C = −Σⱼ yⱼ ln aⱼᴸ",
  mae: "C = Σⱼ |aⱼᴸ − yⱼ| (L1)",
  huber: "C = Σⱼ hⱼ, hⱼ = ½ (aⱼᴸ − yⱼ)² if |aⱼᴸ − yⱼ| ≤ δ, else δ (|aⱼᴸ − yⱼ| − ½ δ)",
};

/** How each loss is reduced: summed over output units, averaged over the batch (torch's mean-reduced losses also average over units). */
const reduction = "summed over the output units, averaged over the batch (torch's L1Loss, MSELoss and HuberLoss with reduction='mean' also divide by the number of output units)";

function gradientFor(loss: LossName, output = "out", delta?: number): string {
  return renderExpr(lossGradientDefinition(loss, output, delta));
}

export function activationHover(name: ActivationName, layer: LayerModel | undefined, alpha?: number): string {
  const formulas = activationFormulas[name];
  const lines = [`**${escapeMarkdown(name)}**${alpha !== undefined ? ` (α = ${alpha})` : ""}`, formulas.value, formulas.slope];
  if (layer && name !== "softmax") {
    const slope = `${name === "sigmoid" ? "σ" : escapeMarkdown(name)}′(z${superscript(layer.name)})`;
    lines.push(`In \`${layer.name}\`: δ${superscript(layer.name)} = (…) ⊙ ${slope}, and S${superscript(layer.name)} = diag(${slope}) in the unrolled product`);
  }
  return lines.join("  \n");
}

export function lossHover(loss: LossName, spec: NetworkSpec | undefined, outputName: string | undefined): string {
  const output = outputName ?? "out";
  const delta = loss === "huber" ? spec?.huberDelta ?? 1 : undefined;
  const lines = [
    `**${escapeMarkdown(loss)}**${delta !== undefined ? ` (δ = ${delta})` : ""}`,
    `${lossFormulas[loss]} per example, averaged over the batch`,
    ...(loss === "mae" || loss === "huber" ? [`reduction: ${reduction}`] : []),
    `∇ₐC = ${gradientFor(loss, output, delta)}`,
    ...(loss === "mae" ? ["sign(0) = 0: C has a kink at aᴸ = y, where this is a subgradient (the gradient check flags it, as it does relu's)"] : []),
    ...(loss === "huber" ? ["C is smooth (its gradient is continuous) at |aᴸ − y| = δ, where the quadratic part meets the linear one"] : []),
  ];
  const bp1 = spec && outputName ? layerDeltas(spec, outputName) : undefined;
  if (spec && bp1) {
    const fused = fusedPair(spec);
    lines.push(`BP1 in this network: δ${superscript(output)} = ${renderExpr(bp1.delta)}${fused ? ` — the ${fused.split("+")[0]} output's σ′ cancels` : ""}`);
  }
  return lines.join("  \n");
}

export function unitsHover(network: NetworkModel, layer: LayerModel | undefined): string {
  if (!layer) {
    const units = network.input?.units;
    return `**input** x ∈ ℝ${superscript(String(units ?? "?"))}: ${units ?? "?"} features per example, a⁰ = x (no parameters)`;
  }
  const fanIn = layer.units !== undefined && layer.params > 0 ? (layer.params - layer.units) / layer.units : undefined;
  if (fanIn === undefined || layer.units === undefined) return `**${layer.units ?? "?"} units** (parameters unknown until the input of this layer is fixed)`;
  return [
    `**${layer.units} units** in \`${layer.name}\``,
    `W${superscript(layer.name)}: ${layer.units} × ${fanIn} = ${(layer.units * fanIn).toLocaleString("en-US")} weights`,
    `b${superscript(layer.name)}: ${layer.units} biases`,
    `${layer.params.toLocaleString("en-US")} parameters in this layer, ${network.totalParams.toLocaleString("en-US")} in the network`,
  ].join("  \n");
}

export function dataHover(data: DataModel | undefined, name: string | undefined): string {
  const info = name ? lookup(dataSources, name) : undefined;
  const lines = [`**data ${name ? escapeMarkdown(name) : "(inline rows)"}**${info ? ` — ${escapeMarkdown(info.doc)}` : ""}`];
  if (data?.features !== undefined || data?.targets !== undefined) {
    lines.push(`shape: ${data.features ?? "?"} features → ${data.targets ?? "?"} target${data.targets === 1 ? "" : "s"} per row`);
  }
  if (data?.rows !== undefined) lines.push(`size: ${data.rows.toLocaleString("en-US")} rows`);
  if (data?.csv?.featureColumns) lines.push(`features (input order): ${data.csv.featureColumns.map((c, i) => `x${i + 1} = ${escapeMarkdown(c)}`).join(", ")}`);
  if (data?.csv) lines.push(`${data.csv.targets.length === 1 ? "target" : "targets (output order)"}: ${data.csv.targets.map(escapeMarkdown).join(", ")}${data.targetKind === "regression" ? " (regression)" : ""}`);
  if (data?.labels?.length) lines.push(`classes (one-hot order): ${data.labels.map(escapeMarkdown).join(", ")}`);
  if (data?.path) lines.push(`file: ${escapeMarkdown(data.path)}`);
  for (const param of info?.params ?? []) {
    lines.push(`${param.name}: ${escapeMarkdown(param.doc)}${param.default !== undefined ? ` (default ${param.default})` : ""}`);
  }
  return lines.join("  \n");
}

export function settingHover(block: "train" | "gradcheck", key: string): string | undefined {
  const info = (block === "train" ? trainKeys : gradcheckKeys).find((each) => each.name === key);
  return info ? `**${block} ${escapeMarkdown(info.name)}** — ${escapeMarkdown(info.doc)}  \ndefault: ${escapeMarkdown(info.default)}` : undefined;
}

export function calledNameHover(table: "init" | "optimizer", name: string): string | undefined {
  const info = table === "init" ? lookup(initialisers, name) : lookup(optimizers, name);
  if (!info) return undefined;
  const params = info.params.map((param) => `${param.name}: ${escapeMarkdown(param.doc)}${param.default !== undefined ? ` (default ${param.default})` : ""}`);
  return [`**${escapeMarkdown(info.name)}** — ${escapeMarkdown(info.doc)}`, ...params].join("  \n");
}
