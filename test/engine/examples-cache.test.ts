/**
 * train() reads a data set through one transposed copy, kept for as long as
 * the data lives (evaluateDataset reads the columns in place): training again
 * on the same data set gives the bits a fresh copy of it gives, and the copy
 * is the transpose.
 */
import { describe, expect, it } from "vitest";
import { cloneMatrix, createNetwork, datasetFromSpec, evaluateDataset, exportWeights, prepareData, train, type Dataset, type NetworkSpec, type TrainSpec } from "../../server/src/engine/index";
import { examplesOf, transpose } from "../../server/src/engine/matrix";

const spec: NetworkSpec = {
  name: "n", input: { name: "x", units: 2 }, loss: "binary_cross_entropy",
  layers: [
    { kind: "dense", name: "h", units: 8, from: "x", activation: { name: "tanh" }, init: { name: "xavier" } },
    { kind: "dense", name: "out", units: 1, from: "h", activation: { name: "sigmoid" }, init: { name: "xavier" } },
  ],
};
const settings: TrainSpec = { optimizer: { name: "sgd", lr: 0.3, momentum: 0.9 }, epochs: 5, batch: 10, validation: 0.2, seed: 3, shuffle: true, l2: 0 };

function run(data: { train: Dataset; validation?: Dataset }): { history: unknown; weights: unknown; loss: number } {
  const network = createNetwork(spec, { seed: 3 });
  const result = train(network, data.train, settings, data.validation ? { validation: data.validation } : {});
  return { history: result.history, weights: exportWeights(network), loss: evaluateDataset(network, data.train).loss };
}

const copy = (d: Dataset): Dataset => ({ ...d, x: cloneMatrix(d.x), y: cloneMatrix(d.y) });

describe("the transposed data set", () => {
  it("is the transpose, built once per matrix", () => {
    const data = datasetFromSpec({ kind: "generator", name: "spiral", samples: 50, noise: 0.1, classes: 2 }, 1);
    const t = examplesOf(data.x);
    expect(t).toEqual(transpose(data.x));
    expect(examplesOf(data.x)).toBe(t);
    expect(examplesOf(cloneMatrix(data.x))).not.toBe(t);
  });

  it("training twice on the same data set gives the bits of training on fresh copies", () => {
    const prepared = prepareData(datasetFromSpec({ kind: "generator", name: "spiral", samples: 200, noise: 0.1, classes: 2 }, 1), { validation: 0.2, seed: 3, standardise: false });
    const fresh = () => run({ train: copy(prepared.train), validation: copy(prepared.validation!) });
    const first = run({ train: prepared.train, validation: prepared.validation! });
    const again = run({ train: prepared.train, validation: prepared.validation! });
    expect(again).toEqual(first);
    expect(first).toEqual(fresh());
  });
});
