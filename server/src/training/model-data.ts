/**
 * A model's own data, rebuilt from what its file records: the same source,
 * seed and validation split as the run that trained it. A CSV path is
 * relative to the model file, and read under the same workspace rule.
 */
import { dirname, resolve } from "node:path";
import { exampleCount, splitIndices, targetColumnsOf, type Dataset } from "../engine/index";
import type { TrainedModel } from "../model/index";
import type { DataFileOptions } from "./data-files";
import type { FillOptions } from "./csv-rows";
import { loadDataset, loadDatasetAsync } from "./load-data";
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
      shown: data.spec.path, targets: targetColumnsOf(data.spec.target), ...(data.spec.features ? { features: data.spec.features } : {}),
      ...(csv ? { targetKind: csv.targetKind, ...(csv.labels ? { labels: csv.labels } : {}), ...(csv.classes !== undefined ? { classes: csv.classes } : {}) } : {}),
    },
  };
}

/** The rows the model was trained on, unsplit and unstandardised. */
export function modelDataset(model: TrainedModel, modelPath: string, files?: DataFileOptions): Dataset {
  return loadDataset(modelDataRequest(model, modelPath, files), model.train.seed);
}

/** The same, giving way to the event loop while a CSV loads. */
export function modelDatasetAsync(model: TrainedModel, modelPath: string, files?: DataFileOptions, options: FillOptions = {}): Promise<Dataset> {
  return loadDatasetAsync(modelDataRequest(model, modelPath, files), model.train.seed, options);
}

/**
 * The model's rows, raw, and which of them to evaluate: its validation split (the same as its
 * run's, by index, so the rows are not copied) or all of them when it had none.
 */
export async function modelEvaluationRows(
  model: TrainedModel, modelPath: string, files?: DataFileOptions, options: FillOptions = {},
): Promise<{ rows: Dataset; examples?: Int32Array; part: "validation" | "all" }> {
  const dataset = await modelDatasetAsync(model, modelPath, files, options);
  const split = splitIndices(exampleCount(dataset), model.train.validation, model.train.seed);
  return split.validation ? { rows: dataset, examples: split.validation, part: "validation" } : { rows: dataset, part: "all" };
}
