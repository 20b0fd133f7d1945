// A run's arrays kept in the WebAssembly kernel's memory: products read and
// write them in place (edges through scratch space) and give the same bits
// as the same kernel copying plain arrays in and out, so a network trains to
// the same weights wherever its arrays live.
import { describe, expect, it } from "vitest";
import { copying, filled, sameBits, sprinkled, weightsTrainedWith } from "./helpers";
import {
  Rng, availableWasmKernels, computeGradients, createNetwork, createWasmKernel, datasetFromSpec, exportWeights, importWeights, jsKernel, outputDelta, squaredNorm, train, zeros,
  type Kernel, type NetworkSpec, type OptimizerSpec,
} from "../../server/src/engine/index";
import { workspaceFor } from "../../server/src/engine/network";
import { activationOf } from "../../server/src/engine/activations";
import { enableRelaxedSimd } from "../../server/src/training/index";

enableRelaxedSimd();

const shapes = [[1, 1, 1], [4, 4, 4], [5, 7, 3], [30, 10, 784], [10, 30, 10], [13, 6, 2], [64, 10, 64], [8, 9, 5], [3, 12, 7]];

// a small classifier with a hidden relu layer, and the data it trains on
const spiralNetwork = (kernel: Kernel) => createNetwork({
  name: "s", input: { name: "x", units: 2 }, loss: "cross_entropy",
  layers: [
    { kind: "dense", name: "h", units: 7, from: "x", activation: { name: "relu" }, init: { name: "xavier" } },
    { kind: "dense", name: "out", units: 3, from: "h", activation: { name: "softmax" }, init: { name: "xavier" } },
  ],
}, { seed: 4, kernel });
const spiral = datasetFromSpec({ kind: "generator", name: "spiral", samples: 60, noise: 0.1, classes: 3 }, 1);

describe("arrays resident in the WebAssembly kernel's memory", () => {
  for (const name of availableWasmKernels()) {
    it(`${name}: multiplies them in place with the bits of its copying path, for every transpose, α, β and edge size`, () => {
      const kernel = createWasmKernel(name)!;
      const allocate = kernel.allocate!.bind(kernel);
      const rng = new Rng(5);
      for (const [m, n, k] of shapes) {
        for (const transA of [false, true]) {
          for (const transB of [false, true]) {
            for (const [alpha, beta] of [[1, 0], [0.1, 1], [-2, 0.5]]) {
              const a = filled(m * k, rng, allocate), b = filled(k * n, rng, allocate), c = filled(m * n, rng, allocate);
              const copied = c.slice(), viaJs = c.slice();
              copying(kernel).gemm(transA, transB, m, n, k, alpha, a.slice(), b.slice(), beta, copied);
              kernel.gemm(transA, transB, m, n, k, alpha, a, b, beta, c);
              expect(c).toEqual(copied);
              // plain SIMD sums in the JavaScript kernel's order
              if (name === "wasm-simd-4x4") {
                jsKernel.gemm(transA, transB, m, n, k, alpha, a, b, beta, viaJs);
                expect(c).toEqual(viaJs);
              }
            }
          }
        }
      }
    });

    it(`${name}: a network built on it keeps its parameters and workspaces there, and trains to the weights of plain arrays`, () => {
      const kernel = createWasmKernel(name)!;
      const network = createNetwork({
        name: "r", input: { name: "x", units: 3 }, loss: "mse",
        layers: [{ kind: "dense", name: "h", units: 5, from: "x", activation: { name: "relu" }, init: { name: "xavier" } }],
      }, { kernel });
      const ws = workspaceFor(network, 6);
      for (const array of [network.dense[0].weights.data, network.dense[0].biasGradient, ws.a[0], ws.delta[1]!, ws.targets]) {
        expect(array.buffer).toBeInstanceOf(SharedArrayBuffer);
      }
      expect(weightsTrainedWith(createWasmKernel(name)!)).toEqual(weightsTrainedWith(copying(createWasmKernel(name)!)));
    });
  }

  it("steps plain sgd in WebAssembly with the JavaScript update's bits and squaredNorm's Σg², for every length", () => {
    const kernel = createWasmKernel("wasm-simd-4x4")!;
    const rng = new Rng(2);
    for (let n = 0; n <= 13; n++) {
      const values = filled(n, rng, kernel.allocate), gradient = filled(n, rng, kernel.allocate);
      const expected = values.map((v, i) => v - 0.3 * gradient[i]);
      const squared = kernel.vector!.sgd(values, gradient, 0.3);
      expect(values).toEqual(expected);
      expect(squared).toBe(squaredNorm(gradient));
      // and it is Σg²: against a sum in another order, to rounding
      const sum = gradient.reduce((s, g) => s + g * g, 0);
      expect(Math.abs((squared as number) - sum)).toBeLessThanOrEqual(n * Number.EPSILON * sum);
    }
    // arrays elsewhere are left alone
    const plain = Float64Array.of(1, 2), g = kernel.allocate!(2).fill(1);
    expect(kernel.vector!.sgd(plain, g, 1)).toBeUndefined();
    expect(plain).toEqual(Float64Array.of(1, 2));
  });

  it("steps sgd with momentum in WebAssembly with the general update's bits, signed zeros included", () => {
    const kernel = createWasmKernel("wasm-simd-4x4")!;
    const rng = new Rng(3);
    for (const nesterov of [false, true]) {
      for (let n = 0; n <= 9; n++) {
        const values = filled(n, rng, kernel.allocate), gradient = filled(n, rng, kernel.allocate), buffer = filled(n, rng, kernel.allocate);
        if (n > 2) { values[0] = -0; gradient[0] = -0; gradient[1] = -0; buffer[1] = 0; }
        const [v, b] = [values.slice(), buffer.slice()];
        for (let i = 0; i < n; i++) {
          const g = gradient[i] + 0 * v[i] + 0 * Math.sign(v[i]);
          b[i] = 0.9 * b[i] + g;
          v[i] = v[i] + -0.05 * (nesterov ? g + 0.9 * b[i] : b[i]);
        }
        expect(kernel.vector!.momentum(values, gradient, buffer, 0.05, 0.9, nesterov)).toBe(squaredNorm(gradient));
        expect(values).toEqual(v);
        expect(buffer).toEqual(b);
        values.forEach((x, i) => expect(Object.is(x, v[i])).toBe(true));
      }
    }
  });

  for (const name of availableWasmKernels()) {
    it(`${name}: sgd (with and without momentum), adam and adamw train to the same weights, state and gradient norms in its memory as on plain arrays`, () => {
      const run = (kernel: Kernel, optimizer: OptimizerSpec) => {
        const network = spiralNetwork(kernel);
        const result = train(network, spiral, { optimizer, epochs: 4, batch: 9, validation: 0, seed: 1, shuffle: true, l2: 0 });
        return { weights: exportWeights(network), norms: result.history.map((e) => e.layers.map((l) => l.gradNorm)), state: result.optimizer.state() };
      };
      const optimizers: OptimizerSpec[] = [
        { name: "sgd", lr: 0.1, momentum: 0 }, { name: "sgd", lr: 0.05, momentum: 0.9 }, { name: "sgd", lr: 0.05, momentum: 0.9, nesterov: true },
        { name: "adam", lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8 }, { name: "adamw", lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01 },
      ];
      for (const optimizer of optimizers) {
        const resident = run(createWasmKernel(name)!, optimizer), plain = run(copying(createWasmKernel(name)!), optimizer);
        expect(resident).toEqual(plain);
        expect(resident.norms.flat().every((g) => g >= 0 && Number.isFinite(g))).toBe(true);
      }
    });
  }

  it("sums a batch's δ into the bias gradient in WebAssembly with the JavaScript loop's bits, for odd and even sizes", () => {
    const kernel = createWasmKernel("wasm-simd-4x4")!;
    const rng = new Rng(7);
    for (const [rows, m] of [[1, 1], [2, 1], [3, 5], [4, 64], [5, 10], [9, 7], [128, 64], [1, 3]]) {
      for (const odds of [0, 0.2]) {
        const delta = sprinkled(rows * m, rng, kernel.allocate!, odds), out = kernel.allocate!(rows);
        if (odds === 0 && m > 1) { delta.fill(-0, 0, m); }
        const expected = new Float64Array(rows);
        for (let j = 0; j < rows; j++) {
          let sum = 0;
          for (let c = j * m; c < (j + 1) * m; c++) sum += delta[c];
          expected[j] = sum / m;
        }
        expect(kernel.vector!.rowMeans(delta, m, out)).toBe(true);
        sameBits(out, expected);
        // against the mean in another order, to rounding, where every entry is finite
        if (odds === 0) for (let j = 0; j < rows; j++) {
          const row = Array.from(delta.subarray(j * m, (j + 1) * m)).reverse();
          expect(out[j]).toBeCloseTo(row.reduce((s, x) => s + x, 0) / m, 12);
        }
      }
    }
    expect(kernel.vector!.rowMeans(new Float64Array(4), 2, kernel.allocate!(2))).toBe(false);
    expect(kernel.vector!.rowMeans(kernel.allocate!(5), 2, kernel.allocate!(2))).toBe(false);
  });

  it("seeds BP1 of the fused pairs and of mse in WebAssembly with outputDelta's bits, NaN, ±0 and ±∞ included", () => {
    const kernel = createWasmKernel("wasm-simd-4x4")!;
    const rng = new Rng(8);
    for (const [rows, cols] of [[1, 1], [3, 1], [1, 4], [10, 10], [10, 64], [3, 7], [2, 9]]) {
      const n = rows * cols;
      const a = sprinkled(n, rng, kernel.allocate!), y = sprinkled(n, rng, kernel.allocate!);
      const viaJs = new Float64Array(n), delta = kernel.allocate!(n);
      outputDelta("cross_entropy", "fused-softmax-cross-entropy", activationOf({ name: "softmax" }), a, a, y, viaJs, rows, cols);
      expect(kernel.vector!.softmaxDelta(a, y, delta, rows, cols)).toBe(true);
      sameBits(delta, viaJs);
      outputDelta("binary_cross_entropy", "fused-sigmoid-binary-cross-entropy", activationOf({ name: "sigmoid" }), a, a, y, viaJs, rows, cols);
      expect(kernel.vector!.difference(a, y, delta)).toBe(true);
      sameBits(delta, viaJs);
    }
    expect(kernel.vector!.difference(new Float64Array(2), kernel.allocate!(2), kernel.allocate!(2))).toBe(false);
    expect(kernel.vector!.softmaxDelta(kernel.allocate!(6), kernel.allocate!(6), kernel.allocate!(4), 2, 3)).toBe(false);
  });

  for (const name of availableWasmKernels()) {
    it(`${name}: every output rule (softmax and cross-entropy, sigmoid and binary cross-entropy, mse after identity, sigmoid and relu) trains to the weights of plain arrays`, () => {
      const run = (kernel: Kernel, loss: NetworkSpec["loss"], activation: string, units: number) => {
        const network = createNetwork({
          name: "o", input: { name: "x", units: 2 }, loss,
          layers: [
            { kind: "dense", name: "h", units: 5, from: "x", activation: { name: "relu" }, init: { name: "xavier" } },
            { kind: "dense", name: "out", units, from: "h", activation: { name: activation }, init: { name: "xavier" } },
          ],
        } as NetworkSpec, { seed: 6, kernel });
        const data = datasetFromSpec({ kind: "generator", name: "spiral", samples: 45, noise: 0.1, classes: units === 1 ? 2 : units }, 1);
        const result = train(network, data, { optimizer: { name: "sgd", lr: 0.1, momentum: 0 }, epochs: 3, batch: 8, validation: 0, seed: 1, shuffle: true, l2: 0 });
        return { weights: exportWeights(network), losses: result.history.map((e) => e.loss) };
      };
      const cases: [NetworkSpec["loss"], string, number][] = [
        ["cross_entropy", "softmax", 3], ["binary_cross_entropy", "sigmoid", 1], ["mse", "identity", 3], ["mse", "sigmoid", 3], ["mse", "relu", 3],
      ];
      for (const [loss, activation, units] of cases) {
        const resident = run(createWasmKernel(name)!, loss, activation, units), plain = run(copying(createWasmKernel(name)!), loss, activation, units);
        expect(resident).toEqual(plain);
        expect(resident.losses.every(Number.isFinite)).toBe(true);
      }
    });
  }

  it("steps sgd with λ, λ₁, momentum and measuring in WebAssembly with the general update's bits, NaN, ±0 and ±∞ included", () => {
    const kernel = createWasmKernel("wasm-simd-4x4")!;
    const rng = new Rng(10);
    for (const [decay, sparse, momentum, nesterov] of [[0.01, 0, 0, false], [0, 0.003, 0, false], [0.01, 0.003, 0.9, false], [0.02, 0.001, 0.8, true], [0, 0, 0, false], [0, 0, 0.9, true]] as const) {
      for (const measure of [false, true]) {
        for (let n = 0; n <= 9; n++) {
          const values = sprinkled(n, rng, kernel.allocate!), gradient = sprinkled(n, rng, kernel.allocate!), buffer = sprinkled(n, rng, kernel.allocate!, 0.1);
          const [v, b] = [values.slice(), buffer.slice()];
          let moved = 0, norm = 0;
          for (let i = 0; i < n; i++) {
            const g = gradient[i] + decay * v[i] + sparse * Math.sign(v[i]);
            let direction = g;
            if (momentum !== 0) {
              b[i] = momentum * b[i] + g;
              direction = nesterov ? g + momentum * b[i] : b[i];
            }
            const change = -0.05 * direction;
            v[i] = v[i] + change;
            moved += change * change;
            norm += v[i] * v[i];
          }
          const step = { lr: 0.05, decay, sparse, momentum, nesterov, measure, moved: -1, norm: -1 };
          expect(Object.is(kernel.vector!.sgdStep(values, gradient, buffer, step), squaredNorm(gradient))).toBe(true);
          sameBits(values, v);
          sameBits(buffer, b);
          expect([step.moved, step.norm]).toEqual(measure ? [moved, norm] : [0, 0]);
        }
      }
    }
    const plain = Float64Array.of(1, 2);
    expect(kernel.vector!.sgdStep(plain, kernel.allocate!(2), kernel.allocate!(2), { lr: 1, decay: 0.1, sparse: 0, momentum: 0, nesterov: false, measure: true, moved: 0, norm: 0 })).toBeUndefined();
    expect(plain).toEqual(Float64Array.of(1, 2));
  });

  it("steps RMSprop with λ, λ₁, momentum and measuring in WebAssembly with the JavaScript update's bits, NaN, ±0 and ±∞ included", () => {
    const kernel = createWasmKernel("wasm-simd-4x4")!;
    const rng = new Rng(11);
    for (const [decay, sparse, momentum] of [[0, 0, 0], [0.01, 0, 0], [0, 0.003, 0.9], [0.02, 0.001, 0.5]]) {
      for (const measure of [false, true]) {
        for (let n = 0; n <= 9; n++) {
          const values = sprinkled(n, rng, kernel.allocate!), gradient = sprinkled(n, rng, kernel.allocate!);
          const buffer = sprinkled(n, rng, kernel.allocate!, 0.1), meanSquare = filled(n, rng, kernel.allocate!);
          meanSquare.forEach((x, i) => (meanSquare[i] = Math.abs(x)));
          if (n > 3) meanSquare[3] = Number.POSITIVE_INFINITY;
          const [v, b, q] = [values.slice(), buffer.slice(), meanSquare.slice()];
          let moved = 0, norm = 0;
          for (let i = 0; i < n; i++) {
            const g = gradient[i] + decay * v[i] + sparse * Math.sign(v[i]);
            q[i] = 0.9 * q[i] + (1 - 0.9) * g * g;
            const scaled = g / (Math.sqrt(q[i]) + 1e-8);
            const direction = momentum > 0 ? (b[i] = momentum * b[i] + scaled) : scaled;
            const change = -0.01 * direction;
            v[i] = v[i] + change;
            moved += change * change;
            norm += v[i] * v[i];
          }
          const step = { lr: 0.01, decay, sparse, momentum, nesterov: false, measure, moved: -1, norm: -1 };
          expect(Object.is(kernel.vector!.rmspropStep(values, gradient, buffer, meanSquare, 0.9, 1e-8, step), squaredNorm(gradient))).toBe(true);
          sameBits(values, v);
          sameBits(buffer, b);
          sameBits(meanSquare, q);
          expect([step.moved, step.norm]).toEqual(measure ? [moved, norm] : [0, 0]);
        }
      }
    }
  });

  it("steps Adam and AdamW with λ, λ₁ and measuring in WebAssembly with the JavaScript update's bits, NaN, ±0 and ±∞ included", () => {
    const kernel = createWasmKernel("wasm-simd-4x4")!;
    const rng = new Rng(12);
    for (const [decay, sparse, shrink] of [[0, 0, 1], [0.01, 0, 1], [0, 0.003, 0.999], [0.02, 0.001, 0.99]]) {
      for (const measure of [false, true]) {
        for (let n = 0; n <= 9; n++) {
          const values = sprinkled(n, rng, kernel.allocate!), gradient = sprinkled(n, rng, kernel.allocate!);
          const first = sprinkled(n, rng, kernel.allocate!, 0.1), second = filled(n, rng, kernel.allocate!);
          second.forEach((x, i) => (second[i] = Math.abs(x)));
          if (n > 3) second[3] = Number.POSITIVE_INFINITY;
          const [v, m, q] = [values.slice(), first.slice(), second.slice()];
          const moments = { beta1: 0.9, beta2: 0.999, step: 0.001 / 0.19, root2: Math.sqrt(0.002), eps: 1e-8, shrink };
          let moved = 0, norm = 0;
          for (let i = 0; i < n; i++) {
            const g = gradient[i] + decay * v[i] + sparse * Math.sign(v[i]);
            m[i] = 0.9 * m[i] + (1 - 0.9) * g;
            q[i] = 0.999 * q[i] + (1 - 0.999) * g * g;
            const before = v[i];
            v[i] = before * shrink - moments.step * (m[i] / (Math.sqrt(q[i]) / moments.root2 + 1e-8));
            moved += (v[i] - before) * (v[i] - before);
            norm += v[i] * v[i];
          }
          const general = { decay, sparse, measure, moved: -1, norm: -1 };
          expect(Object.is(kernel.vector!.adamStep(values, gradient, first, second, moments, general), squaredNorm(gradient))).toBe(true);
          sameBits(values, v);
          sameBits(first, m);
          sameBits(second, q);
          expect([general.moved, general.norm]).toEqual(measure ? [moved, norm] : [0, 0]);
        }
      }
    }
    const plain = Float64Array.of(1, 2), held = kernel.allocate!(2);
    expect(kernel.vector!.adamStep(plain, held, held, held, { beta1: 0.9, beta2: 0.999, step: 1, root2: 1, eps: 1e-8, shrink: 1 }, { decay: 0.1, sparse: 0, measure: true, moved: 0, norm: 0 })).toBeUndefined();
    expect(plain).toEqual(Float64Array.of(1, 2));
  });

  for (const name of availableWasmKernels()) {
    it(`${name}: sgd, RMSprop, Adam and AdamW with l2, l1 and momentum train to the weights, update ratios and gradient norms of plain arrays`, () => {
      const run = (kernel: Kernel, optimizer: OptimizerSpec, l2: number, l1: number) => {
        const network = createNetwork({
          name: "w", input: { name: "x", units: 2 }, loss: "cross_entropy",
          layers: [
            { kind: "dense", name: "h", units: 7, from: "x", activation: { name: "tanh" }, init: { name: "xavier" } },
            { kind: "dense", name: "out", units: 3, from: "h", activation: { name: "softmax" }, init: { name: "xavier" } },
          ],
        }, { seed: 5, kernel });
        const data = datasetFromSpec({ kind: "generator", name: "spiral", samples: 50, noise: 0.1, classes: 3 }, 1);
        const result = train(network, data, { optimizer, epochs: 4, batch: 9, validation: 0, seed: 1, shuffle: true, l2, l1 });
        return { weights: exportWeights(network), epochs: result.history.map((e) => e.layers.map((l) => [l.gradNorm, l.updateRatio])), state: result.optimizer.state() };
      };
      for (const [optimizer, l2, l1] of [
        [{ name: "sgd", lr: 0.1, momentum: 0 }, 0.01, 0], [{ name: "sgd", lr: 0.1, momentum: 0 }, 0, 0.002], [{ name: "sgd", lr: 0.1, momentum: 0 }, 0, 0],
        [{ name: "sgd", lr: 0.05, momentum: 0.9 }, 0.01, 0.002], [{ name: "sgd", lr: 0.05, momentum: 0.9, nesterov: true }, 0.003, 0],
        [{ name: "rmsprop", lr: 0.01, rho: 0.9, eps: 1e-8, momentum: 0 }, 0, 0], [{ name: "rmsprop", lr: 0.005, rho: 0.99, eps: 1e-8, momentum: 0.9 }, 0.01, 0.002],
        [{ name: "adam", lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8 }, 0.01, 0.002], [{ name: "adamw", lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01 }, 0, 0.001],
      ] as [OptimizerSpec, number, number][]) {
        const resident = run(createWasmKernel(name)!, optimizer, l2, l1), plain = run(copying(createWasmKernel(name)!), optimizer, l2, l1);
        expect(resident).toEqual(plain);
        expect(resident.epochs.flat(2).every((x) => Number.isFinite(x) && x > 0)).toBe(true);
      }
    });
  }

  it("transposes a batch in WebAssembly as a plain loop does, for odd and even sizes", () => {
    const kernel = createWasmKernel("wasm-simd-4x4")!;
    const rng = new Rng(6);
    for (const [rows, cols] of [[1, 1], [1, 5], [5, 1], [2, 2], [3, 4], [10, 784], [7, 9], [64, 33]]) {
      const src = filled(rows * cols, rng, kernel.allocate), dst = kernel.allocate!(rows * cols);
      expect(kernel.vector!.transpose(src, rows, cols, dst)).toBe(true);
      const expected = new Float64Array(rows * cols);
      for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) expected[j * rows + i] = src[i * cols + j];
      expect(dst).toEqual(expected);
    }
    expect(kernel.vector!.transpose(new Float64Array(4), 2, 2, kernel.allocate!(4))).toBe(false);
  });

  it("after training, ∂C/∂W of another batch of the same size is that batch's, not the loader's last rows'", () => {
    const spec: NetworkSpec = {
      name: "g", input: { name: "x", units: 2 }, loss: "mse",
      layers: [
        { kind: "dense", name: "h", units: 3, from: "x", activation: { name: "tanh" }, init: { name: "xavier" } },
        { kind: "dense", name: "out", units: 1, from: "h", activation: { name: "identity" }, init: { name: "xavier" } },
      ],
    };
    const data = datasetFromSpec({ kind: "generator", name: "circles", samples: 20, noise: 0.1, classes: 2 }, 1);
    const trained = createNetwork(spec, { kernel: createWasmKernel("wasm-simd-4x4")! });
    train(trained, data, { optimizer: { name: "sgd", lr: 0.1, momentum: 0 }, epochs: 1, batch: 5, validation: 0, seed: 1, shuffle: true, l2: 0 });
    const fresh = createNetwork(spec, { kernel: jsKernel });
    importWeights(fresh, exportWeights(trained));
    const rng = new Rng(9);
    const x = zeros(2, 5), y = zeros(1, 5);
    x.data.forEach((_, i) => (x.data[i] = rng.normal()));
    y.data.forEach((_, i) => (y.data[i] = rng.normal()));
    expect(computeGradients(trained, x, y)).toBe(computeGradients(fresh, x, y));
    expect(trained.dense[0].weightGradient.data).toEqual(fresh.dense[0].weightGradient.data);
  });

  it("trains one network again and again without taking more of its kernel's memory, which is never freed", () => {
    const kernel = createWasmKernel("wasm-simd-4x4")!;
    const network = spiralNetwork(kernel);
    const run = (optimizer: OptimizerSpec) => train(network, spiral, { optimizer, epochs: 2, batch: 8, validation: 0, seed: 1, shuffle: true, l2: 0 });
    const adam: OptimizerSpec = { name: "adam", lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8 };
    run(adam);
    // where the arena's top is: two probes in a row tell how much one probe takes
    const first = kernel.allocate!(1), second = kernel.allocate!(1);
    const probe = second.byteOffset - first.byteOffset;
    for (let again = 0; again < 3; again++) run(again === 1 ? { name: "sgd", lr: 0.1, momentum: 0.9 } : adam);
    expect(kernel.allocate!(1).byteOffset - second.byteOffset).toBe(probe);
  });

  it("a later run's optimizer starts from zero moments, and the earlier run's optimizer says it was replaced", () => {
    const spec: NetworkSpec = {
      name: "twice", input: { name: "x", units: 2 }, loss: "mse",
      layers: [{ kind: "dense", name: "out", units: 1, from: "x", activation: { name: "identity" }, init: { name: "xavier" } }],
    };
    const data = datasetFromSpec({ kind: "generator", name: "circles", samples: 12, noise: 0.1, classes: 2 }, 1);
    const ts = { optimizer: { name: "adam", lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8 } as OptimizerSpec, epochs: 2, batch: 4, validation: 0, seed: 1, shuffle: true, l2: 0 };
    const reused = createNetwork(spec, { seed: 2, kernel: createWasmKernel("wasm-simd-4x4")! });
    const earlier = train(reused, data, ts);
    const start = exportWeights(reused);
    const later = train(reused, data, ts);
    // the same second run on a network that never trained before
    const fresh = createNetwork(spec, { seed: 2, kernel: createWasmKernel("wasm-simd-4x4")! });
    importWeights(fresh, start);
    const alone = train(fresh, data, ts);
    expect(exportWeights(reused)).toEqual(exportWeights(fresh));
    expect(later.optimizer.state()).toEqual(alone.optimizer.state());
    expect(() => earlier.optimizer.state()).toThrow(/a later optimizer of network 'twice' has taken over its moments/);
    expect(() => earlier.optimizer.step(false)).toThrow(/a later optimizer of network 'twice'/);
  });

  it("multiplies arrays that no longer fit once the arena has taken the whole memory, with the JavaScript kernel's bits", { timeout: 120_000 }, () => {
    const kernel = createWasmKernel("wasm-simd-4x4")!;
    // a run larger than the memory: the arena takes all it can, down to the last MiB
    for (let chunk = 2 ** 25; chunk >= 2 ** 17; chunk /= 2) {
      while (kernel.allocate!(chunk).buffer instanceof SharedArrayBuffer);
    }
    const rng = new Rng(12);
    const [m, n, k] = [300, 200, 250];
    const a = filled(m * k, rng), b = filled(k * n, rng), c = filled(m * n, rng);
    const viaJs = c.slice();
    kernel.gemm(false, true, m, n, k, 0.5, a, b, 1, c);
    jsKernel.gemm(false, true, m, n, k, 0.5, a, b, 1, viaJs);
    expect(c).toEqual(viaJs);
  });

  it("keeps the shared default kernel's memory out of networks that did not choose a kernel", () => {
    const network = createNetwork({
      name: "d", input: { name: "x", units: 2 }, loss: "mse",
      layers: [{ kind: "dense", name: "h", units: 1, from: "x", activation: { name: "identity" }, init: { name: "xavier" } }],
    });
    expect(network.dense[0].weights.data.buffer).toBeInstanceOf(ArrayBuffer);
  });
});
