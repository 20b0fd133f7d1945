/**
 * The model requests: save a document's last training run as a .nnetmodel
 * (nnet/saveModel), predict with a model file (nnet/predict), export a run or
 * a model file to PyTorch or ONNX (nnet/export), and describe a model file for
 * the editor's model viewer (nnet/modelSummary). The files and their rules
 * are the training layer's and the CLI's; this only adapts them to requests.
 */
import { dirname, join, resolve } from "node:path";
import { exportOnnx, exportPytorch } from "../../../export/index";
import { modelExtension, networkOf, predictRaw, readPredictions, type TrainedModel } from "../../../model/index";
import {
  ExportRequest, ModelSummaryRequest, PredictRequest, predictRowLimit, SaveModelRequest,
  validateExportParams, validateModelSummaryParams, validatePredictParams, validateSaveModelParams,
  type ExportParams, type ExportResult, type PredictResult, type SaveModelResult,
} from "../../../protocol/index";
import { modelDataset, readFeatureTable, readModelFile } from "../../../training/index";
import { onRequest } from "../../messages";
import type { ServerContext } from "../../context";
import { pathOfUri } from "../../convert";
import { guarded, invalidParams } from "./errors";
import { modelSummary } from "./summary";

function predict(modelPath: string, dataPath: string): PredictResult {
  const model = readModelFile(modelPath);
  const { x } = readFeatureTable(dataPath, model, false);
  const predictions = readPredictions(model, predictRaw(model, networkOf(model), x));
  const columns = model.outputs.kind === "classes" ? model.outputs.labels : model.outputs.names;
  const rows = predictions.slice(0, predictRowLimit).map((p) => ({
    ...(p.label !== undefined ? { label: p.label, probability: p.probability! } : {}),
    values: columns.map((column) => p.values[column]!),
  }));
  return {
    model: modelPath, data: dataPath, network: model.network.name, kind: model.outputs.kind, columns, rows,
    omitted: predictions.length - rows.length,
  };
}

/** The model to export and the path its data paths are relative to. */
function exportSource(context: ServerContext, params: ExportParams): { model: TrainedModel; at: string } {
  if (params.model !== undefined) return { model: readModelFile(params.model), at: resolve(params.model) };
  const source = pathOfUri(params.uri!);
  // where Save Model would put it: beside the .nnet file, so CSV paths resolve as training read them
  const at = join(source ? dirname(source) : resolve(dirname(params.out)), `${params.network ?? "model"}${modelExtension}`);
  return { model: context.runs.modelOf(params.uri!, params.network, at), at };
}

function runExport(context: ServerContext, params: ExportParams): ExportResult {
  const { model, at } = exportSource(context, params);
  if (params.to === "onnx") {
    exportOnnx(model, params.out);
    return { out: params.out, files: [params.out] };
  }
  const dataset = modelDataset(model, at, context.runner.dataOptions(at));
  const files = exportPytorch(model, { out: params.out, dataset });
  return { out: params.out, files };
}

export function registerModels(context: ServerContext): void {
  const { connection } = context;
  onRequest(connection, SaveModelRequest, (raw: unknown) => {
    const params = validateSaveModelParams(raw);
    if (!params) return invalidParams(SaveModelRequest.method);
    return guarded(context, "cannot save the model", (): SaveModelResult => {
      return context.runs.saveRun(params.uri, params.network, params.target);
    });
  });
  onRequest(connection, PredictRequest, (raw: unknown) => {
    const params = validatePredictParams(raw);
    if (!params) return invalidParams(PredictRequest.method);
    return guarded(context, "cannot predict", () => predict(params.model, params.data));
  });
  onRequest(connection, ExportRequest, (raw: unknown) => {
    const params = validateExportParams(raw);
    if (!params) return invalidParams(ExportRequest.method);
    const to = params.to === "onnx" ? "ONNX" : "PyTorch";
    return guarded(context, `cannot export to ${to}`, () => runExport(context, params));
  });
  onRequest(connection, ModelSummaryRequest, (raw: unknown) => {
    const params = validateModelSummaryParams(raw);
    if (!params) return invalidParams(ModelSummaryRequest.method);
    return guarded(context, "cannot read the model", () => modelSummary(readModelFile(params.path)));
  });
}
