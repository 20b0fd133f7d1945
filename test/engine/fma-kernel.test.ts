// The fused multiply-add kernel (relaxed SIMD) against the JavaScript and
// plain SIMD kernels: equal to a tolerance (each step rounds once, not twice),
// the same bits on every run, and training to the same weights to a tolerance.
import { describe, expect, it } from "vitest";
import { weightsTrainedWith } from "./helpers";
import { Rng, availableWasmKernels, createWasmKernel, hasRelaxedSimd, jsKernel } from "../../server/src/engine/index";
import { enableRelaxedSimd } from "../../server/src/training/index";

enableRelaxedSimd();
const fma = createWasmKernel("wasm-fma-4x4");
const shapes = [[1, 1, 1], [4, 4, 4], [5, 7, 3], [30, 10, 784], [10, 30, 10], [13, 6, 2], [128, 64, 784]];

function operands(m: number, n: number, k: number, rng: Rng) {
  const fill = (length: number) => Float64Array.from({ length }, () => rng.normal());
  return { a: fill(m * k), b: fill(k * n), c: fill(m * n) };
}

describe("the fused multiply-add kernel", () => {
  it("is detected once Node's relaxed-SIMD flag is set, and comes first", () => {
    expect(hasRelaxedSimd()).toBe(true);
    expect(fma?.name).toBe("wasm-fma-4x4");
    expect(availableWasmKernels()).toEqual(["wasm-fma-4x4", "wasm-simd-4x4"]);
    expect(createWasmKernel()?.name).toBe("wasm-fma-4x4");
  });

  it("agrees with the JavaScript kernel to rounding, for every transpose, α, β and edge size, and is not the same bits", () => {
    const rng = new Rng(8);
    let differing = 0;
    for (const [m, n, k] of shapes) {
      for (const transA of [false, true]) {
        for (const transB of [false, true]) {
          for (const [alpha, beta] of [[1, 0], [0.1, 1], [-2, 0.5]]) {
            const { a, b, c } = operands(m, n, k, rng);
            const viaJs = c.slice();
            const viaFma = c.slice();
            jsKernel.gemm(transA, transB, m, n, k, alpha, a, b, beta, viaJs);
            fma!.gemm(transA, transB, m, n, k, alpha, a, b, beta, viaFma);
            // each sum's rounding error is at most (k + 2)·ε·|α|·Σ|a||b| (Higham's γₖ), so two sums differ by at most twice that
            const magnitude = new Float64Array(m * n);
            jsKernel.gemm(transA, transB, m, n, k, Math.abs(alpha), a.map(Math.abs), b.map(Math.abs), 0, magnitude);
            viaJs.forEach((v, i) => expect(Math.abs(viaFma[i] - v)).toBeLessThanOrEqual(2 * (k + 2) * Number.EPSILON * magnitude[i]));
            differing += viaJs.filter((v, i) => v !== viaFma[i]).length;
          }
        }
      }
    }
    expect(differing).toBeGreaterThan(0); // it really fuses: some entries round differently
  });

  it("gives the same bits on every run", () => {
    const { a, b, c } = operands(37, 23, 301, new Rng(3));
    const first = c.slice();
    const second = c.slice();
    fma!.gemm(false, true, 37, 23, 301, 0.5, a, b, 1, first);
    createWasmKernel("wasm-fma-4x4")!.gemm(false, true, 37, 23, 301, 0.5, a, b, 1, second);
    expect(second).toEqual(first);
  });

  it("trains to the JavaScript kernel's weights within rounding", () => {
    const [wa, wb] = [weightsTrainedWith(jsKernel), weightsTrainedWith(fma!)];
    wa.layers.forEach((layer, l) => {
      layer.W.forEach((v, i) => expect(wb.layers[l].W[i]).toBeCloseTo(v, 10));
      layer.b.forEach((v, i) => expect(wb.layers[l].b[i]).toBeCloseTo(v, 10));
    });
  });
});
