/**
 * Messages shared by the language server, the extension and the webview.
 * Each is declared once here, with who sends it and why.
 */

/** Per-epoch metrics and the decision grid are the engine's own types: the wire carries them as they are computed. */
export type { LayerStats, EpochMetrics, DecisionGrid } from "../engine/index";
import type {
  DecisionGrid, EpochMetrics, GradcheckReport as EngineGradcheckReport, GradcheckRow as EngineGradcheckRow,
} from "../engine/index";

/** A gradient-check row as shown to users: the engine's row without its internal figures. */
export type GradcheckRow = Omit<EngineGradcheckRow, "maxRelErrorAwayFromKinks">;

export type GradcheckReport = Omit<EngineGradcheckReport, "tiny" | "loss" | "rows"> & { rows: GradcheckRow[] };

export interface LayerSummary {
  name: string;
  kind: "input" | "dense" | "add" | "concat";
  units: number;
  activation?: string;
  from: string[];
  params: number;
}

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
}

/** Extension host → webview. */
export type HostMessage =
  | { type: "run"; jobId: string; network: string; kind: JobKind; epochs: number; summary: NetworkSummary; uri?: string }
  | { type: "progress"; metrics: EpochMetrics; grid?: DecisionGrid }
  | { type: "done"; params: DoneParams }
  | { type: "restore"; state: PanelState };

/** Webview → extension host. */
export type WebviewMessage =
  | { type: "ready" }
  | { type: "revealLayer"; layer: string }
  | { type: "exportCsv"; csv: string }
  | { type: "exportPng"; name: string; dataUrl: string };

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
}

export {
  validateWebviewMessage, validateHostMessage, validatePanelState, validateEpochMetrics,
  validateDecisionGrid, validateGradcheckReport, validateNetworkSummary, messageLimits,
} from "./validate";
export { applyHostMessage, emptyPanelState } from "./panel-state";
