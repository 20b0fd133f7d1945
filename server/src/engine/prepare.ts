/**
 * From a dataset to what training needs: a seeded validation split, then
 * standardisation fitted on the training part only and applied to both.
 */
import {
  applyStandardiser, exampleCount, fitStandardiser, splitDataset, type Dataset, type Standardiser,
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
}

export function prepareData(data: Dataset, options: PrepareOptions): PreparedData {
  if (exampleCount(data) === 0) throw new Error("the dataset has no rows");
  const split = splitDataset(data, options.validation, options.seed);
  if (!options.standardise) return split;
  const standardiser = fitStandardiser(split.train);
  return {
    train: applyStandardiser(split.train, standardiser),
    ...(split.validation ? { validation: applyStandardiser(split.validation, standardiser) } : {}),
    standardiser,
  };
}
