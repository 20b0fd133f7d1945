import { describe, expect, it } from "vitest";
import {
  Rng, activationOf, computeGradients, createNetwork, createOptimizer, fromRows, lossValue, outputRule,
  type ActivationSpec, type NetworkSpec,
} from "../../server/src/engine/index";

const all: ActivationSpec[] = [
  { name: "identity" }, { name: "sigmoid" }, { name: "tanh" }, { name: "relu" }, { name: "leaky_relu" }, { name: "elu" }, { name: "softplus" },
];

describe("activations", () => {
  for (const spec of all) {
    it(`${spec.name}: σ′ is the derivative of σ away from kinks`, () => {
      const act = activationOf(spec);
      for (const z of [-3.1, -0.7, 0.4, 2.2]) {
        const numeric = (act.value(z + 1e-6) - act.value(z - 1e-6)) / 2e-6;
        expect(act.slope(z)).toBeCloseTo(numeric, 8);
      }
    });
  }
  it("default α: leaky_relu 0.01, elu 1", () => {
    expect(activationOf({ name: "leaky_relu" }).value(-2)).toBeCloseTo(-0.02, 15);
    expect(activationOf({ name: "elu" }).value(-1)).toBeCloseTo(Math.exp(-1) - 1, 15);
    expect(activationOf({ name: "elu", alpha: 2 }).slope(-1)).toBeCloseTo(2 * Math.exp(-1), 15);
  });
  it("sigmoid and softplus are stable for large |z|", () => {
    const sigmoid = activationOf({ name: "sigmoid" });
    expect(sigmoid.value(-800)).toBe(0);
    expect(sigmoid.value(800)).toBe(1);
    expect(activationOf({ name: "softplus" }).value(800)).toBe(800);
  });
  it("softmax is column-wise, stable, and its backward is the Jacobian-vector product", () => {
    const act = activationOf({ name: "softmax" });
    const z = Float64Array.of(1000, 1, 1001, 2, 999, 3); // 3 units × 2 examples
    const a = new Float64Array(6);
    act.forward(z, a, 3, 2);
    expect(a[0] + a[2] + a[4]).toBeCloseTo(1, 15);
    expect(a[1] + a[3] + a[5]).toBeCloseTo(1, 15);
    const g = Float64Array.of(0.3, -1, 2, 0.5, -0.4, 1);
    const delta = new Float64Array(6);
    act.backward(z, a, g, delta, 3, 2);
    for (let c = 0; c < 2; c++) {
      for (let i = 0; i < 3; i++) {
        let expected = 0; // Σ_j J_ji g_j with J_ji = a_j(δ_ij − a_i)
        for (let j = 0; j < 3; j++) expected += a[j * 2 + c] * ((i === j ? 1 : 0) - a[i * 2 + c]) * g[j * 2 + c];
        expect(delta[i * 2 + c]).toBeCloseTo(expected, 14);
      }
    }
  });
});

describe("losses", () => {
  it("fused cross-entropies are finite for saturated outputs", () => {
    const sigmoid = activationOf({ name: "sigmoid" });
    const softmax = activationOf({ name: "softmax" });
    const z = Float64Array.of(800, -800);
    const a = Float64Array.of(1, 0);
    const y = Float64Array.of(0, 1);
    expect(lossValue("binary_cross_entropy", outputRule("binary_cross_entropy", sigmoid), z, a, y, 1, 2)).toBeCloseTo(800, 9);
    expect(lossValue("cross_entropy", outputRule("cross_entropy", softmax), z, a, y, 2, 1)).toBeCloseTo(1600, 9);
  });
  it("mse is ½‖a − y‖² per example, averaged over the batch", () => {
    const identity = activationOf({ name: "identity" });
    const a = Float64Array.of(1, 2, 3, 4);
    expect(lossValue("mse", outputRule("mse", identity), a, a, Float64Array.of(0, 0, 0, 0), 2, 2)).toBe((1 + 4 + 9 + 16) / 4);
  });
});

const tiny: NetworkSpec = {
  name: "tiny", input: { name: "x", units: 2 }, loss: "mse",
  layers: [{ kind: "dense", name: "out", units: 1, from: "x", activation: { name: "identity" }, init: { name: "uniform", limit: 0.5 } }],
};

describe("optimizers", () => {
  const x = fromRows([[1, 2], [3, -1]]);
  const y = fromRows([[0.5, -0.5]]);
  it("sgd: θ ← θ − η(g + λW), with λ on W only", () => {
    const net = createNetwork(tiny, { seed: 1 });
    computeGradients(net, x, y);
    const W = Array.from(net.dense[0].weights.data), dW = Array.from(net.dense[0].weightGradient.data);
    const b = net.dense[0].bias[0], db = net.dense[0].biasGradient[0];
    createOptimizer(net, { name: "sgd", lr: 0.1, momentum: 0 }, 0.5).step(true);
    W.forEach((w, i) => expect(net.dense[0].weights.data[i]).toBeCloseTo(w - 0.1 * (dW[i] + 0.5 * w), 15));
    expect(net.dense[0].bias[0]).toBeCloseTo(b - 0.1 * db, 15);
  });
  it("adam: the bias-corrected first step moves each weight by lr·sign(g)", () => {
    const net = createNetwork(tiny, { seed: 1 });
    computeGradients(net, x, y);
    const W = Array.from(net.dense[0].weights.data), dW = Array.from(net.dense[0].weightGradient.data);
    createOptimizer(net, { name: "adam", lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-12 }, 0).step(true);
    W.forEach((w, i) => expect(net.dense[0].weights.data[i]).toBeCloseTo(w - 0.01 * Math.sign(dW[i]), 10));
  });
  it("momentum accumulates velocity", () => {
    const net = createNetwork(tiny, { seed: 1 });
    const opt = createOptimizer(net, { name: "sgd", lr: 0.1, momentum: 0.9 }, 0);
    net.dense[0].weightGradient.data.fill(1);
    net.dense[0].biasGradient.fill(0);
    const w0 = net.dense[0].weights.data[0];
    opt.step(true);
    opt.step(true);
    expect(net.dense[0].weights.data[0]).toBeCloseTo(w0 - 0.1 - (0.9 * 0.1 + 0.1), 14);
    expect(opt.updateRatios[0]).toBeGreaterThan(0);
  });
});

describe("initialisers and the generator", () => {
  const layer = (init: NetworkSpec["layers"][number] extends infer L ? L extends { init: infer I } ? I : never : never) =>
    createNetwork({ ...tiny, input: { name: "x", units: 200 }, layers: [{ ...tiny.layers[0], units: 100, init } as NetworkSpec["layers"][number]] }, { seed: 3 }).dense[0].weights.data;
  it("xavier is uniform on ±√(6/(fan_in + fan_out)); he has std √(2/fan_in); biases start at 0", () => {
    const limit = Math.sqrt(6 / 300);
    const xavier = layer({ name: "xavier" });
    expect(Math.max(...xavier)).toBeLessThanOrEqual(limit);
    expect(Math.max(...xavier)).toBeGreaterThan(0.95 * limit);
    const he = layer({ name: "he" });
    const std = Math.sqrt(he.reduce((s, v) => s + v * v, 0) / he.length);
    expect(std).toBeCloseTo(Math.sqrt(2 / 200), 2);
    expect(createNetwork(tiny).dense[0].bias.every((v) => v === 0)).toBe(true);
  });
  it("the generator repeats its stream for a seed and stays in [0, 1)", () => {
    const a = new Rng(12), b = new Rng(12), c = new Rng(13);
    const first = Array.from({ length: 1000 }, () => a.next());
    expect(Array.from({ length: 1000 }, () => b.next())).toEqual(first);
    expect(Array.from({ length: 1000 }, () => c.next())).not.toEqual(first);
    expect(first.every((v) => v >= 0 && v < 1)).toBe(true);
    const mean = first.reduce((s, v) => s + v, 0) / first.length;
    expect(mean).toBeCloseTo(0.5, 1);
  });
});
