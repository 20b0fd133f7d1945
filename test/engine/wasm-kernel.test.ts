import { describe, expect, it } from "vitest";
import { Rng, availableWasmKernels, createNetwork, createWasmKernel, exportWeights, jsKernel, train, datasetFromSpec } from "../../server/src/engine/index";

const wasm = createWasmKernel("wasm-simd-4x4");

describe("the WASM SIMD kernel", () => {
  it("is available in this Node", () => {
    expect(wasm?.name).toBe("wasm-simd-4x4");
    expect(availableWasmKernels()).toContain("wasm-simd-4x4");
  });

  it("gives the JavaScript kernel's result bit for bit, for every transpose, α, β and edge size", () => {
    const rng = new Rng(8);
    for (const [m, n, k] of [[1, 1, 1], [4, 4, 4], [5, 7, 3], [30, 10, 784], [10, 30, 10], [13, 6, 2], [64, 10, 64]]) {
      for (const transA of [false, true]) {
        for (const transB of [false, true]) {
          for (const [alpha, beta] of [[1, 0], [0.1, 1], [-2, 0.5]]) {
            const a = Float64Array.from({ length: m * k }, () => rng.normal());
            const b = Float64Array.from({ length: k * n }, () => rng.normal());
            const c = Float64Array.from({ length: m * n }, () => rng.normal());
            const viaJs = c.slice();
            const viaWasm = c.slice();
            jsKernel.gemm(transA, transB, m, n, k, alpha, a, b, beta, viaJs);
            wasm!.gemm(transA, transB, m, n, k, alpha, a, b, beta, viaWasm);
            expect(viaWasm).toEqual(viaJs);
          }
        }
      }
    }
  });

  it("trains to the same weights as the JavaScript kernel", () => {
    const spec = {
      name: "k", input: { name: "x", units: 2 }, loss: "binary_cross_entropy" as const,
      layers: [
        { kind: "dense" as const, name: "h", units: 9, from: "x", activation: { name: "tanh" as const }, init: { name: "xavier" as const } },
        { kind: "dense" as const, name: "out", units: 1, from: "h", activation: { name: "sigmoid" as const }, init: { name: "xavier" as const } },
      ],
    };
    const data = datasetFromSpec({ kind: "generator", name: "circles", samples: 50, noise: 0.1, classes: 2 }, 1);
    const ts = { optimizer: { name: "adam" as const, lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8 }, epochs: 5, batch: 7, validation: 0, seed: 1, shuffle: true, l2: 0 };
    const a = createNetwork(spec, { seed: 2, kernel: jsKernel });
    const b = createNetwork(spec, { seed: 2, kernel: wasm! });
    train(a, data, ts);
    train(b, data, ts);
    expect(exportWeights(b)).toEqual(exportWeights(a));
  });
});
