import { describe, expect, it } from "vitest";
import {
  TrainingDivergedError, computeGradients, createNetwork, lastCaches, datasetFromRows, datasetFromSpec, exportWeights, importWeights, predict, train, transpose,
  type NetworkSpec, type TrainSpec,
} from "../../server/src/engine/index";

const spec: NetworkSpec = {
  name: "moons",
  input: { name: "x", units: 2 },
  layers: [
    { kind: "dense", name: "h1", units: 8, from: "x", activation: { name: "relu" }, init: { name: "he" } },
    { kind: "dense", name: "h2", units: 8, from: "h1", activation: { name: "tanh" }, init: { name: "xavier" } },
    { kind: "dense", name: "out", units: 1, from: "h2", activation: { name: "sigmoid" }, init: { name: "xavier" } },
  ],
  loss: "binary_cross_entropy",
};
const ts: TrainSpec = { optimizer: { name: "sgd", lr: 0.1, momentum: 0.9 }, epochs: 5, batch: 7, validation: 0, seed: 3, shuffle: true, l2: 1e-3 };
const moons = (seed: number) => datasetFromSpec({ kind: "generator", name: "moons", samples: 100, noise: 0.1, classes: 2 }, seed);

function run(seed: number) {
  const net = createNetwork(spec, { seed });
  const result = train(net, moons(seed), { ...ts, seed });
  return { weights: exportWeights(net), history: result.history };
}

describe("reproducibility", () => {
  it("the same seed gives the same run bit for bit (weights and every metric)", () => {
    expect(run(3)).toEqual(run(3));
  });
  it("a different seed gives a different run", () => {
    expect(run(4).weights).not.toEqual(run(3).weights);
    expect(moons(4).x.data).not.toEqual(moons(3).x.data);
  });
  it("exported weights load back into a fresh network and predict the same", () => {
    const a = createNetwork(spec, { seed: 1 });
    train(a, moons(1), ts);
    const b = createNetwork(spec, { seed: 99 });
    importWeights(b, structuredClone(exportWeights(a)));
    const x = transpose(moons(2).x);
    expect(predict(b, x).data).toEqual(predict(a, x).data);
    expect(() => importWeights(b, { network: "moons", layers: [] })).toThrow(/no layer 'h1'/);
    // a bad layer leaves every weight as it was
    const before = exportWeights(b);
    const broken = exportWeights(a);
    broken.layers[broken.layers.length - 1].b[0] = NaN;
    expect(() => importWeights(b, broken)).toThrow(/bias .*b\[0\] is not a finite number/);
    expect(exportWeights(b)).toEqual(before);
  });
});

describe("epoch metrics", () => {
  it("gradNorm, meanAbsDelta and updateRatio are those of the batch's gradients and update", () => {
    const data = moons(5);
    const probe = createNetwork(spec, { seed: 5 });
    computeGradients(probe, transpose(data.x), transpose(data.y));
    const caches = lastCaches(probe);
    const net = createNetwork(spec, { seed: 5 });
    const before = Array.from(net.dense[0].weights.data);
    const { history } = train(net, data, { ...ts, epochs: 1, batch: "full", shuffle: false, l2: 0 });
    const [h1] = history[0].layers;
    const dW = probe.dense[0].weightGradient.data;
    expect(h1.gradNorm).toBeCloseTo(Math.hypot(...dW), 12);
    const delta = caches.find((c) => c.name === "h1")!.delta!.data;
    expect(h1.meanAbsDelta).toBeCloseTo(delta.reduce((s, v) => s + Math.abs(v), 0) / delta.length, 12);
    const moved = Math.hypot(...net.dense[0].weights.data.map((w, i) => w - before[i]));
    expect(h1.updateRatio).toBeCloseTo(moved / Math.hypot(...net.dense[0].weights.data), 12);
    expect(history[0].accuracy).toBeGreaterThan(0);
  });
});

describe("failures are reported clearly", () => {
  it("divergence names the epoch and the layer", () => {
    const regression: NetworkSpec = {
      name: "sine", input: { name: "x", units: 1 }, loss: "mse",
      layers: [
        { kind: "dense", name: "h1", units: 16, from: "x", activation: { name: "relu" }, init: { name: "he" } },
        { kind: "dense", name: "out", units: 1, from: "h1", activation: { name: "identity" }, init: { name: "xavier" } },
      ],
    };
    const data = datasetFromSpec({ kind: "generator", name: "sine", samples: 64, noise: 0, classes: 0 }, 1);
    const net = createNetwork(regression, { seed: 1 });
    let error: unknown;
    try {
      train(net, data, { ...ts, optimizer: { name: "sgd", lr: 1e3, momentum: 0 }, epochs: 50, l2: 0 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TrainingDivergedError);
    const diverged = error as TrainingDivergedError;
    expect(diverged.message).toMatch(/epoch \d+: layer '(h1|out)'/);
    expect(["h1", "out"]).toContain(diverged.layer);
    expect(diverged.epoch).toBeGreaterThanOrEqual(1);
    expect(diverged.history.length).toBe(diverged.epoch - 1);
    console.log(`divergence: ${diverged.message}`);
  });

  it("cancellation stops between batches", () => {
    let polls = 0;
    const net = createNetwork(spec, { seed: 1 });
    const epochs: number[] = [];
    const result = train(net, moons(1), { ...ts, epochs: 10, batch: 10 }, {
      shouldStop: () => ++polls > 25, // 10 batches per epoch: stops in the third epoch
      onEpoch: (m) => epochs.push(m.epoch),
    });
    expect(result.status).toBe("cancelled");
    expect(result.epochs).toBe(2);
    expect(epochs).toEqual([1, 2]);
    expect(polls).toBe(26);
  });

  it("a NaN or infinite value names its row and column", () => {
    expect(() => datasetFromRows([{ x: [1, 2], y: [0] }, { x: [3, Number.NaN], y: [1] }])).toThrow("row 2, feature column 2: NaN is not a finite number");
    expect(() => datasetFromRows([{ x: [1], y: [Infinity] }])).toThrow("row 1, target column 1: Infinity is not a finite number");
    expect(() => datasetFromRows([{ x: [1, 2], y: [0] }, { x: [3], y: [1] }])).toThrow(/row 2 has 1 features/);
  });

  it("an empty dataset is a clear error", () => {
    expect(() => datasetFromRows([])).toThrow("the dataset has no rows");
    const net = createNetwork(spec, { seed: 1 });
    expect(() => train(net, { x: { rows: 0, cols: 2, data: new Float64Array(0) }, y: { rows: 0, cols: 1, data: new Float64Array(0) } }, ts)).toThrow("the training set is empty");
  });

  it("a batch of the wrong width is refused", () => {
    const net = createNetwork(spec, { seed: 1 });
    const data = datasetFromRows([{ x: [1, 2, 3], y: [1] }]);
    expect(() => train(net, data, ts)).toThrow(/takes 2 features per example, the data has 3/);
  });
});
