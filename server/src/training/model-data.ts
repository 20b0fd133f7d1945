/**
 * A model's own data, rebuilt from what its file records: the same source,
 * seed and validation split as the run that trained it. A CSV path is
 * relative to the model file, and read under the same workspace rule.
 */
import { dirname, resolve } from "node:path";
import { prepareData, type Dataset, type PreparedData } from "../engine/index";
import type { TrainedModel } from "../model/index";
import type { DataFileOptions } from "./data-files";
import { loadDataset, shouldStandardise } from "./load-data";
import type { DataRequest } from "./messages";

export function modelDataRequest(model: TrainedModel, modelPath: string, files: DataFileOptions = {}): DataRequest {
  const data = model.data;
  if (!data) throw new Error("the model does not record its data source");
  const folder = dirname(resolve(modelPath));
  if (data.spec.kind !== "csv") return { spec: data.spec };
  const path = resolve(folder, data.spec.path);
  const csv = data.csv;
  return {
    spec: { ...data.spec, path },
    files: { ...files, root: files.root ?? folder },
    csv: {
      shown: data.spec.path, target: data.spec.target,
      ...(csv ? { targetKind: csv.targetKind, ...(csv.labels ? { labels: csv.labels } : {}), ...(csv.classes !== undefined ? { classes: csv.classes } : {}) } : {}),
    },
  };
}

/** The rows the model was trained on, unsplit and unstandardised. */
export function modelDataset(model: TrainedModel, modelPath: string, files?: DataFileOptions): Dataset {
  return loadDataset(modelDataRequest(model, modelPath, files), model.train.seed);
}

/** The training and validation split of the model's run, standardised with the model's own standardiser. */
export function modelSplit(model: TrainedModel, modelPath: string, files?: DataFileOptions): PreparedData {
  const request = modelDataRequest(model, modelPath, files);
  const split = prepareData(loadDataset(request, model.train.seed), { validation: model.train.validation, seed: model.train.seed, standardise: shouldStandardise(request) });
  return split;
}
