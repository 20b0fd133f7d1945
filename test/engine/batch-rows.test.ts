/**
 * train() gathers its batches from the data set's own rows, one example per
 * row, without a copy of the data set: a batch is the examples of the
 * epoch's order as the network's columns, and training again on the same
 * data set gives the bits a fresh copy of it gives.
 */
import { describe, expect, it } from "vitest";
import {
  cloneMatrix, createNetwork, datasetFromSpec, evaluateDataset, exportWeights, prepareData, selectExamples, train, transpose,
  type Dataset, type NetworkSpec, type TrainSpec,
} from "../../server/src/engine/index";
import { Batches } from "../../server/src/engine/batches";

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

describe("the batches of a data set", () => {
  it("are its rows in the epoch's order, as the network's columns, the last batch short", () => {
    const data = datasetFromSpec({ kind: "generator", name: "spiral", samples: 53, noise: 0.1, classes: 2 }, 1);
    const network = createNetwork(spec, { seed: 3 });
    const batches = new Batches(data, settings);
    batches.beginEpoch();
    batches.beginEpoch();
    expect(batches.perEpoch).toBe(6);
    for (let k = 0; k < batches.perEpoch; k++) {
      const ws = batches.load(network, k);
      const m = batches.count(k);
      const expected = selectExamples(data, batches.order.slice(batches.start(k), batches.start(k) + m));
      expect(ws.a[0]).toEqual(transpose(expected.x).data);
      expect(ws.inputRows.subarray(0, m * 2)).toEqual(expected.x.data);
      expect(ws.targets).toEqual(transpose(expected.y).data);
    }
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
