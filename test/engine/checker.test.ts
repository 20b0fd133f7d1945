import { describe, expect, it } from "vitest";
import { activationOf, gradcheck, type Activation } from "../../server/src/engine/index";
import { batchFor, build, chainSpec, dagSpec } from "./helpers";

// A tanh whose backward uses 1 − a instead of 1 − a²: the kind of slip §6.5 is for.
function wrongTanh(): Activation {
  const right = activationOf({ name: "tanh" });
  return {
    ...right,
    backward(_z, a, g, delta, rows, cols) {
      for (let i = 0; i < rows * cols; i++) delta[i] = g[i] * (1 - a[i]);
    },
  };
}

describe("the gradient checker catches bugs and tells kinks apart", () => {
  it("fails a network whose hidden σ′ is wrong, naming the layer", () => {
    const network = build(chainSpec([3, 4, 3, 2], { name: "tanh" }, { name: "sigmoid" }, "binary_cross_entropy"));
    const h1 = network.nodes[1];
    if (h1.kind !== "dense") throw new Error("expected a dense h1");
    h1.activation = wrongTanh();
    const { x, y } = batchFor(network, 4, 2);
    const { report } = gradcheck(network, x, y);
    expect(report.passed).toBe(false);
    const failing = report.rows.filter((r) => !r.passed).map((r) => `${r.layer}.${r.param}`);
    expect(failing).toEqual(["h1.W", "h1.b"]);
    expect(report.rows.find((r) => r.layer === "h1" && r.param === "W")!.maxRelError).toBeGreaterThan(1e-2);
  });

  it("fails when one successor's contribution is dropped from the BP2 sum", () => {
    const network = build(dagSpec({ name: "tanh" }, { name: "identity" }, "mse", 2));
    const h1 = network.nodes.findIndex((n) => n.name === "h1");
    expect(network.incoming[h1].length).toBe(3); // h2, h3 and the concat
    network.incoming[h1] = network.incoming[h1].slice(0, 2);
    const { x, y } = batchFor(network, 4, 2);
    const { report } = gradcheck(network, x, y);
    expect(report.rows.filter((r) => !r.passed).map((r) => r.layer)).toEqual(["h1", "h1"]);
  });

  it("flags checks that straddle a relu kink instead of failing them", () => {
    const network = build(chainSpec([2, 3, 1], { name: "relu" }, { name: "identity" }, "mse"));
    const h1 = network.nodes[1];
    if (h1.kind !== "dense") throw new Error("expected a dense h1");
    h1.weights.data.fill(0); // z = b = 0 exactly: every bias perturbation crosses the kink
    const { x, y } = batchFor(network, 3, 5);
    const { report, raw } = gradcheck(network, x, y);
    const bias = report.rows.find((r) => r.layer === "h1" && r.param === "b")!;
    expect(bias.kinks).toBe(3);
    expect(bias.maxRelError).toBeGreaterThan(0.1);
    expect(bias.passed).toBe(true);
    expect(raw.find((r) => r.layer === "h1" && r.param === "b")!.kink).toEqual([true, true, true]);
  });

  it("flags checks that cross the binary cross-entropy clip instead of failing them", () => {
    const network = build(chainSpec([2, 3, 2], { name: "tanh" }, { name: "identity" }, "binary_cross_entropy"));
    const out = network.dense[1]!;
    out.weights.data.fill(0); // a = b = 0: clipped to CLIP, and every bias perturbation crosses the clip
    const { x, y } = batchFor(network, 3, 5);
    const { report, raw } = gradcheck(network, x, y);
    const bias = report.rows.find((r) => r.layer === "out" && r.param === "b")!;
    expect([bias.kinks, bias.clips, bias.passed]).toEqual([0, 2, true]);
    expect(bias.maxRelError).toBeGreaterThan(0.1);
    expect(raw.find((r) => r.layer === "out" && r.param === "b")!.clip).toEqual([true, true]);
  });

  it("counts no clip hit while the outputs stay inside (0, 1), so a wrong σ′ there still fails", () => {
    const network = build(chainSpec([2, 3, 2], { name: "tanh" }, { name: "identity" }, "binary_cross_entropy"));
    const out = network.dense[1]!;
    out.weights.data.forEach((w, i) => (out.weights.data[i] = w * 0.05));
    out.bias.fill(0.5);
    network.dense[0]!.activation = wrongTanh();
    const { x, y } = batchFor(network, 3, 5);
    const { report } = gradcheck(network, x, y);
    expect(report.rows.every((r) => r.clips === 0)).toBe(true);
    expect(report.rows.filter((r) => !r.passed).map((r) => `${r.layer}.${r.param}`)).toEqual(["h1.W", "h1.b"]);
  });

  it("samples at most maxParams entries per parameter, reproducibly", () => {
    const network = build(chainSpec([6, 8, 2], { name: "tanh" }, { name: "identity" }, "mse"));
    const { x, y } = batchFor(network, 4, 9);
    const first = gradcheck(network, x, y, { maxParams: 10, seed: 4 });
    const again = gradcheck(network, x, y, { maxParams: 10, seed: 4 });
    const w = first.report.rows[0];
    expect([w.checked, w.total]).toEqual([10, 48]);
    expect(first.raw[0].checkedIndices).toEqual(again.raw[0].checkedIndices);
    expect(new Set(first.raw[0].checkedIndices).size).toBe(10);
    expect(first.report.rows.find((r) => r.param === "b")!.checked).toBe(8);
  });

  it("returns the raw gradients, parameters and batch", () => {
    const network = build(chainSpec([2, 3, 1], { name: "tanh" }, { name: "sigmoid" }, "binary_cross_entropy"));
    const { x, y } = batchFor(network, 4, 1);
    const result = gradcheck(network, x, y);
    expect(result.batch.x).toHaveLength(2);
    expect(result.batch.x[0]).toHaveLength(4);
    const w = result.raw[0];
    expect(w.values).toEqual(Array.from(network.dense[0].weights.data));
    expect(w.analytic).toHaveLength(6);
    w.numeric.forEach((n, k) => expect(n).toBeCloseTo(w.analytic[w.checkedIndices[k]], 7));
    expect(result.report.tiny).toBeGreaterThan(0);
  });
});
