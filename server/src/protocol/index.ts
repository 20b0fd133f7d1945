/**
 * Messages shared by the language server, the extension and the webview.
 * Each is declared once here, with who sends it and why.
 */

/** Per-epoch metrics and the decision grid are the engine's own types: the wire carries them as they are computed. */
export type { LayerStats, EpochMetrics, DecisionGrid } from "../engine/index";
import type { SpecLayerSummary } from "../model/index";
import type {
  DecisionGrid, EarlyStop, EpochMetrics, GradcheckReport as EngineGradcheckReport, GradcheckRow as EngineGradcheckRow, RunMetrics,
} from "../engine/index";
export type { RunMetrics, ClassificationReport } from "../engine/index";

/** A run's metrics as the engine computes them, with the class labels or the outputs' names. */
export type RunReport = RunMetrics & { names: string[] };

/** A gradient-check row as shown to users: the engine's row without its internal figures. */
export type GradcheckRow = Omit<EngineGradcheckRow, "maxRelErrorAwayFromKinks">;

export type GradcheckReport = Omit<EngineGradcheckReport, "tiny" | "loss" | "rows"> & { rows: GradcheckRow[] };

/** The report as it crosses the wire: exactly its declared fields, which the webview's validator keeps. */
export function shownGradcheck(report: EngineGradcheckReport): GradcheckReport {
  const { tiny: _tiny, loss: _loss, rows, ...shown } = report;
  return { ...shown, rows: rows.map(({ maxRelErrorAwayFromKinks: _away, ...row }) => row) };
}

/** One row of a network's layer table, the same for a .nnet network and a saved model. */
export type LayerSummary = SpecLayerSummary;

export interface NetworkSummary {
  network: string;
  loss: string;
  layers: LayerSummary[];
  totalParams: number;
}

export type JobKind = "train" | "gradcheck";

/**
 * A custom request with its parameter and result types, declared once here:
 * `lsp/messages.ts` and the client's `messages.ts` take it, so no call site
 * restates either type. The types live only in the declaration.
 */
export interface RequestType<P, R> {
  readonly method: string;
  readonly signature?: (params: P) => R;
}
/** A custom notification with its parameter type. */
export interface NotificationType<P> {
  readonly method: string;
  readonly signature?: (params: P) => void;
}
const request = <P, R>(method: string): RequestType<P, R> => ({ method });
const notification = <P>(method: string): NotificationType<P> => ({ method });

/** client → server: start training one network of a document. */
export const TrainRequest = request<TrainParams, JobStarted>("nnet/train");
export interface TrainParams {
  uri: string;
  network?: string;
  /** upper bound on epochs from the user's settings */
  maxEpochs?: number;
  /** threads for the large matrix products (the nnet.train.threads setting); default: the cores, up to 8 */
  threads?: number;
  /** also run the gradient check after training */
  gradcheck?: boolean;
}

/** client → server: run the gradient check of one network. */
export const GradcheckRequest = request<GradcheckParams, JobStarted>("nnet/gradcheck");
export interface GradcheckParams {
  uri: string;
  network?: string;
  epsilon?: number;
  tolerance?: number;
  /** as TrainParams.threads */
  threads?: number;
}

/** The `data` of the error nnet/train and nnet/gradcheck answer when the network has errors, so the editor can say them and point at them. */
export interface JobRefusedData {
  network?: string;
  /** the checker's errors in the network: 0-based line, UTF-16 character */
  errors: { line: number; character: number; code: string; message: string }[];
}

/** Answer to nnet/train and nnet/gradcheck: the job has started. */
export interface JobStarted {
  jobId: string;
  network: string;
  summary: NetworkSummary;
  epochs: number;
}

/** client → server: what the last run of a network left (the server owns it), so a panel opened later can show it. */
export const LastRunRequest = request<LastRunParams, LastRunResult>("nnet/lastRun");
export interface LastRunParams {
  uri: string;
  network?: string;
}
/** Answer to nnet/lastRun; `run` is absent when the network has not run in this session. */
export interface LastRunResult {
  run?: {
    jobId: string;
    network: string;
    kind: JobKind;
    epochs: number;
    summary?: NetworkSummary;
    status: "running" | DoneParams["status"];
    message?: string;
    history: EpochMetrics[];
    gradcheck?: GradcheckReport;
    grid?: DecisionGrid;
  };
}

/** One run or gradient check of a network, as the run history keeps it (across sessions, in the workspace's storage). */
export interface HistoryRun {
  id: string;
  uri: string;
  network: string;
  kind: JobKind;
  status: DoneParams["status"];
  /** milliseconds since 1970 */
  startedAt: number;
  name?: string;
  pinned?: boolean;
  /** what the run was given, by name, in a fixed order: "optimizer", "lr", "batch", "epochs", "seed", "h1 units", "h1 activation", … */
  settings: Record<string, string>;
  /** SHA-256 of the document's text the run started on */
  textHash: string;
  /** answered per request: whether the document's text is still that text */
  matchesText?: boolean;
  /** per-epoch metrics, thinned to at most `historyRunPoints` epochs (the last always kept) */
  history: EpochMetrics[];
  final?: { epoch: number; loss: number; accuracy?: number; valLoss?: number; valAccuracy?: number };
  gradcheck?: { passed: boolean; maxRelError: number };
  /**
   * the run's trained model: "kept" beside the history (Save Model… and the
   * exports work after a reopen), "dropped" past the store's bound of models;
   * absent when the run left none, or an earlier version stored it
   */
  model?: "kept" | "dropped";
}
/** At most this many epochs of a run are kept in the history. */
export const historyRunPoints = 1_000;

/** client → server: the run history of a document's network (every network of it when none is named), newest first. */
export const RunsRequest = request<RunsParams, RunsResult>("nnet/runs");
export interface RunsParams {
  uri: string;
  network?: string;
}
export interface RunsResult {
  runs: HistoryRun[];
}

/** client → server: rename, pin or unpin, or delete a run of the history. */
export const EditRunRequest = request<EditRunParams, { ok: true }>("nnet/editRun");
export interface EditRunParams {
  id: string;
  name?: string;
  pinned?: boolean;
  remove?: boolean;
}

/** client → server: stop a job, or every job of a document. */
export const StopRequest = request<StopParams, StopResult>("nnet/stop");
export interface StopParams {
  jobId?: string;
  uri?: string;
}
/** Answer to nnet/stop: how many jobs were asked to stop. */
export interface StopResult {
  stopped: number;
}

/** client → server: the layers and parameter counts of one network (the first when none is named), for "Show Model Summary". */
export const SummaryRequest = request<SummaryParams, SummaryResult>("nnet/summary");
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
export const SaveModelRequest = request<SaveModelParams, SaveModelResult>("nnet/saveModel");
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
export const PredictRequest = request<PredictParams, PredictResult>("nnet/predict");
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
export const ExportRequest = request<ExportParams, ExportResult>("nnet/export");
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
export const ModelSummaryRequest = request<ModelSummaryParams, ModelSummaryResult>("nnet/modelSummary");
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
export const ProgressNotification = notification<ProgressParams>("nnet/progress");
export interface ProgressParams {
  jobId: string;
  uri: string;
  network: string;
  kind: JobKind;
  epochs: number;
  metrics: EpochMetrics;
  grid?: DecisionGrid;
}

/** server → client: a large CSV file is being read before training starts (bytes read, of all). */
export const DataProgressNotification = notification<DataProgressParams>("nnet/dataProgress");
export interface DataProgressParams {
  jobId: string;
  uri: string;
  network: string;
  done: number;
  total: number;
}

/** server → client: a job ended, with its outcome. */
export const DoneNotification = notification<DoneParams>("nnet/done");
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
  /** train: per-class or per-output metrics on the validation split, or the training data without one */
  report?: RunReport;
  /** a training run that stop_early ended: where, why, and the epoch whose weights it kept */
  stopped?: EarlyStop;
}

export { replayGrids } from "./panel-state-limits";

/** Extension host → webview. */
export type HostMessage =
  | { type: "run"; jobId: string; network: string; kind: JobKind; epochs: number; summary: NetworkSummary; uri?: string }
  | { type: "progress"; metrics: EpochMetrics; grid?: DecisionGrid }
  | { type: "done"; params: DoneParams }
  | { type: "restore"; state: PanelState }
  /** a model's predictions, shown as a table under the run */
  | { type: "predictions"; result: PredictResult }
  /** the run history of the panel's network */
  | { type: "runs"; runs: HistoryRun[] }
  /** the runs whose curves are overlaid (two or more), by id */
  | { type: "select"; ids: string[] };

/** Webview → extension host. */
export type WebviewMessage =
  | { type: "ready" }
  | { type: "revealLayer"; layer: string }
  | { type: "exportCsv"; csv: string }
  | { type: "exportPng"; name: string; dataUrl: string }
  /** the end-of-run card's buttons: save or export the panel's last run */
  | { type: "saveModel" }
  | { type: "exportModel"; to: ExportTarget }
  /** the user ticked runs of the history to compare */
  | { type: "selectRuns"; ids: string[] }
  /** pin, rename or delete a run of the history */
  | { type: "editRun"; id: string; name?: string; pinned?: boolean; remove?: boolean };

/** What the panel keeps to redraw itself after a reload. */
export interface PanelState {
  /** the job shown, or the id of the history's run when a stored run is drawn */
  jobId?: string;
  /** the document the run came from, so a layer can still be revealed after a window reload */
  uri?: string;
  network?: string;
  kind?: JobKind;
  epochs?: number;
  summary?: NetworkSummary;
  history: EpochMetrics[];
  grid?: DecisionGrid;
  /** the decision grids as they came during the run, for replaying it (at most `replayGrids`, evenly thinned) */
  grids?: { epoch: number; grid: DecisionGrid }[];
  gradcheck?: GradcheckReport;
  status?: DoneParams["status"];
  message?: string;
  stopped?: EarlyStop;
  predictions?: PredictResult;
  /** the run history of the network shown, newest first */
  runs?: HistoryRun[];
  /** ids of the runs overlaid */
  selected?: string[];
  report?: RunReport;
}

export type { EarlyStop };
export {
  validateWebviewMessage, oversizeExport, validateHostMessage, validatePanelState, validateEpochMetrics,
  validateDecisionGrid, validateGradcheckReport, validateNetworkSummary, validatePredictResult, validateRunReport, messageLimits,
} from "./validate";
export { validateSaveModelParams, validatePredictParams, validateExportParams, validateModelSummaryParams } from "./validate-requests";
export { applyHostMessage, emptyPanelState } from "./panel-state";
export { networkDetail } from "./network-detail";
export { runDifferences, differenceLine, runLabel, type RunDifference } from "./run-compare";
export { validateHistoryRun } from "./validate-runs";
export { storedModelMissing } from "./run-model";
