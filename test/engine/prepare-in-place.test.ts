/**
 * prepareData standardises without a copy where it may: the parts of a split
 * (copies of its own) always, the data set itself only when the caller says
 * its arrays are to be overwritten. The values are those of the copying path.
 */
import { describe, expect, it } from "vitest";
import { applyStandardiser, cloneMatrix, datasetFromSpec, fitStandardiser, prepareData, splitDataset, type Dataset } from "../../server/src/engine/index";

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
});
