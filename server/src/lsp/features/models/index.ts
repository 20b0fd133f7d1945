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
  type ExportParams, type ExportResult, type PredictionRow, type PredictResult, type SaveModelResult,
} from "../../../protocol/index";
import { eachFeatureBatch, modelDatasetAsync, readModelFile, type Batch } from "../../../training/index";
import { onRequest } from "../../messages";
import type { ServerContext } from "../../context";
import { pathOfUri } from "../../convert";
import type { CancellationToken } from "vscode-languageserver/node";
import { guarded, guardedAsync, invalidParams } from "./errors";
import { modelSummary } from "./summary";

// Every row is read and checked, a batch at a time; only the first predictRowLimit are predicted and sent.
async function predict(modelPath: string, dataPath: string, token: CancellationToken): Promise<PredictResult> {
  const model = readModelFile(modelPath);
  const network = networkOf(model);
  const columns = model.outputs.kind === "classes" ? model.outputs.labels : model.outputs.names;
  const rows: PredictionRow[] = [];
  const onBatch = ({ x }: Batch): void => {
    const wanted = Math.min(x.cols, predictRowLimit - rows.length);
    if (wanted <= 0) return;
    const part = wanted === x.cols ? x : { rows: x.rows, cols: wanted, data: new Float64Array(x.rows * wanted) };
    if (part !== x) for (let f = 0; f < x.rows; f++) part.data.set(x.data.subarray(f * x.cols, f * x.cols + wanted), f * wanted);
    for (const p of readPredictions(model, predictRaw(model, network, part))) {
      rows.push({ ...(p.label !== undefined ? { label: p.label, probability: p.probability! } : {}), values: columns.map((column) => p.values[column]!) });
    }
  };
  const total = await eachFeatureBatch(dataPath, model, 4096, onBatch, { shouldStop: () => token.isCancellationRequested });
  return { model: modelPath, data: dataPath, network: model.network.name, kind: model.outputs.kind, columns, rows, omitted: total - rows.length };
}

/** The model to export and the path its data paths are relative to. */
function exportSource(context: ServerContext, params: ExportParams): { model: TrainedModel; at: string } {
  if (params.model !== undefined) return { model: readModelFile(params.model), at: resolve(params.model) };
  const source = pathOfUri(params.uri!);
  // where Save Model would put it: beside the .nnet file, so CSV paths resolve as training read them
  const at = join(source ? dirname(source) : resolve(dirname(params.out)), `${params.network ?? "model"}${modelExtension}`);
  return { model: context.runs.modelOf(params.uri!, params.network, at), at };
}

async function runExport(context: ServerContext, params: ExportParams): Promise<ExportResult> {
  const { model, at } = exportSource(context, params);
  if (params.to === "onnx") {
    exportOnnx(model, params.out);
    return { out: params.out, files: [params.out] };
  }
  const dataset = await modelDatasetAsync(model, at, context.runner.dataOptions(at));
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
  onRequest(connection, PredictRequest, (raw: unknown, token) => {
    const params = validatePredictParams(raw);
    if (!params) return invalidParams(PredictRequest.method);
    return guardedAsync(context, "cannot predict", () => predict(params.model, params.data, token));
  });
  onRequest(connection, ExportRequest, (raw: unknown) => {
    const params = validateExportParams(raw);
    if (!params) return invalidParams(ExportRequest.method);
    const to = params.to === "onnx" ? "ONNX" : "PyTorch";
    return guardedAsync(context, `cannot export to ${to}`, () => runExport(context, params));
  });
  onRequest(connection, ModelSummaryRequest, (raw: unknown) => {
    const params = validateModelSummaryParams(raw);
    if (!params) return invalidParams(ModelSummaryRequest.method);
    return guarded(context, "cannot read the model", () => modelSummary(readModelFile(params.path)));
  });
}
