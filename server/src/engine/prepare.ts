/**
 * From a dataset to what training needs: a seeded validation split, then
 * standardisation fitted on the training part only and applied to both.
 */
import {
  applyStandardiser, exampleCount, fitStandardiser, splitDataset, standardiseInPlace, type Dataset, type Standardiser,
} from "./dataset";

export interface PreparedData {
  train: Dataset;
  validation?: Dataset;
  standardiser?: Standardiser;
}

export interface PrepareOptions {
  validation: number;
  seed: number;
  standardise: boolean;
  /** the dataset's arrays are the caller's to overwrite (a CSV just loaded): split and standardised in place, not copied */
  inPlace?: boolean;
}

export function prepareData(data: Dataset, options: PrepareOptions): PreparedData {
  if (exampleCount(data) === 0) throw new Error("the dataset has no rows");
  const ours = options.inPlace === true;
  // the caller's own arrays are split by putting their rows in order, not copied
  const split = splitDataset(data, options.validation, options.seed, ours);
  if (!options.standardise) return split;
  const standardiser = fitStandardiser(split.train);
  // a split's parts are either views of the caller's own arrays or copies of their own: either way standardised without another copy
  const inPlace = ours || split.train !== data;
  const standardise = (part: Dataset): Dataset => (inPlace ? standardiseInPlace(part, standardiser) : applyStandardiser(part, standardiser));
  return {
    train: standardise(split.train),
    ...(split.validation ? { validation: standardise(split.validation) } : {}),
    standardiser,
  };
}
