import { describe, expect, it } from "vitest";
import { weightsTrainedWith } from "./helpers";
import { Rng, availableWasmKernels, createWasmKernel, jsKernel } from "../../server/src/engine/index";

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
    expect(weightsTrainedWith(wasm!)).toEqual(weightsTrainedWith(jsKernel));
  });
});
