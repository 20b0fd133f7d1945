// The activations, losses and the other element-wise steps in WebAssembly
// (transcendental.wat, elementwise.wat): each equals its JavaScript loop bit
// for bit, and a network whose arrays live in the kernel's memory trains to
// the weights, losses and accuracies it gets on plain arrays.
import { describe, expect, it } from "vitest";
import { copying, dagSpec, sameBits, sprinkled } from "./helpers";
import { Rng, availableWasmKernels, createNetwork, createWasmKernel, datasetFromSpec, exportWeights, train, type Kernel } from "../../server/src/engine/index";
import { activationOf } from "../../server/src/engine/activations";
import { lossGradient, lossValue } from "../../server/src/engine/losses";
import { transcendentalMath } from "../../server/src/engine/wasm-activations";
import { enableRelaxedSimd } from "../../server/src/training/index";

enableRelaxedSimd();

describe("the element-wise steps in WebAssembly", () => {
  it("computes exp, expm1, log, log1p and tanh in WebAssembly with Math's bits, on 600,000 values over every range", () => {
    const math = transcendentalMath((globalThis as { WebAssembly?: unknown }).WebAssembly as never);
    const rng = new Rng(13);
    const bits = new DataView(new ArrayBuffer(8));
    const values = [0, -0, 1, -1, Infinity, -Infinity, NaN, 709.78, 709.7827128933841, 709.5, 709.6, 38.82, -38.82, -745.1332191019411, -745.14, 5e-324, 1e-310, 22, -22, 2 ** -28, 2 ** -54, 2 ** -55, 1e-17, Math.LN2 / 2, 1.5 * Math.LN2];
    for (let i = 0; i < 100_000; i++) values.push((rng.next() - 0.5) * 1500, (rng.next() - 0.5) * 50, (rng.next() - 0.5) * 4, (rng.next() - 0.5) * 2 ** -(rng.next() * 60), 1 + (rng.next() - 0.5) * 2 ** -(rng.next() * 40));
    for (let i = 0; i < 100_000; i++) {
      bits.setUint32(0, Math.floor(rng.next() * 2 ** 32));
      bits.setUint32(4, Math.floor(rng.next() * 2 ** 32));
      values.push(bits.getFloat64(0));
    }
    const differ = (f: (x: number) => number, g: (x: number) => number) => values.filter((x) => !Object.is(f(x), g(x)));
    expect(differ(math.exp, Math.exp)).toEqual([]);
    expect(differ(math.log, Math.log)).toEqual([]);
    expect(differ(math.tanh, Math.tanh)).toEqual([]);
    expect(differ(math.expm1, Math.expm1)).toEqual([]);
    expect(differ(math.log1p, Math.log1p)).toEqual([]);
  });

  it("applies every activation and its slope in WebAssembly with the JavaScript activation's bits, NaN, ±0 and ±∞ included", () => {
    const kernel = createWasmKernel("wasm-simd-4x4")!;
    const rng = new Rng(4);
    for (const spec of [{ name: "relu" }, { name: "sigmoid" }, { name: "tanh" }, { name: "softmax" }, { name: "silu" }, { name: "leaky_relu" }, { name: "leaky_relu", alpha: 0.2 }, { name: "elu" }, { name: "elu", alpha: 0.5 }, { name: "selu" }, { name: "softplus" }, { name: "gelu" }] as const) {
      const activation = activationOf(spec);
      for (const [rows, cols] of [[1, 1], [1, 9], [3, 1], [10, 7], [4, 64]]) {
        const n = rows * cols;
        const z = sprinkled(n, rng, kernel.allocate!), g = sprinkled(n, rng, kernel.allocate!);
        for (let i = 0; i < n; i++) if (rng.next() < 0.2) z[i] *= 40; // saturated sigmoids, tanh ±1, softmax's tiny shares
        const a = kernel.allocate!(n), expectedA = new Float64Array(n);
        activation.forward(z, expectedA, rows, cols);
        expect(kernel.vector!.activate(activation, z, a, rows, cols)).toBe(true);
        sameBits(a, expectedA);
        const delta = kernel.allocate!(n), expectedDelta = new Float64Array(n);
        activation.backward(z, expectedA, g, expectedDelta, rows, cols);
        expect(kernel.vector!.slope(activation, z, a, g, delta, rows, cols)).toBe(true);
        sameBits(delta, expectedDelta);
        // in place, as the backward pass writes δ over ∂C/∂a
        const inPlace = kernel.allocate!(n);
        inPlace.set(g);
        expect(kernel.vector!.slope(activation, z, a, inPlace, inPlace, rows, cols)).toBe(true);
        sameBits(inPlace, expectedDelta);
      }
    }
    expect(kernel.vector!.activate(activationOf({ name: "sigmoid" }), new Float64Array(2), kernel.allocate!(2), 1, 2)).toBe(false);
    expect(kernel.vector!.activate(activationOf({ name: "identity" }), kernel.allocate!(2), kernel.allocate!(2), 1, 2)).toBe(false);
    expect(kernel.vector!.slope(activationOf({ name: "identity" }), kernel.allocate!(2), kernel.allocate!(2), kernel.allocate!(2), kernel.allocate!(2), 1, 2)).toBe(false);
  });

  it("draws dropout masks in WebAssembly as Rng.next draws them, leaving the generator where the JavaScript loop leaves it", () => {
    const kernel = createWasmKernel("wasm-simd-4x4")!;
    for (const [n, rate] of [[1, 0.5], [7, 0.1], [640, 0.3], [333, 0.9]] as const) {
      const viaWasm = new Rng(n), viaJs = new Rng(n);
      const mask = kernel.allocate!(n), expected = new Float64Array(n);
      const keep = 1 / (1 - rate);
      expect(kernel.vector!.dropoutMask(viaWasm, mask, rate, keep)).toBe(true);
      for (let i = 0; i < n; i++) expected[i] = viaJs.next() < rate ? 0 : keep;
      sameBits(mask, expected);
      expect([viaWasm.next(), viaWasm.normal(), viaWasm.nextUint32()]).toEqual([viaJs.next(), viaJs.normal(), viaJs.nextUint32()]);
      const x = sprinkled(n, rng15, kernel.allocate!), out = kernel.allocate!(n);
      expect(kernel.vector!.product(mask, x, out)).toBe(true);
      sameBits(out, Float64Array.from(x, (v, i) => mask[i] * v));
    }
    expect(kernel.vector!.dropoutMask(new Rng(1), new Float64Array(3), 0.5, 2)).toBe(false);
  });
  const rng15 = new Rng(15);

  it("adds arrays and counts right decisions in WebAssembly as the JavaScript loops do", () => {
    const kernel = createWasmKernel("wasm-simd-4x4")!;
    const rng = new Rng(16);
    for (const n of [1, 2, 7, 640]) {
      const x = sprinkled(n, rng, kernel.allocate!), out = sprinkled(n, rng, kernel.allocate!);
      const expected = Float64Array.from(out, (v, i) => v + x[i]);
      expect(kernel.vector!.addInto(x, out)).toBe(true);
      sameBits(out, expected);
    }
    for (const [rows, cols] of [[1, 5], [3, 64], [10, 7]]) {
      const a = sprinkled(rows * cols, rng, kernel.allocate!, 0.1), y = kernel.allocate!(rows * cols);
      for (let i = 0; i < y.length; i++) y[i] = rng.next() < 0.4 ? 1 : 0;
      for (let i = 0; i < 5 && i < a.length; i++) a[i] = a[(i + rows) % a.length]; // ties: the first of equals wins
      let argmaxRight = 0, labelRight = 0;
      for (let c = 0; c < cols; c++) {
        let bestA = 0, bestY = 0, right = 0;
        for (let r = 1; r < rows; r++) {
          if (a[r * cols + c] > a[bestA * cols + c]) bestA = r;
          if (y[r * cols + c] > y[bestY * cols + c]) bestY = r;
        }
        for (let r = 0; r < rows; r++) right += (a[r * cols + c] >= 0.5) === (y[r * cols + c] >= 0.5) ? 1 : 0;
        argmaxRight += bestA === bestY ? 1 : 0;
        labelRight += right / rows;
      }
      expect(kernel.vector!.countCorrect(false, a, y, rows, cols)).toBe(argmaxRight);
      expect(Object.is(kernel.vector!.countCorrect(true, a, y, rows, cols), labelRight)).toBe(true);
    }
    expect(kernel.vector!.addInto(new Float64Array(2), kernel.allocate!(2))).toBe(false);
  });

  for (const name of availableWasmKernels()) {
    it(`${name}: a network with add and concat trains to the weights, losses and accuracies of plain arrays, with fused and unfused cross-entropies`, () => {
      const run = (kernel: Kernel, output: "softmax" | "sigmoid", loss: "cross_entropy" | "binary_cross_entropy") => {
        const network = createNetwork({ ...dagSpec({ name: "tanh" }, { name: output }, loss, 3), input: { name: "x", units: 2 } }, { seed: 6, kernel });
        const data = datasetFromSpec({ kind: "generator", name: "spiral", samples: 60, noise: 0.1, classes: 3 }, 2);
        const result = train(network, data, { optimizer: { name: "sgd", lr: 0.2, momentum: 0 }, epochs: 3, batch: 8, validation: 0, seed: 5, shuffle: true, l2: 0 });
        return { weights: exportWeights(network), history: result.history };
      };
      for (const [output, loss] of [["softmax", "cross_entropy"], ["sigmoid", "cross_entropy"], ["softmax", "binary_cross_entropy"]] as const) {
        const resident = run(createWasmKernel(name)!, output, loss);
        expect(resident).toEqual(run(copying(createWasmKernel(name)!), output, loss));
        expect(resident.history.every((e) => e.accuracy !== undefined && e.accuracy > 0)).toBe(true);
      }
    });
  }

  for (const name of availableWasmKernels()) {
    it(`${name}: a tanh, dropout, silu, leaky_relu, elu, selu, softplus, gelu and sigmoid network with mse, mae and huber trains to the weights, metrics and losses of plain arrays`, () => {
      const run = (kernel: Kernel, loss: "mse" | "mae" | "huber") => {
        const network = createNetwork({
          name: "d", input: { name: "x", units: 2 }, loss,
          layers: [
            { kind: "dense", name: "h", units: 9, from: "x", activation: { name: "tanh" }, init: { name: "xavier" } },
            { kind: "dropout", name: "d", units: 9, from: "h", rate: 0.3 },
            { kind: "dense", name: "s", units: 6, from: "d", activation: { name: "silu" }, init: { name: "xavier" } },
            { kind: "dense", name: "l", units: 5, from: "s", activation: { name: "leaky_relu", alpha: 0.1 }, init: { name: "xavier" } },
            { kind: "dense", name: "e", units: 5, from: "l", activation: { name: "elu", alpha: 0.7 }, init: { name: "xavier" } },
            { kind: "dense", name: "u", units: 4, from: "e", activation: { name: "selu" }, init: { name: "xavier" } },
            { kind: "dense", name: "p", units: 4, from: "u", activation: { name: "softplus" }, init: { name: "xavier" } },
            { kind: "dense", name: "q", units: 4, from: "p", activation: { name: "gelu" }, init: { name: "xavier" } },
            { kind: "dense", name: "out", units: 1, from: "q", activation: { name: "sigmoid" }, init: { name: "xavier" } },
          ],
        }, { seed: 3, kernel });
        const data = datasetFromSpec({ kind: "generator", name: "circles", samples: 60, noise: 0.1, classes: 2 }, 2);
        const result = train(network, data, { optimizer: { name: "sgd", lr: 0.5, momentum: 0 }, epochs: 3, batch: 8, validation: 0, seed: 4, shuffle: true, l2: 0 });
        return { weights: exportWeights(network), history: result.history };
      };
      for (const loss of ["mse", "mae", "huber"] as const) expect(run(createWasmKernel(name)!, loss)).toEqual(run(copying(createWasmKernel(name)!), loss));
    });
  }

  it("sums every loss, writes every ∇ₐC, sums Σ|δ| and broadcasts the bias in WebAssembly with the JavaScript loops' bits", () => {
    const kernel = createWasmKernel("wasm-simd-4x4")!;
    const rng = new Rng(14);
    const softmax = activationOf({ name: "softmax" });
    for (const [rows, cols] of [[1, 1], [10, 7], [3, 64]]) {
      const n = rows * cols;
      const z = sprinkled(n, rng, kernel.allocate!, 0.05), a = kernel.allocate!(n), y = kernel.allocate!(n);
      softmax.forward(z, a, rows, cols);
      for (let c = 0; c < cols; c++) y[Math.floor(rng.next() * rows) * cols + c] = 1;
      // outputs at and past the clip, and an undefined one
      [0, 1, 1e-13, 1 - 1e-13, Number.NaN].forEach((v, i) => { if (i * 3 < n) a[i * 3] = v; });
      const pairs = [
        ["mse", "chain"], ["mae", "chain"], ["huber", "chain"], ["binary_cross_entropy", "chain"], ["cross_entropy", "chain"],
        ["cross_entropy", "fused-softmax-cross-entropy"], ["binary_cross_entropy", "fused-sigmoid-binary-cross-entropy"],
      ] as const;
      for (const [loss, rule] of pairs) {
        for (const delta of [1, 0.7]) {
          const viaWasm = lossValue(loss, rule, z, a, y, rows, cols, delta, kernel.vector);
          expect(Object.is(viaWasm, lossValue(loss, rule, z, a, y, rows, cols, delta)), `${loss} δ ${delta}`).toBe(true);
        }
      }
      for (const loss of ["mse", "mae", "huber", "binary_cross_entropy", "cross_entropy"] as const) {
        for (const outputs of [z, a]) {
          const g = kernel.allocate!(n), expected = new Float64Array(n);
          expect(kernel.vector!.lossGradient(loss, outputs, y, g, 0.7)).toBe(true);
          lossGradient(loss, outputs, y, expected, n, 0.7);
          sameBits(g, expected);
        }
      }
      let sum = 0;
      for (let i = 0; i < n; i++) sum += Math.abs(z[i]);
      expect(Object.is(kernel.vector!.absSum(z), sum)).toBe(true);
      const bias = sprinkled(rows, rng, kernel.allocate!), filledRows = kernel.allocate!(n);
      expect(kernel.vector!.fillRows(bias, cols, filledRows)).toBe(true);
      const expected = new Float64Array(n);
      for (let j = 0; j < rows; j++) expected.fill(bias[j], j * cols, (j + 1) * cols);
      sameBits(filledRows, expected);
    }
    expect(kernel.vector!.lossSum("mse", "chain", kernel.allocate!(2), new Float64Array(2), kernel.allocate!(2), 1)).toBeUndefined();
    expect(kernel.vector!.lossSum("cross_entropy", "fused-softmax-cross-entropy", kernel.allocate!(2), kernel.allocate!(2), kernel.allocate!(2), 1)).toBeUndefined();
  });

});
