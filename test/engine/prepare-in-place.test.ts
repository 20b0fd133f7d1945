/**
 * prepareData splits and standardises without a copy where it may: the
 * parts of a split (copies of its own) always; the data set itself, whose
 * rows it then puts in the split's order and shares with the parts, only
 * when the caller says its arrays are to be overwritten. The values, and a
 * run trained on them, are those of the copying path.
 */
import { describe, expect, it } from "vitest";
import {
  applyStandardiser, cloneMatrix, createNetwork, datasetFromSpec, exportWeights, fitStandardiser, prepareData, splitDataset, train,
  type Dataset, type NetworkSpec, type PreparedData,
} from "../../server/src/engine/index";

const fresh = (): Dataset => datasetFromSpec({ kind: "generator", name: "spiral", samples: 300, noise: 0.2, classes: 3 }, 7);
const copy = (d: Dataset): Dataset => ({ ...d, x: cloneMatrix(d.x), y: cloneMatrix(d.y) });

describe("prepareData", () => {
  it("gives the copying path's values with a split, and leaves the data set as it was", () => {
    const data = fresh();
    const before = copy(data);
    const prepared = prepareData(data, { validation: 0.25, seed: 2, standardise: true });
    const split = splitDataset(before, 0.25, 2);
    const s = fitStandardiser(split.train);
    expect(prepared.train.x).toEqual(applyStandardiser(split.train, s).x);
    expect(prepared.validation!.x).toEqual(applyStandardiser(split.validation!, s).x);
    expect(data.x).toEqual(before.x);
  });

  it("without a split, standardises the data set itself only when told it may", () => {
    const kept = fresh();
    const before = copy(kept);
    const copied = prepareData(kept, { validation: 0, seed: 2, standardise: true });
    expect(kept.x).toEqual(before.x);
    expect(copied.train.x.data).not.toBe(kept.x.data);

    const owned = fresh();
    const inPlace = prepareData(owned, { validation: 0, seed: 2, standardise: true, inPlace: true });
    expect(inPlace.train.x.data).toBe(owned.x.data);
    expect(inPlace.train.x).toEqual(copied.train.x);
    expect(inPlace.standardiser).toEqual(copied.standardiser);
  });

  it("with a split of the caller's own arrays, puts their rows in the split's order and trains to the copying path's bits", () => {
    const copied = prepareData(fresh(), { validation: 0.3, seed: 5, standardise: true });
    const owned = fresh();
    const inPlace = prepareData(owned, { validation: 0.3, seed: 5, standardise: true, inPlace: true });
    expect(inPlace.train.x).toEqual(copied.train.x);
    expect(inPlace.train.y).toEqual(copied.train.y);
    expect(inPlace.validation!.x).toEqual(copied.validation!.x);
    expect(inPlace.validation!.y).toEqual(copied.validation!.y);
    expect(inPlace.standardiser).toEqual(copied.standardiser);
    // no copy: both parts are views of the data set's own memory, validation first
    for (const m of [inPlace.train.x, inPlace.train.y, inPlace.validation!.x, inPlace.validation!.y]) expect(m.data.buffer).toBe(m === inPlace.train.y || m === inPlace.validation!.y ? owned.y.data.buffer : owned.x.data.buffer);
    expect(inPlace.validation!.x.data.byteOffset).toBe(0);
    expect(inPlace.train.x.data.byteOffset).toBe(inPlace.validation!.x.data.byteLength);
    expect(trained(inPlace)).toEqual(trained(copied));
  });
});

const net: NetworkSpec = {
  name: "n", input: { name: "x", units: 2 }, loss: "cross_entropy",
  layers: [
    { kind: "dense", name: "h", units: 6, from: "x", activation: { name: "relu" }, init: { name: "he" } },
    { kind: "dense", name: "out", units: 3, from: "h", activation: { name: "softmax" }, init: { name: "xavier" } },
  ],
};

function trained(data: PreparedData): unknown {
  const network = createNetwork(net, { seed: 4 });
  const result = train(network, data.train, { optimizer: { name: "adam", lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8 }, epochs: 3, batch: 16, validation: 0.3, seed: 5, shuffle: true, l2: 0 }, { validation: data.validation! });
  return { history: result.history, weights: exportWeights(network) };
}
