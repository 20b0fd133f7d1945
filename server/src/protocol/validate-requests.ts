/**
 * Runtime checks for the parameters of the model requests (save, predict,
 * export, model summary). They arrive from another process over JSON-RPC:
 * each check rebuilds the typed value from known fields, or answers undefined.
 */
import type { ExportParams, ModelSummaryParams, PredictParams, SaveModelParams } from "./index";
import { exportTarget, messageLimits, name, optional, shape, text, uri, type Check } from "./validate";

/** A file system path: not empty, no NUL (which no file system accepts and Node refuses). */
const path: Check<string> = (value) => {
  const checked = text(messageLimits.path)(value);
  return checked !== undefined && checked.length > 0 && !checked.includes("\0") ? checked : undefined;
};

export const validateSaveModelParams: Check<SaveModelParams> = shape<SaveModelParams>({ uri, network: optional(name), target: path });

export const validatePredictParams: Check<PredictParams> = shape<PredictParams>({ model: path, data: path });

/** Exactly one of `uri` (a document's last run) and `model` (a model file). */
export const validateExportParams: Check<ExportParams> = (value) => {
  const params = shape<ExportParams>({ uri: optional(uri), model: optional(path), network: optional(name), to: exportTarget, out: path })(value);
  return params && (params.uri === undefined) !== (params.model === undefined) ? params : undefined;
};

export const validateModelSummaryParams: Check<ModelSummaryParams> = shape<ModelSummaryParams>({ path });
