/**
 * evaluateDataset on raw rows, in place: the chosen examples, standardised a
 * chunk at a time, give the bits of evaluating a standardised copy of just
 * those examples, and its outputs are predict's on that copy.
 */
import { describe, expect, it } from "vitest";
import {
  applyStandardiser, createNetwork, datasetFromSpec, evaluateDataset, fitStandardiser, predict, selectExamples, splitIndices, transpose, zeros, type NetworkSpec,
} from "../../server/src/engine/index";

const spec: NetworkSpec = {
  name: "n", input: { name: "x", units: 2 }, loss: "cross_entropy",
  layers: [
    { kind: "dense", name: "h", units: 7, from: "x", activation: { name: "tanh" }, init: { name: "xavier" } },
    { kind: "dense", name: "out", units: 3, from: "h", activation: { name: "softmax" }, init: { name: "xavier" } },
  ],
};

describe("evaluateDataset in place", () => {
  it("equals evaluating a standardised copy of the chosen examples, across chunks, with predict's outputs", () => {
    const data = datasetFromSpec({ kind: "generator", name: "spiral", samples: 700, noise: 0.2, classes: 3 }, 4);
    const network = createNetwork(spec, { seed: 9 });
    const standardiser = fitStandardiser(data);
    const examples = splitIndices(data.x.rows, 0.3, 5).validation!;
    const copy = applyStandardiser(selectExamples(data, examples), standardiser);
    const outputs = zeros(3, examples.length);
    const inPlace = evaluateDataset(network, data, 64, { examples, standardiser, outputs });
    expect(inPlace).toEqual(evaluateDataset(network, copy, 64));
    expect(outputs).toEqual(predict(network, transpose(copy.x), 64));
    expect(inPlace.accuracy).toBeGreaterThan(0);
    const before = data.x.data.slice();
    evaluateDataset(network, data, 64, { standardiser });
    expect(data.x.data).toEqual(before);
  });

  it("refuses a data set that is not one example per row of the network's width", () => {
    const data = datasetFromSpec({ kind: "generator", name: "spiral", samples: 30, noise: 0.2, classes: 3 }, 4);
    const network = createNetwork(spec, { seed: 9 });
    expect(() => evaluateDataset(network, { ...data, x: transpose(data.x) })).toThrow("network 'n' takes 2 features per example, the data has 30");
    expect(() => evaluateDataset(network, { ...data, y: transpose(data.y) })).toThrow("network 'n' has 3 outputs, the data has 30 targets");
  });

  it("refuses an outputs matrix of the wrong shape", () => {
    const data = datasetFromSpec({ kind: "generator", name: "spiral", samples: 30, noise: 0.2, classes: 3 }, 4);
    const network = createNetwork(spec, { seed: 9 });
    expect(() => evaluateDataset(network, data, 64, { outputs: zeros(3, 29) })).toThrow("the outputs matrix is 3×29; evaluating needs 3×30");
  });
});
