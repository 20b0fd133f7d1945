/**
 * Messages shared by the language server, the extension and the webview.
 * Each is declared once here, with who sends it and why.
 */

/** Per-epoch metrics and the decision grid are the engine's own types: the wire carries them as they are computed. */
export type { LayerStats, EpochMetrics, DecisionGrid } from "../engine/index";
import type { SpecLayerSummary } from "../model/index";
import type {
  DecisionGrid, EarlyStop, EpochMetrics, GradcheckReport as EngineGradcheckReport, GradcheckRow as EngineGradcheckRow,
} from "../engine/index";

/** A gradient-check row as shown to users: the engine's row without its internal figures. */
export type GradcheckRow = Omit<EngineGradcheckRow, "maxRelErrorAwayFromKinks">;

export type GradcheckReport = Omit<EngineGradcheckReport, "tiny" | "loss" | "rows"> & { rows: GradcheckRow[] };

/** One row of a network's layer table, the same for a .nnet network and a saved model. */
export type LayerSummary = SpecLayerSummary;

export interface NetworkSummary {
  network: string;
  loss: string;
  layers: LayerSummary[];
  totalParams: number;
}

export type JobKind = "train" | "gradcheck";

/** client → server: start training one network of a document. */
export const TrainRequest = "nnet/train";
export interface TrainParams {
  uri: string;
  network?: string;
  /** upper bound on epochs from the user's settings */
  maxEpochs?: number;
  /** also run the gradient check after training */
  gradcheck?: boolean;
}

/** client → server: run the gradient check of one network. */
export const GradcheckRequest = "nnet/gradcheck";
export interface GradcheckParams {
  uri: string;
  network?: string;
  epsilon?: number;
  tolerance?: number;
}

/** Answer to nnet/train and nnet/gradcheck: the job has started. */
export interface JobStarted {
  jobId: string;
  network: string;
  summary: NetworkSummary;
  epochs: number;
}

/** client → server: stop a job, or every job of a document. */
export const StopRequest = "nnet/stop";
export interface StopParams {
  jobId?: string;
  uri?: string;
}

/** client → server: the layers and parameter counts of one network (the first when none is named), for "Show Model Summary". */
export const SummaryRequest = "nnet/summary";
export interface SummaryParams {
  uri: string;
  network?: string;
}
/** Answer to nnet/summary; `summary` is absent when the document has no such network. */
export interface SummaryResult {
  summary?: NetworkSummary;
  /** the networks the document declares, in order */
  networks: string[];
  /** errors inside the network: its counts may be incomplete while there are any */
  errors: number;
}

/** client → server: save the last training run of a network as a model file, without retraining. */
export const SaveModelRequest = "nnet/saveModel";
export interface SaveModelParams {
  uri: string;
  /** default: the document's most recent training run */
  network?: string;
  /** the .nnetmodel file to write */
  target: string;
}
export interface SaveModelResult {
  path: string;
  network: string;
  epochs: number;
}
/** The `data` of the error nnet/saveModel and nnet/export answer when the network has no run to save, so a client can offer Train. */
export interface NoRunData {
  noRun: true;
  network?: string;
}

/** client → server: a saved model's answer for each row of a CSV. */
export const PredictRequest = "nnet/predict";
export interface PredictParams {
  /** the .nnetmodel file */
  model: string;
  /** a CSV whose header names the model's features */
  data: string;
}
export interface PredictionRow {
  /** classification: the predicted label and its probability */
  label?: string;
  probability?: number;
  /** every class's probability, or every output's value, in `columns` order */
  values: number[];
}
export interface PredictResult {
  model: string;
  data: string;
  network: string;
  kind: "classes" | "values";
  /** the class labels (classification) or output names (regression) */
  columns: string[];
  rows: PredictionRow[];
  /** rows predicted but not sent (beyond `predictRowLimit`) */
  omitted: number;
}
/** At most this many predicted rows travel to the editor; the count of the rest is reported. */
export const predictRowLimit = 10_000;

export type ExportTarget = "pytorch" | "onnx";

/** client → server: export the last run of a network (uri) or a model file (model) to PyTorch or ONNX. */
export const ExportRequest = "nnet/export";
export interface ExportParams {
  uri?: string;
  model?: string;
  network?: string;
  to: ExportTarget;
  /** the folder (pytorch) or the .onnx file (onnx) */
  out: string;
}
export interface ExportResult {
  out: string;
  /** the files written */
  files: string[];
}

/** client → server: what a model file holds, for the model viewer. */
export const ModelSummaryRequest = "nnet/modelSummary";
export interface ModelSummaryParams {
  path: string;
}
export interface ModelSummaryResult {
  summary: NetworkSummary;
  /** the lines of `nnet summary MODEL` below the table */
  provenance: string[];
  features: string[];
  outputs: { kind: "classes" | "values"; names: string[] };
  train: { optimizer: string; lr: number; batch: number | "full"; epochs: number; seed: number; validation: number };
  metrics?: { loss: number; accuracy?: number; valLoss?: number; valAccuracy?: number };
  history: { epochs: number; firstLoss?: number; lastLoss?: number; bestLoss?: number; bestEpoch?: number };
  source?: { file: string; network: string; sha256: string };
  savedAt: string;
  createdBy: string;
}

/** server → client: one epoch finished. */
export const ProgressNotification = "nnet/progress";
export interface ProgressParams {
  jobId: string;
  uri: string;
  network: string;
  kind: JobKind;
  epochs: number;
  metrics: EpochMetrics;
  grid?: DecisionGrid;
}

/** server → client: a job ended, with its outcome. */
export const DoneNotification = "nnet/done";
export interface DoneParams {
  jobId: string;
  uri: string;
  network: string;
  kind: JobKind;
  status: "completed" | "cancelled" | "failed";
  /** for failures: a message naming the epoch and layer, or the row and column */
  message?: string;
  /** 0-based line the failure points at, when it has one */
  line?: number;
  history?: EpochMetrics[];
  gradcheck?: GradcheckReport;
  grid?: DecisionGrid;
  /** a training run that stop_early ended: where, why, and the epoch whose weights it kept */
  stopped?: EarlyStop;
}

/** Extension host → webview. */
export type HostMessage =
  | { type: "run"; jobId: string; network: string; kind: JobKind; epochs: number; summary: NetworkSummary; uri?: string }
  | { type: "progress"; metrics: EpochMetrics; grid?: DecisionGrid }
  | { type: "done"; params: DoneParams }
  | { type: "restore"; state: PanelState }
  /** a model's predictions, shown as a table under the run */
  | { type: "predictions"; result: PredictResult };

/** Webview → extension host. */
export type WebviewMessage =
  | { type: "ready" }
  | { type: "revealLayer"; layer: string }
  | { type: "exportCsv"; csv: string }
  | { type: "exportPng"; name: string; dataUrl: string }
  /** the end-of-run card's buttons: save or export the panel's last run */
  | { type: "saveModel" }
  | { type: "exportModel"; to: ExportTarget };

/** What the panel keeps to redraw itself after a reload. */
export interface PanelState {
  /** the document the run came from, so a layer can still be revealed after a window reload */
  uri?: string;
  network?: string;
  kind?: JobKind;
  epochs?: number;
  summary?: NetworkSummary;
  history: EpochMetrics[];
  grid?: DecisionGrid;
  gradcheck?: GradcheckReport;
  status?: DoneParams["status"];
  message?: string;
  stopped?: EarlyStop;
  predictions?: PredictResult;
}

export type { EarlyStop };
export {
  validateWebviewMessage, validateHostMessage, validatePanelState, validateEpochMetrics,
  validateDecisionGrid, validateGradcheckReport, validateNetworkSummary, validatePredictResult, messageLimits,
} from "./validate";
export { validateSaveModelParams, validatePredictParams, validateExportParams, validateModelSummaryParams } from "./validate-requests";
export { applyHostMessage, emptyPanelState } from "./panel-state";
