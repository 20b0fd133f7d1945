/**
 * One job from start to finish, wherever it runs (the worker, or in-process
 * in tests): load and prepare the data, build the network, then train or
 * check the gradients, reporting through `post`.
 */
import {
  createNetwork, decisionGrid, evaluateDataset, exampleCount, explainDivergence, exportWeights, gradcheck, GradcheckStopped, importWeights, outputKind, prepareData, runMetrics,
  selectExamples, train, transpose, zeros,
  TrainingDivergedError, type Dataset, type DecisionGrid, type Network, type PreparedData, type TrainOptions, type TrainResult,
} from "../engine/index";
import { CsvDataError, LoadCancelled } from "./csv-data";
import { runKernel, defaultThreads } from "./kernels";
import { loadDataset, shouldStandardise } from "./load-data";
import type { DataSummary, JobFailure, JobMetrics, JobRequest, JobResult, Standardisation, WorkerMessage } from "./messages";
import { outputsOf } from "./outputs";

export interface JobIo {
  post(message: WorkerMessage): void;
  shouldStop(): boolean;
}

export interface Prepared {
  data: PreparedData;
  summary: DataSummary;
  names: NonNullable<JobResult["names"]>;
}

/** Above this size a CSV's loading is reported as it goes (bytes). */
export const reportLoadingAbove = 4 * 1024 * 1024;

// one message per whole percent, so a 1 GiB file sends a hundred, not a thousand
function loadProgress(post: JobIo["post"]): (done: number, total: number) => void {
  let shown = -1;
  return (done, total) => {
    const percent = Math.floor((done / total) * 100);
    if (total <= reportLoadingAbove || percent === shown) return;
    shown = percent;
    post({ type: "data-progress", done, total });
  };
}

/** Loads, splits and standardises the job's data as training sees it. */
export function prepareJob(request: JobRequest, shouldStop: () => boolean = () => false, post?: JobIo["post"]): Prepared {
  const dataset = loadDataset(request.data, request.train.seed, { shouldStop, ...(post ? { onProgress: loadProgress(post) } : {}) });
  if (exampleCount(dataset) === 0) throw new Error("the data source gives no rows; training needs at least one");
  const standardised = shouldStandardise(request.data);
  // a CSV's arrays were made for this job alone
  const data = prepareData(dataset, { validation: request.train.validation, seed: request.train.seed, standardise: standardised, inPlace: request.data.spec.kind === "csv" });
  const summary: DataSummary = {
    rows: exampleCount(dataset), train: exampleCount(data.train), validation: data.validation ? exampleCount(data.validation) : 0,
    features: dataset.x.cols, targets: dataset.y.cols, standardised,
  };
  const names = { ...(dataset.featureNames ? { features: dataset.featureNames } : {}), ...(dataset.classNames ? { classes: dataset.classNames } : {}) };
  return { data, summary, names };
}

// The grid is computed on standardised inputs; its axes and points are mapped back to the data's own units.
function gridOf(network: Network, prepared: PreparedData, resolution: number): DecisionGrid | undefined {
  if (network.nodes[0].units !== 2) return undefined;
  const grid = decisionGrid(network, prepared.train, resolution);
  const s = prepared.standardiser;
  if (!s) return grid;
  const ux = (v: number): number => v * s.std[0] + s.mean[0];
  const uy = (v: number): number => v * s.std[1] + s.mean[1];
  return {
    ...grid, xMin: ux(grid.xMin), xMax: ux(grid.xMax), yMin: uy(grid.yMin), yMax: uy(grid.yMax),
    points: grid.points.map((p) => ({ x: ux(p.x), y: uy(p.y), label: p.label })),
  };
}

export function standardisation(prepared: PreparedData): Standardisation | undefined {
  const s = prepared.standardiser;
  return s ? { mean: Array.from(s.mean), std: Array.from(s.std) } : undefined;
}

function checkGradients(network: Network, request: JobRequest, train: Dataset, io: JobIo): JobResult["gradcheck"] {
  const m = Math.max(1, Math.min(request.gradcheck.samples, exampleCount(train)));
  const batch = selectExamples(train, Array.from({ length: m }, (_, i) => i));
  const { epsilon, tolerance, maxParams } = request.gradcheck;
  return gradcheck(network, transpose(batch.x), transpose(batch.y), {
    epsilon, tolerance, maxParams, seed: request.train.seed,
    onProgress: (progress) => io.post({ type: "gradcheck-progress", progress }), shouldStop: io.shouldStop,
  });
}

// A stopped check ends its job as cancelled, saying how far it got.
function stoppedCheck(request: JobRequest, stopped: GradcheckStopped): JobResult {
  return { status: "cancelled", kind: request.kind, network: request.network.name, history: [], gradcheckStopped: stopped.progress };
}

// A divergence names its likely cause from the run's settings (lr, l2, momentum, init), not always the learning rate.
function trainExplained(network: Network, data: PreparedData, request: JobRequest, options: TrainOptions): TrainResult {
  try {
    return train(network, data.train, request.train, { ...(data.validation ? { validation: data.validation } : {}), ...options });
  } catch (error) {
    throw error instanceof TrainingDivergedError ? explainDivergence(error, request.network, request.train) : error;
  }
}

// On the validation split when there is one: the training rows would flatter an overfitted network.
function metricsOf(request: JobRequest, prepared: Prepared, network: Network): JobMetrics {
  const part = prepared.data.validation ? "validation" : "training";
  const rows = prepared.data.validation ?? prepared.data.train;
  const outputs = outputsOf(request, prepared.names.classes);
  const names = outputs.kind === "classes" ? outputs.labels : outputs.names;
  // aᴸ from evaluate's passes, which read the rows in place; only the targets are turned into columns
  const a = zeros(network.nodes[network.output].units, exampleCount(rows));
  evaluateDataset(network, rows, undefined, { outputs: a });
  return { ...runMetrics(outputKind(request.network), a, transpose(rows.y), part), names };
}

function runTraining(request: JobRequest, prepared: Prepared, network: Network, io: JobIo): JobResult {
  const every = Math.max(1, Math.floor(request.gridEvery ?? Math.ceil(request.train.epochs / 25)));
  const resolution = request.gridResolution ?? 40;
  const { data } = prepared;
  const resume = request.resume;
  if (resume) importWeights(network, resume.weights);
  const checkpoints = request.checkpointEvery;
  const result = trainExplained(network, data, request, {
    ...(resume ? { startEpoch: resume.epochs, ...(resume.optimizer ? { optimizerState: resume.optimizer } : {}), ...(resume.last ? { startMetrics: resume.last } : {}) } : {}),
    ...(request.keepLastEpoch ? { rollbackOnStop: true } : {}),
    shouldStop: io.shouldStop,
    onEpoch: (metrics, optimizer) => {
      const grid = metrics.epoch % every === 0 ? gridOf(network, data, resolution) : undefined;
      io.post({ type: "epoch", metrics, ...(grid ? { grid } : {}) });
      if (checkpoints && metrics.epoch % checkpoints === 0) io.post({ type: "checkpoint", epoch: metrics.epoch, weights: exportWeights(network), optimizer: optimizer.state() });
    },
  });
  const grid = gridOf(network, data, resolution);
  const standardiser = standardisation(data);
  const trained: JobResult = {
    status: result.status, kind: "train", network: network.name, history: result.history, data: prepared.summary,
    weights: exportWeights(network), optimizer: result.optimizer.state(), epochs: result.epochs, ...(result.stopped ? { stopped: result.stopped } : {}), names: prepared.names, ...(standardiser ? { standardiser } : {}), ...(grid ? { grid } : {}),
    metrics: metricsOf(request, prepared, network),
  };
  if (!request.gradcheckAfter || result.status !== "completed") return trained;
  try {
    return { ...trained, gradcheck: checkGradients(network, request, data.train, io) };
  } catch (error) {
    if (error instanceof GradcheckStopped) return { ...trained, status: "cancelled", gradcheckStopped: error.progress };
    throw error;
  }
}

export function failureOf(error: unknown): JobFailure {
  if (error instanceof TrainingDivergedError) {
    return { message: error.message, epoch: error.epoch, layer: error.layer, history: error.history };
  }
  if (error instanceof CsvDataError) {
    return { message: error.message, ...(error.row !== undefined ? { row: error.row } : {}), ...(error.column !== undefined ? { column: error.column } : {}) };
  }
  // a layer of millions of units asks for a weight matrix no typed array can hold
  if (error instanceof RangeError && /typed array length|array buffer allocation failed/i.test(error.message)) {
    return { message: `the network is too large to hold in memory (${error.message.toLowerCase()}); use fewer units` };
  }
  return { message: error instanceof Error ? error.message : String(error) };
}

/** Runs the job; every outcome, including a failure, ends in exactly one done or failed message. */
export function runJob(request: JobRequest, io: JobIo): void {
  try {
    const prepared = prepareJob(request, io.shouldStop, io.post);
    const multiply = runKernel(request.threads ?? defaultThreads());
    try {
      const network = createNetwork(request.network, { seed: request.train.seed, kernel: multiply.kernel });
      if (request.kind === "gradcheck") {
        if (request.resume) importWeights(network, request.resume.weights);
        const checked = checkGradients(network, request, prepared.data.train, io);
        io.post({ type: "done", result: { status: "completed", kind: "gradcheck", network: network.name, history: [], data: prepared.summary, gradcheck: checked } });
        return;
      }
      io.post({ type: "done", result: runTraining(request, prepared, network, io) });
    } finally {
      multiply.close();
    }
  } catch (error) {
    if (error instanceof GradcheckStopped) {
      io.post({ type: "done", result: stoppedCheck(request, error) });
      return;
    }
    if (error instanceof LoadCancelled) {
      io.post({ type: "done", result: { status: "cancelled", kind: request.kind, network: request.network.name, history: [] } });
      return;
    }
    io.post({ type: "failed", failure: failureOf(error) });
  }
}
