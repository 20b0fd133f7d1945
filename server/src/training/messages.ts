/**
 * What the host and the training worker say to each other. Everything is
 * plain data (structured clone); cancellation is a shared flag the worker
 * polls between batches, so a stop needs no message round trip.
 */
import type {
  EarlyStop, DataSpec, DecisionGrid, EpochMetrics, GradcheckProgress, GradcheckResult, GradcheckSpec, NetworkSpec, OptimizerState, RunMetrics, SavedWeights, TrainSpec,
} from "../engine/index";
import type { CsvRequest } from "./csv-data";
import type { WorkspaceFiles } from "./data-files";

export type JobKind = "train" | "gradcheck";

export interface DataRequest {
  spec: DataSpec;
  /** for csv: how to read it (from the checker) and where it may be read from */
  csv?: CsvRequest;
  files?: WorkspaceFiles;
}

export interface JobRequest {
  kind: JobKind;
  network: NetworkSpec;
  train: TrainSpec;
  gradcheck: GradcheckSpec;
  data: DataRequest;
  /** train: also check the gradients of the trained network */
  gradcheckAfter?: boolean;
  /** train: a decision grid every this many epochs (2-D inputs only), and at the end */
  gridEvery?: number;
  gridResolution?: number;
  /** train: continue from a saved model instead of fresh weights */
  resume?: ResumeState;
  /** train: a checkpoint message every this many epochs */
  checkpointEvery?: number;
  /** threads for the large matrix products (default: the cores, up to 8); results are the same bits for any count */
  threads?: number;
  /** train: a stop in the middle of an epoch gives back the weights of the last whole epoch (for saving) */
  keepLastEpoch?: boolean;
}

export interface ResumeState {
  weights: SavedWeights;
  optimizer?: OptimizerState;
  /** epochs already trained */
  epochs: number;
  /** the metrics of the epoch these weights are from: stop_early's best so far */
  last?: EpochMetrics;
}

export interface StartMessage {
  type: "start";
  request: JobRequest;
  /** Int32Array view: element 0 becomes 1 to stop */
  stop: SharedArrayBuffer;
}

export interface DataSummary {
  rows: number;
  train: number;
  validation: number;
  features: number;
  targets: number;
  standardised: boolean;
}

export interface EpochMessage {
  type: "epoch";
  metrics: EpochMetrics;
  grid?: DecisionGrid;
}

/** The weights and optimizer after a whole epoch, to write as a checkpoint. */
export interface CheckpointMessage {
  type: "checkpoint";
  epoch: number;
  weights: SavedWeights;
  optimizer: OptimizerState;
}

/** A large CSV file being read: bytes read so far, of all (posted as the whole percent changes). */
export interface DataProgressMessage {
  type: "data-progress";
  done: number;
  total: number;
}

export interface GradcheckProgressMessage {
  type: "gradcheck-progress";
  progress: GradcheckProgress;
}

export interface Standardisation {
  mean: number[];
  std: number[];
}

export interface JobResult {
  status: "completed" | "cancelled";
  kind: JobKind;
  network: string;
  history: EpochMetrics[];
  data?: DataSummary;
  weights?: SavedWeights;
  optimizer?: OptimizerState;
  /** train: epochs trained in total, counting those before a resume (stopped early: the best epoch, whose weights these are) */
  epochs?: number;
  /** train: why and where stop_early ended the run */
  stopped?: EarlyStop;
  /** the data's feature names and class labels, as the model file keeps them */
  names?: { features?: string[]; classes?: string[] };
  standardiser?: Standardisation;
  /** train: per-class or per-output metrics of the trained network, with what its outputs are called */
  metrics?: JobMetrics;
  grid?: DecisionGrid;
  gradcheck?: GradcheckResult;
  /** a gradient check that was stopped: how many of its parameters it had checked */
  gradcheckStopped?: { done: number; total: number };
}

/** `names`: the class labels (classes), or each output unit's name (labels, values). */
export type JobMetrics = RunMetrics & { names: string[] };

export interface DoneMessage {
  type: "done";
  result: JobResult;
}

/** Why a job failed: one message for the user, with where it points when known. */
export interface JobFailure {
  message: string;
  /** divergence: the epoch and layer */
  epoch?: number;
  layer?: string;
  /** data: the row (file line) and column, 1-based */
  row?: number;
  column?: number;
  history?: EpochMetrics[];
}

export interface FailedMessage {
  type: "failed";
  failure: JobFailure;
}

export type WorkerMessage = EpochMessage | CheckpointMessage | GradcheckProgressMessage | DataProgressMessage | DoneMessage | FailedMessage;
