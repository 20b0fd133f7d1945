/**
 * A trained model as the tool keeps it: everything needed to use the network
 * without its .nnet file. docs/model-format.md describes the file.
 */
import type { DataSpec, EarlyStop, EpochMetrics, RunMetrics, NetworkSpec, OptimizerState, SavedWeights, TrainSpec } from "../engine/index";

export const modelFormat = "nnet-model";
export const modelVersion = 1;
export const modelExtension = ".nnetmodel";

export type ModelOutputs =
  /** softmax: one label per unit; a single sigmoid unit: [below 0.5, at or above 0.5] */
  | { kind: "classes"; labels: string[] }
  /** regression or independent (multi-label) sigmoid units, one name per unit */
  | { kind: "values"; names: string[] };

/** Where the training rows came from, so evaluate can rebuild the validation split. */
export interface ModelData {
  spec: DataSpec;
  /** csv: the target column and its class labels in order, as training read them */
  csv?: { target: string | string[]; targetKind: "classes" | "regression"; labels?: string[]; classes?: number };
}

export interface FinalMetrics {
  loss: number;
  /** per-class or per-output metrics on the validation split (or the training data without one), with the outputs' names */
  report?: RunMetrics & { names: string[] };
  accuracy?: number;
  valLoss?: number;
  valAccuracy?: number;
}

export interface TrainedModel {
  network: NetworkSpec;
  /** input feature names in the order the network reads them */
  features: string[];
  /** applied to raw features first: (x − mean) / std */
  standardiser?: { mean: Float64Array; std: Float64Array };
  outputs: ModelOutputs;
  weights: SavedWeights;
  /** for resuming; absent in a model saved without it */
  optimizer?: OptimizerState;
  train: TrainSpec;
  data?: ModelData;
  /** epochs trained in total; stopped early: the best epoch, whose weights these are */
  epochs: number;
  history: EpochMetrics[];
  /** why and where stop_early ended the run (the history goes on to that epoch) */
  stopped?: EarlyStop;
  metrics?: FinalMetrics;
  source?: { file: string; network: string; sha256: string };
  savedAt: string;
  createdBy: string;
}

/** A model file that cannot be used, with what is wrong with it. */
export class ModelFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ModelFileError";
  }
}
