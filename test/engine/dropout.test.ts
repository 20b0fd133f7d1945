/**
 * Dropout as training uses it: masks drawn from the run's seed while
 * training, off for validation, evaluation and prediction, and a resumed run
 * that draws the masks the uninterrupted run would have drawn.
 */
import { describe, expect, it } from "vitest";
import {
  Rng, createNetwork, datasetFromRows, evaluateDataset, exportWeights, importWeights, predict, train, transpose, type Dataset, type NetworkSpec, type TrainSpec,
} from "../../server/src/engine/index";

const withDropout: NetworkSpec = {
  name: "drop", input: { name: "x", units: 2 }, loss: "mae",
  layers: [
    { kind: "dense", name: "h", units: 8, from: "x", activation: { name: "silu" }, init: { name: "xavier" } },
    { kind: "dropout", name: "d", units: 8, from: "h", rate: 0.4 },
    { kind: "dense", name: "out", units: 1, from: "d", activation: { name: "identity" }, init: { name: "xavier" } },
  ],
};
// the same network without its dropout layer: what evaluation must compute
const withoutDropout: NetworkSpec = {
  ...withDropout,
  layers: [withDropout.layers[0]!, { ...withDropout.layers[2]!, from: "h" } as NetworkSpec["layers"][number]],
};

const data: Dataset = (() => {
  const rng = new Rng(9);
  return datasetFromRows(Array.from({ length: 40 }, () => {
    const x = [rng.normal(), rng.normal()];
    return { x, y: [Math.sin(x[0]!) + 0.5 * x[1]!] };
  }));
})();

const spec = (epochs: number): TrainSpec => ({
  optimizer: { name: "adam", lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8 }, epochs, batch: 8, validation: 0, seed: 6, shuffle: true, l2: 0, l1: 1e-4,
});

describe("dropout in training", () => {
  it("is off for evaluation and prediction: the network computes what it computes without the layer", () => {
    const network = createNetwork(withDropout, { seed: 2 });
    train(network, data, spec(3));
    const plain = createNetwork(withoutDropout, { seed: 2 });
    importWeights(plain, exportWeights(network));
    expect(predict(network, transpose(data.x)).data).toEqual(predict(plain, transpose(data.x)).data);
    expect(evaluateDataset(network, data)).toEqual(evaluateDataset(plain, data));
  });

  it("draws masks while training: the run differs from one without dropout, and repeats with the same seed", () => {
    const once = createNetwork(withDropout, { seed: 2 });
    const again = createNetwork(withDropout, { seed: 2 });
    const plain = createNetwork(withoutDropout, { seed: 2 });
    const first = train(once, data, spec(3)).history;
    expect(train(again, data, spec(3)).history).toEqual(first);
    expect(train(plain, data, spec(3)).history.map((h) => h.loss)).not.toEqual(first.map((h) => h.loss));
  });

  it("predicts with dropout off between epochs (the editor's decision grid) and goes on drawing masks after", () => {
    const quiet = createNetwork(withDropout, { seed: 2 });
    const watched = createNetwork(withDropout, { seed: 2 });
    const first = train(quiet, data, spec(3)).history;
    const plain = createNetwork(withoutDropout, { seed: 2 });
    const seen = train(watched, data, spec(3), {
      onEpoch: () => {
        importWeights(plain, exportWeights(watched));
        expect(predict(watched, transpose(data.x)).data).toEqual(predict(plain, transpose(data.x)).data);
        expect(watched.dropoutMode).toBe("draw");
      },
    }).history;
    expect(seen).toEqual(first);
    expect(exportWeights(watched)).toEqual(exportWeights(quiet));
  });

  it("validates with dropout off: the reported validation loss is the evaluation loss after the epoch", () => {
    const network = createNetwork(withDropout, { seed: 2 });
    let checked = 0;
    train(network, data, spec(2), {
      validation: data,
      onEpoch: (metrics) => {
        expect(metrics.valLoss).toBe(evaluateDataset(network, data).loss);
        expect(network.dropoutMode).toBe("draw");
        checked++;
      },
    });
    expect(checked).toBe(2);
    expect(network.dropoutMode).toBe("off");
  });

  it("resumes with the masks the uninterrupted run draws", () => {
    const whole = createNetwork(withDropout, { seed: 2 });
    const wholeRun = train(whole, data, spec(4));
    const half = createNetwork(withDropout, { seed: 2 });
    const first = train(half, data, spec(2));
    train(half, data, spec(2), { startEpoch: 2, optimizerState: first.optimizer.state() });
    expect(exportWeights(half)).toEqual(exportWeights(whole));
    expect(wholeRun.epochs).toBe(4);
  });
});
