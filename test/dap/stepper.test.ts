/**
 * The stepper is the training run, point by point: after whole epochs its
 * weights equal train()'s bit for bit, at the end of backward every cached
 * quantity equals computeGradients on the same weights and batch, and a
 * replay to a position holds the same bits.
 */
import { describe, expect, it } from "vitest";
import {
  Rng, Stepper, computeGradients, createWasmKernel, jsKernel, type Kernel, createNetwork, datasetFromRows, lastCaches, train, type Dataset, type NetworkSpec, type TrainSpec,
} from "../../server/src/engine/index";
import { selectExamples, transpose } from "../../server/src/engine/index";
import { dagSpec } from "../engine/helpers";

const spec: NetworkSpec = dagSpec({ name: "tanh" }, { name: "softmax" }, "cross_entropy", 3);
// 50 seeded rows: three features, one of three classes
const data: Dataset = (() => {
  const rng = new Rng(5);
  return datasetFromRows(Array.from({ length: 50 }, () => {
    const k = rng.int(3);
    return { x: [rng.normal() + k, rng.normal(), rng.normal() - k], y: [0, 1, 2].map((c) => (c === k ? 1 : 0)) };
  }));
})();
const trainSpec = (optimizer: TrainSpec["optimizer"]): TrainSpec => ({
  optimizer, epochs: 2, batch: 16, validation: 0, seed: 4, shuffle: true, l2: 0.01,
});

function weightsOf(network: { dense: { weights: { data: Float64Array }; bias: Float64Array }[] }): number[][] {
  return network.dense.flatMap((d) => [Array.from(d.weights.data), Array.from(d.bias)]);
}

const grownSpec: NetworkSpec = {
  name: "grown", input: { name: "x", units: 3 }, loss: "huber", huberDelta: 0.5,
  layers: [
    { kind: "dense", name: "h1", units: 6, from: "x", activation: { name: "gelu" }, init: { name: "xavier" } },
    { kind: "dropout", name: "d1", units: 6, from: "h1", rate: 0.3 },
    { kind: "dense", name: "h2", units: 5, from: "d1", activation: { name: "silu" }, init: { name: "xavier" } },
    { kind: "dense", name: "h3", units: 5, from: "h1", activation: { name: "selu" }, init: { name: "xavier" } },
    { kind: "dropout", name: "d2", units: 5, from: "h3", rate: 0.5 },
    { kind: "add", name: "sum", units: 5, from: ["h2", "d2"] },
    { kind: "dense", name: "out", units: 3, from: "sum", activation: { name: "identity" }, init: { name: "xavier" } },
  ],
};

describe("Stepper", () => {
  for (const optimizer of [{ name: "adam", lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8 }, { name: "sgd", lr: 0.1, momentum: 0.9 }] as const) {
    it(`runs the same steps as train() (${optimizer.name})`, () => {
      const ts = trainSpec(optimizer);
      const stepper = new Stepper({ spec, train: ts, data });
      expect(stepper.batchesPerEpoch).toBe(4);
      while (stepper.advance());
      const reference = createNetwork(spec, { seed: ts.seed });
      train(reference, data, ts);
      expect(weightsOf(stepper.network)).toEqual(weightsOf(reference));
    });
  }

  it("runs the same steps as train() under a schedule (rmsprop, step with warmup)", () => {
    const ts: TrainSpec = { ...trainSpec({ name: "rmsprop", lr: 0.01, rho: 0.9, eps: 1e-8, momentum: 0.5 }), epochs: 3, schedule: { name: "step", every: 1, gamma: 0.5, warmup: 1 } };
    const stepper = new Stepper({ spec, train: ts, data });
    while (stepper.advance());
    const reference = createNetwork(spec, { seed: ts.seed });
    const { history } = train(reference, data, ts);
    expect(history.map((m) => m.lr)).toEqual([0.005, 0.01, 0.005]);
    expect(weightsOf(stepper.network)).toEqual(weightsOf(reference));
  });

  it("runs the same steps as train() with dropout, gelu, silu, selu, huber and l1", () => {
    const grown = grownSpec;
    const ts: TrainSpec = { ...trainSpec({ name: "sgd", lr: 0.1, momentum: 0.9 }), l1: 0.001 };
    const stepper = new Stepper({ spec: grown, train: ts, data });
    expect(stepper.plan.filter((p) => p.node === 2).map((p) => p.kind)).toEqual(["a", "delta"]);
    while (stepper.advance());
    const reference = createNetwork(grown, { seed: ts.seed });
    train(reference, data, ts);
    expect(weightsOf(stepper.network)).toEqual(weightsOf(reference));
    // the masks were real: some units of the last batch were dropped
    const mask = lastCaches(stepper.network).find((cache) => cache.name === "d2")!.mask!;
    expect(Array.from(mask.data)).toContain(0);
    expect(Array.from(mask.data)).toContain(2);
  });

  it("holds computeGradients' numbers at the end of backward", () => {
    const ts = trainSpec({ name: "adam", lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8 });
    const stepper = new Stepper({ spec, train: ts, data });
    const lastBackward = stepper.plan.map((p) => p.phase).lastIndexOf("backward");
    // step 5: the second epoch's second batch
    while (stepper.position < 5 * stepper.plan.length + lastBackward + 1) stepper.advance();
    expect(stepper.step).toBe(5);
    const reference = createNetwork(spec, { seed: 99 });
    reference.dense.forEach((d, i) => {
      d.weights.data.set(stepper.network.dense[i].weights.data);
      d.bias.set(stepper.network.dense[i].bias);
    });
    const batch = selectExamples(data, Array.from(stepper.batchExamples()));
    const loss = computeGradients(reference, transpose(batch.x), transpose(batch.y));
    expect(stepper.loss).toBe(loss);
    const ours = lastCaches(stepper.network);
    expect(ours).toEqual(lastCaches(reference));
    reference.dense.forEach((d, i) => {
      expect(stepper.network.dense[i].weightGradient.data).toEqual(d.weightGradient.data);
      expect(stepper.network.dense[i].biasGradient).toEqual(d.biasGradient);
    });
  });

  it("on a resident kernel, holds the JavaScript loss and weights of sigmoid with binary cross-entropy", () => {
    const bce = dagSpec({ name: "tanh" }, { name: "sigmoid" }, "binary_cross_entropy", 3);
    // batches of one: a sum of three terms, whose last bits a loss sum of many would round away
    const ts: TrainSpec = { ...trainSpec({ name: "sgd", lr: 0.1, momentum: 0.9 }), batch: 1 };
    const stepper = new Stepper({ spec: bce, train: ts, data, kernel: () => createWasmKernel("wasm-simd-4x4")! });
    const reference = createNetwork(bce, { seed: 99, kernel: jsKernel });
    const lastBackward = stepper.plan.map((p) => p.phase).lastIndexOf("backward");
    for (let step = 0; step < 60; step++) {
      while (stepper.position < step * stepper.plan.length + lastBackward + 1) stepper.advance();
      reference.dense.forEach((d, i) => {
        d.weights.data.set(stepper.network.dense[i].weights.data);
        d.bias.set(stepper.network.dense[i].bias);
      });
      const batch = selectExamples(data, Array.from(stepper.batchExamples()));
      expect(stepper.loss).toBe(computeGradients(reference, transpose(batch.x), transpose(batch.y)));
    }
    while (stepper.advance());
    const trained = createNetwork(bce, { seed: ts.seed, kernel: jsKernel });
    train(trained, data, ts);
    expect(weightsOf(stepper.network)).toEqual(weightsOf(trained));
  });

  it("replays to a position with the same bits", () => {
    const ts = trainSpec({ name: "adam", lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8 });
    const stepper = new Stepper({ spec, train: ts, data });
    for (let i = 0; i < 3 * stepper.plan.length + 7; i++) stepper.advance();
    const again = stepper.replay(stepper.position);
    expect(again.position).toBe(stepper.position);
    expect(weightsOf(again.network)).toEqual(weightsOf(stepper.network));
    expect(lastCaches(again.network)).toEqual(lastCaches(stepper.network));
  });

  it("gives each replay a fresh resident kernel, so Step Back does not pile arrays into one memory", () => {
    const ts = trainSpec({ name: "adam", lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8 });
    const made: Kernel[] = [];
    const fresh = (): Kernel => { const kernel = createWasmKernel("wasm-simd-4x4")!; made.push(kernel); return kernel; };
    const stepper = new Stepper({ spec, train: ts, data, kernel: fresh });
    for (let i = 0; i < 2 * stepper.plan.length + 5; i++) stepper.advance();
    const back = stepper.replay(stepper.position - 3);
    const again = back.replay(back.position - 3);
    expect(made).toHaveLength(3);
    expect(new Set([stepper, back, again].map((s) => s.network.kernel)).size).toBe(3);
    // each network's weights live in its own kernel's memory, not in the first one's
    const buffers = [stepper, back, again].map((s) => s.network.dense[0].weights.data.buffer);
    expect(buffers.every((buffer) => buffer instanceof SharedArrayBuffer)).toBe(true);
    expect(new Set(buffers).size).toBe(3);
    const reference = new Stepper({ spec, train: ts, data, kernel: createWasmKernel("wasm-simd-4x4")! });
    while (reference.position < again.position) reference.advance();
    expect(weightsOf(again.network)).toEqual(weightsOf(reference.network));
  });

  it("runs whole steps with the same bits as their points, dropout masks included", () => {
    const ts: TrainSpec = { ...trainSpec({ name: "adam", lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8 }), epochs: 3 };
    const pointwise = new Stepper({ spec: grownSpec, train: ts, data });
    const whole = new Stepper({ spec: grownSpec, train: ts, data });
    // whole steps, then points within a step, then whole steps again
    for (let k = 0; k < 5; k++) {
      for (let i = 0; i < pointwise.plan.length; i++) pointwise.advance();
      expect(whole.advanceStep()).toBe(true);
      expect(whole.position).toBe(pointwise.position);
      expect(weightsOf(whole.network)).toEqual(weightsOf(pointwise.network));
      expect(lastCaches(whole.network)).toEqual(lastCaches(pointwise.network));
      expect(whole.loss).toBe(pointwise.loss);
    }
    whole.advance();
    expect(whole.advanceStep()).toBe(false);
    while (pointwise.advance());
    while (!whole.finished) if (!whole.advanceStep()) whole.advance();
    expect(weightsOf(whole.network)).toEqual(weightsOf(pointwise.network));
  });

  it("averages ‖∂C/∂W‖ over an epoch's batches as train()'s metrics do, bit for bit", () => {
    const ts: TrainSpec = { ...trainSpec({ name: "sgd", lr: 0.1, momentum: 0.9 }), epochs: 3 };
    const reference = createNetwork(grownSpec, { seed: ts.seed });
    const { history } = train(reference, data, ts);
    const stepper = new Stepper({ spec: grownSpec, train: ts, data });
    const lastBackward = stepper.plan.map((p) => p.phase).lastIndexOf("backward");
    const perEpoch = stepper.plan.length * stepper.batchesPerEpoch;
    for (const metrics of history) {
      // the end of the epoch's last backward pass: its last batch counts before its update
      const end = metrics.epoch * perEpoch - stepper.plan.length + lastBackward + 1;
      while (stepper.position < end) if (!(stepper.position + stepper.plan.length <= end && stepper.advanceStep())) stepper.advance();
      expect(stepper.backwardDone && stepper.lastBatchOfEpoch).toBe(true);
      const dense = metrics.layers.filter((layer) => stepper.network.dense.some((d) => d.name === layer.layer));
      expect(stepper.epochGradientNorms()).toEqual(dense.map(({ layer, gradNorm }) => ({ layer, gradNorm })));
      // and after the update, from the optimizer's own measure
      stepper.advance();
      expect(stepper.epochGradientNorms()).toEqual(dense.map(({ layer, gradNorm }) => ({ layer, gradNorm })));
      expect(stepper.lr).toBe(metrics.lr);
    }
  });

  it("says which quantities the current step has computed", () => {
    const stepper = new Stepper({ spec, train: trainSpec({ name: "sgd", lr: 0.1, momentum: 0 }), data });
    stepper.advance();
    expect(stepper.point?.kind).toBe("input");
    expect(stepper.computed("a", 0)).toBe(true);
    expect(stepper.computed("z", 1)).toBe(false);
    stepper.advance();
    expect(stepper.point).toEqual({ kind: "z", phase: "forward", node: 1 });
    expect(stepper.computed("z", 1)).toBe(true);
    expect(stepper.computed("a", 1)).toBe(false);
  });
});
