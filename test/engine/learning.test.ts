import { describe, expect, it } from "vitest";
import {
  createNetwork, datasetFromSpec, evaluateDataset, prepareData, train,
  type ActivationSpec, type DataSpec, type LossName, type NetworkSpec, type TrainSpec,
} from "../../server/src/engine/index";

function network(widths: number[], activations: ActivationSpec[], loss: LossName): NetworkSpec {
  const layers: NetworkSpec["layers"] = [];
  let from = "x";
  for (let l = 1; l < widths.length; l++) {
    const name = l === widths.length - 1 ? "out" : `h${l}`;
    layers.push({ kind: "dense", name, units: widths[l], from, activation: activations[l - 1], init: { name: "xavier" } });
    from = name;
  }
  return { name: "learner", input: { name: "x", units: widths[0] }, layers, loss };
}

const adam = (lr: number) => ({ name: "adam" as const, lr, beta1: 0.9, beta2: 0.999, eps: 1e-8 });
const base: TrainSpec = { optimizer: adam(0.01), epochs: 300, batch: 16, validation: 0, seed: 1, shuffle: true, l2: 0 };

function fit(spec: NetworkSpec, data: DataSpec, ts: TrainSpec, standardise = false) {
  const prepared = prepareData(datasetFromSpec(data, ts.seed), { validation: ts.validation, seed: ts.seed, standardise });
  const net = createNetwork(spec, { seed: ts.seed });
  const result = train(net, prepared.train, ts, prepared.validation ? { validation: prepared.validation } : {});
  return { net, prepared, result, trainEval: evaluateDataset(net, prepared.train) };
}

describe("learning with fixed seeds", () => {
  it("xor: 2-4 tanh-1 sigmoid, bce, sgd(0.5, momentum 0.9), batch 4, 500 epochs → 100 %", () => {
    const { trainEval } = fit(
      network([2, 4, 1], [{ name: "tanh" }, { name: "sigmoid" }], "binary_cross_entropy"),
      { kind: "generator", name: "xor", samples: 4, noise: 0, classes: 2 },
      { ...base, optimizer: { name: "sgd", lr: 0.5, momentum: 0.9 }, epochs: 500, batch: 4 },
    );
    expect(trainEval.accuracy).toBe(1);
  });

  it("spiral, the docs/language.md example: ≥ 95 % training accuracy", () => {
    const { trainEval, result } = fit(
      network([2, 16, 16, 1], [{ name: "tanh" }, { name: "tanh" }, { name: "sigmoid" }], "binary_cross_entropy"),
      { kind: "generator", name: "spiral", samples: 400, noise: 0.1, classes: 2 },
      { ...base, epochs: 300, batch: 16, validation: 0.2, seed: 7 },
    );
    const last = result.history[result.history.length - 1];
    console.log(`spiral: train accuracy ${trainEval.accuracy}, validation ${last.valAccuracy}`);
    expect(trainEval.accuracy).toBeGreaterThanOrEqual(0.95);
    expect(last.valAccuracy).toBeGreaterThanOrEqual(0.9);
  });

  for (const seed of [1, 2, 3]) {
    it(`iris: 4-8 tanh-3 softmax, ce, adam 0.01, 200 epochs, validation 0.2 standardised, seed ${seed} → ≥ 93 %`, () => {
      const { result } = fit(
        network([4, 8, 3], [{ name: "tanh" }, { name: "softmax" }], "cross_entropy"),
        { kind: "iris" }, { ...base, epochs: 200, validation: 0.2, seed }, true,
      );
      expect(result.history[result.history.length - 1].valAccuracy).toBeGreaterThanOrEqual(0.93);
    });
  }

  it("sine: 1-16 tanh-16 tanh-1, mse, adam 0.01, 300 epochs, 200 samples noise 0.05 → mean squared error < 0.01", () => {
    const { trainEval } = fit(
      network([1, 16, 16, 1], [{ name: "tanh" }, { name: "tanh" }, { name: "identity" }], "mse"),
      { kind: "generator", name: "sine", samples: 200, noise: 0.05, classes: 0 }, { ...base, epochs: 300 },
    );
    // the loss is ½‖a − y‖² averaged over examples, so the mean squared error is twice it
    expect(2 * trainEval.loss).toBeLessThan(0.01);
    expect(trainEval.accuracy).toBeUndefined();
  });

  it("three-class spiral with relu and softmax + ce learns too", () => {
    const { trainEval } = fit(
      network([2, 32, 32, 3], [{ name: "relu" }, { name: "relu" }, { name: "softmax" }], "cross_entropy"),
      { kind: "generator", name: "spiral", samples: 300, noise: 0.1, classes: 3 }, { ...base, epochs: 150 },
    );
    expect(trainEval.accuracy).toBeGreaterThanOrEqual(0.9);
  });
});
