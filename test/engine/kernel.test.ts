import { describe, expect, it } from "vitest";
import { Rng, jsKernel, referenceKernel } from "../../server/src/engine/index";

function randomArray(n: number, rng: Rng): Float64Array {
  return Float64Array.from({ length: n }, () => rng.normal());
}

describe("the tiled kernel equals the reference triple loop", () => {
  const rng = new Rng(42);
  const shapes = [[1, 1, 1], [4, 4, 4], [5, 7, 3], [9, 10, 13], [16, 3, 1], [3, 17, 8], [30, 10, 21]];
  for (const [m, n, k] of shapes) {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        for (const [alpha, beta] of [[1, 0], [0.5, 1], [-2, 0.25]]) {
          it(`${m}×${n}×${k} transA=${transA} transB=${transB} α=${alpha} β=${beta}`, () => {
            const a = randomArray(m * k, rng);
            const b = randomArray(k * n, rng);
            const c0 = randomArray(m * n, rng);
            const expected = c0.slice();
            const actual = c0.slice();
            referenceKernel.gemm(transA, transB, m, n, k, alpha, a, b, beta, expected);
            jsKernel.gemm(transA, transB, m, n, k, alpha, a, b, beta, actual);
            actual.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 12));
          });
        }
      }
    }
  }

  it("overwrites C when β = 0, even where C held NaN", () => {
    const c = new Float64Array(4).fill(Number.NaN);
    jsKernel.gemm(false, false, 2, 2, 1, 1, Float64Array.of(1, 2), Float64Array.of(3, 4), 0, c);
    expect(Array.from(c)).toEqual([3, 4, 6, 8]);
  });
});
