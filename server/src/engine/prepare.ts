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
  /** the dataset's arrays are the caller's to overwrite (a CSV just loaded): standardised in place, not copied */
  inPlace?: boolean;
}

export function prepareData(data: Dataset, options: PrepareOptions): PreparedData {
  if (exampleCount(data) === 0) throw new Error("the dataset has no rows");
  const split = splitDataset(data, options.validation, options.seed);
  if (!options.standardise) return split;
  const standardiser = fitStandardiser(split.train);
  // a split's parts are copies of its own, so they too are standardised without another copy
  const ours = options.inPlace === true || split.train !== data;
  const standardise = (part: Dataset): Dataset => (ours ? standardiseInPlace(part, standardiser) : applyStandardiser(part, standardiser));
  return {
    train: standardise(split.train),
    ...(split.validation ? { validation: standardise(split.validation) } : {}),
    standardiser,
  };
}
