/**
 * Runtime checks for the parameters of the model requests (save, predict,
 * export, model summary). They arrive from another process over JSON-RPC:
 * each check rebuilds the typed value from known fields, or answers undefined.
 */
import type { ExportParams, ModelSummaryParams, PredictParams, SaveModelParams } from "./index";
import { messageLimits, name, oneOf, shape, text, uri, type Check } from "./validate";

/** A file system path: not empty, no NUL (which no file system accepts and Node refuses). */
const path: Check<string> = (value) => {
  const checked = text(messageLimits.path)(value);
  return checked !== undefined && checked.length > 0 && !checked.includes("\0") ? checked : undefined;
};

export const validateSaveModelParams: Check<SaveModelParams> = shape<SaveModelParams>({ uri, network: name, target: path }, ["network"]);

export const validatePredictParams: Check<PredictParams> = shape<PredictParams>({ model: path, data: path });

/** Exactly one of `uri` (a document's last run) and `model` (a model file). */
export const validateExportParams: Check<ExportParams> = (value) => {
  const params = shape<ExportParams>(
    { uri, model: path, network: name, to: oneOf("pytorch", "onnx"), out: path },
    ["uri", "model", "network"],
  )(value);
  return params && (params.uri === undefined) !== (params.model === undefined) ? params : undefined;
};

export const validateModelSummaryParams: Check<ModelSummaryParams> = shape<ModelSummaryParams>({ path });
