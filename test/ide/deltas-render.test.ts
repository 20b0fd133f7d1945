/** The symbolic deltas as the hover writes them (backprop §5, §6.2), one convention for every name. */
import { describe, expect, it } from "vitest";
import type { ActivationSpec, LossName, NetworkSpec } from "../../server/src/engine/index";
import { countText, layerDeltas, renderExpr, superscript } from "../../server/src/language/formula/index";

function chain(output: ActivationSpec, loss: LossName, hidden = "h"): NetworkSpec {
  return {
    name: "chain", loss,
    input: { name: "x", units: 2 },
    layers: [
      { kind: "dense", name: `${hidden}1`, units: 4, from: "x", activation: { name: "tanh" }, init: { name: "xavier" } },
      { kind: "dense", name: `${hidden}2`, units: 4, from: `${hidden}1`, activation: { name: "sigmoid" }, init: { name: "xavier" } },
      { kind: "dense", name: "out", units: 3, from: `${hidden}2`, activation: output, init: { name: "xavier" } },
    ],
  };
}

const bp1 = (output: ActivationSpec, loss: LossName) => renderExpr(layerDeltas(chain(output, loss), "out")!.delta);

describe("rendering", () => {
  it("unrolls δ of the first layer into the product of backprop §6.2", () => {
    const h1 = layerDeltas(chain({ name: "sigmoid" }, "mse"), "h1")!;
    expect(renderExpr(h1.unrolled)).toBe("Sʰ¹ (Wʰ²)ᵀ Sʰ² (Wᵒᵘᵗ)ᵀ Sᵒᵘᵗ ∇ₐC");
    expect(renderExpr(h1.delta)).toBe("((Wʰ²)ᵀ δʰ²) ⊙ tanh′(zʰ¹)");
    expect(renderExpr(h1.bp4!.single)).toBe("δʰ¹ xᵀ");
    expect(renderExpr(h1.bp4!.batched)).toBe("(1/m) Δʰ¹ Xᵀ");
    expect(renderExpr(h1.bp3!.batched)).toBe("(1/m) Δʰ¹ 𝟏");
  });

  it("specialises BP1 to the loss and the output activation (§5.1)", () => {
    // the exact form; aᵒᵘᵗ − y only when the targets sum to 1
    expect(bp1({ name: "softmax" }, "cross_entropy")).toBe("aᵒᵘᵗ·Σⱼyⱼ − y");
    expect(bp1({ name: "sigmoid" }, "binary_cross_entropy")).toBe("aᵒᵘᵗ − y");
    expect(bp1({ name: "sigmoid" }, "mse")).toBe("(aᵒᵘᵗ − y) ⊙ σ′(zᵒᵘᵗ)");
    expect(bp1({ name: "identity" }, "mse")).toBe("aᵒᵘᵗ − y");
    expect(bp1({ name: "softmax" }, "mse")).toBe("(Jᵒᵘᵗ)ᵀ (aᵒᵘᵗ − y)");
    expect(bp1({ name: "sigmoid" }, "cross_entropy")).toBe("∇ₐC ⊙ σ′(zᵒᵘᵗ)");
    expect(renderExpr(layerDeltas(chain({ name: "sigmoid" }, "cross_entropy"), "out")!.lossGradient!)).toBe("−(y ⊘ aᵒᵘᵗ)");
  });

  it("writes superscripts where Unicode has them, ^(name) otherwise", () => {
    expect(superscript("h1")).toBe("ʰ¹");
    expect(superscript("out")).toBe("ᵒᵘᵗ");
    expect(superscript("hidden_1")).toBe("^(hidden\\_1)");
    expect(superscript("q")).toBe("^(q)");
    const h1 = layerDeltas(chain({ name: "sigmoid" }, "mse", "hidden_"), "hidden_1")!;
    expect(renderExpr(h1.delta)).toBe("((W^(hidden\\_2))ᵀ δ^(hidden\\_2)) ⊙ tanh′(z^(hidden\\_1))");
  });

  it("writes huge path counts as powers of ten", () => {
    expect(countText(1234)).toBe("1,234");
    expect(countText(2 ** 99)).toBe("≈ 6.3 × 10²⁹");
  });
});
