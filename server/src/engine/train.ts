/**
 * The training loop: epochs of shuffled mini-batches, each a forward pass,
 * BP1–BP4 and one optimizer step, with per-epoch metrics, cancellation
 * between batches and a clear stop when anything becomes NaN or infinite.
 */
import { checkDatasetShape } from "./api";
import { allFinite } from "./matrix";
import type { Network } from "./network";
import { Batches } from "./batches";
import { Rng } from "./rng";
import { exportWeights, importWeights } from "./api";
import { createOptimizer, type Optimizer, type OptimizerState } from "./optimizers";
import { EarlyStopper, type EarlyStop } from "./early-stop";
import { learningRateAt } from "./schedules";
import { backwardPass, batchLoss, forwardPass } from "./passes";
import type { TrainSpec } from "./spec";
import { exampleCount, type Dataset } from "./dataset";
import { countCorrect, evaluateDataset, isClassification } from "./evaluate";
import type { Workspace } from "./workspace";
import { EpochTotals } from "./epoch-totals";

/** Per-layer gradient statistics of one epoch (backprop §5: δ, ∂C/∂W). */
export interface LayerStats {
  layer: string;
  /** ‖∂C/∂W‖ (Frobenius) averaged over the epoch's batches; 0 for add/concat */
  gradNorm: number;
  /** mean |δ| over units and examples */
  meanAbsDelta: number;
  /** ‖ΔW‖ / ‖W‖ of the last update */
  updateRatio: number;
}

/** What one epoch reports; the protocol sends it as it is. */
export interface EpochMetrics {
  epoch: number;
  loss: number;
  valLoss?: number;
  accuracy?: number;
  valAccuracy?: number;
  /** the learning rate this epoch's steps used (the schedule's value); absent in histories saved before schedules */
  lr?: number;
  layers: LayerStats[];
}

export interface TrainOptions {
  validation?: Dataset;
  /** polled between batches; true stops the run */
  shouldStop?: () => boolean;
  /** after each epoch; the optimizer is live, for checkpoints */
  onEpoch?: (metrics: EpochMetrics, optimizer: Optimizer) => void;
  /** resuming: epochs already trained (their shuffles are replayed, so the run continues as if never stopped) */
  startEpoch?: number;
  /** resuming: the optimizer's saved state */
  optimizerState?: OptimizerState;
  /** resuming: the metrics of the epoch the weights are from, which stop_early must beat */
  startMetrics?: EpochMetrics;
  /** on a stop in the middle of an epoch, put the weights and optimizer back as they were after the last whole epoch */
  rollbackOnStop?: boolean;
}

export interface TrainResult {
  status: "completed" | "cancelled";
  /** epochs completed in total, counting those before startEpoch */
  epochs: number;
  history: EpochMetrics[];
  optimizer: Optimizer;
  /** set when stop_early ended the run; `epochs` is then its best epoch, whose weights the network holds */
  stopped?: EarlyStop;
}

export class TrainingDivergedError extends Error {
  constructor(
    readonly epoch: number,
    readonly layer: string,
    readonly quantity: "loss" | "activations" | "gradients" | "weights",
    readonly history: EpochMetrics[],
    /** what to change; explainDivergence (divergence.ts) reads it from the settings */
    readonly advice = "try a smaller learning rate",
  ) {
    super(`training diverged in epoch ${epoch}: layer '${layer}' has non-finite ${quantity} (NaN or Infinity); ${advice}`);
    this.name = "TrainingDivergedError";
  }
}

// The layer to blame: the first (in forward order) whose activations are not finite.
function blameActivations(network: Network, ws: Workspace): string {
  for (let n = 1; n < network.nodes.length; n++) if (!allFinite(ws.a[n])) return network.nodes[n].name;
  return network.nodes[network.output].name;
}

// `inputDone` runs once the forward pass no longer reads a⁰.
function runBatch(network: Network, ws: Workspace, totals: EpochTotals, epoch: number, history: EpochMetrics[], classify: boolean, inputDone: () => void): void {
  forwardPass(network, ws, inputDone);
  const loss = batchLoss(network, ws);
  if (!Number.isFinite(loss)) throw new TrainingDivergedError(epoch, blameActivations(network, ws), "activations", history);
  totals.loss += loss * ws.batch;
  if (classify) totals.correct += countCorrect(network, ws.a[network.output], ws.targets, ws.batch);
  backwardPass(network, ws);
  for (let n = network.output; n > 0; n--) {
    const delta = ws.delta[n] as Float64Array;
    let sum = network.kernel.vector?.absSum(delta);
    if (sum === undefined) {
      sum = 0;
      for (let i = 0; i < delta.length; i++) sum += Math.abs(delta[i]);
    }
    totals.absDelta[n] += sum;
  }
  totals.batches++;
}

// ‖∂C/∂W‖ comes from the optimizer, which sums it while it reads the gradient anyway.
function recordGradients(network: Network, norms: Float64Array, totals: EpochTotals, epoch: number, history: EpochMetrics[]): void {
  for (let l = network.dense.length - 1; l >= 0; l--) {
    const node = network.dense[l];
    if (!Number.isFinite(norms[l]) || !allFinite(node.biasGradient)) throw new TrainingDivergedError(epoch, node.name, "gradients", history);
  }
  totals.addGradientNorms(network, norms);
}

function epochMetrics(network: Network, epoch: number, lr: number, n: number, totals: EpochTotals, ratios: Float64Array, classify: boolean): EpochMetrics {
  let d = 0;
  const layers: LayerStats[] = network.nodes.slice(1).map((node) => ({
    layer: node.name,
    gradNorm: node.kind === "dense" ? totals.meanGradNorm(node.index) : 0,
    meanAbsDelta: totals.absDelta[node.index] / (node.units * n),
    updateRatio: node.kind === "dense" ? ratios[d++] : 0,
  }));
  return { epoch, loss: totals.loss / n, ...(classify ? { accuracy: totals.correct / n } : {}), lr, layers };
}

// The run's batches, after checking the data and the spec.
function checkedBatches(network: Network, data: Dataset, spec: TrainSpec, options: TrainOptions): Batches {
  if (exampleCount(data) === 0) throw new Error("the training set is empty");
  checkDatasetShape(network, data);
  if (options.validation) checkDatasetShape(network, options.validation);
  const batches = new Batches(data, spec);
  if (!(spec.epochs >= 0)) throw new Error(`epochs must be non-negative, got ${spec.epochs}`);
  return batches;
}

function validate(network: Network, metrics: EpochMetrics, validation: Dataset | undefined): void {
  if (!validation) return;
  const v = evaluateDataset(network, validation); // dropout off
  metrics.valLoss = v.loss;
  if (v.accuracy !== undefined) metrics.valAccuracy = v.accuracy;
}

interface Snapshot {
  weights: ReturnType<typeof exportWeights>;
  optimizer: OptimizerState;
}

// Dropout masks come from the run's seed; a resumed run skips the draws of
// the epochs before it, so it continues as if never stopped.
function startDropout(network: Network, spec: TrainSpec, n: number, first: number): void {
  network.dropoutRng = Rng.derive(spec.seed, "dropout");
  network.dropoutMode = "draw";
  const perEpoch = network.nodes.reduce((sum, node) => sum + (node.kind === "dropout" ? node.units : 0), 0) * n;
  for (let k = perEpoch * first; k > 0; k--) network.dropoutRng.next();
}

/**
 * Trains on `data` (already split and standardised; see prepareData). Throws TrainingDivergedError on NaN/Inf.
 * Dropout layers draw masks while training and are off for validation and afterwards.
 */
export function train(network: Network, data: Dataset, spec: TrainSpec, options: TrainOptions = {}): TrainResult {
  try {
    return trainLoop(network, data, spec, options);
  } finally {
    network.dropoutMode = "off";
  }
}

function trainLoop(network: Network, data: Dataset, spec: TrainSpec, options: TrainOptions): TrainResult {
  const batches = checkedBatches(network, data, spec, options);
  let result: TrainResult;
  try {
    result = batchLoop(network, batches, data, spec, options);
  } catch (error) {
    // the run's own error is the one to report, not a thread's failure while it copied a batch no one will use
    try {
      batches.end(network);
    } catch {
      // reported by the next product on these threads
    }
    throw error;
  }
  batches.end(network);
  return result;
}

function batchLoop(network: Network, batches: Batches, data: Dataset, spec: TrainSpec, options: TrainOptions): TrainResult {
  const n = batches.examples;
  const classify = isClassification(network, data);
  const optimizer = createOptimizer(network, spec.optimizer, spec.l2, spec.l1 ?? 0);
  if (options.optimizerState) optimizer.restore(options.optimizerState);
  const first = Math.max(0, Math.floor(options.startEpoch ?? 0));
  for (let e = 0; e < first; e++) batches.beginEpoch();
  if (network.hasDropout) startDropout(network, spec, n, first);
  const history: EpochMetrics[] = [];
  const totals = new EpochTotals(network);
  const last = first + spec.epochs;
  const stopper = spec.stopEarly ? new EarlyStopper(spec.stopEarly) : undefined;
  // a resumed run starts from its best epoch so far: later epochs must beat it, or the run returns to it
  let best: Snapshot | undefined = stopper && options.startMetrics && stopper.start(options.startMetrics) ? { weights: exportWeights(network), optimizer: optimizer.state() } : undefined;
  for (let epoch = first + 1; epoch <= last; epoch++) {
    batches.beginEpoch();
    const lr = learningRateAt(spec.schedule, spec.optimizer.lr, epoch, last);
    optimizer.setLearningRate(lr);
    totals.reset();
    const snapshot: Snapshot | undefined = options.rollbackOnStop ? { weights: exportWeights(network), optimizer: optimizer.state() } : undefined;
    for (let k = 0; k < batches.perEpoch; k++) {
      if (options.shouldStop?.()) {
        if (snapshot && k > 0) {
          importWeights(network, snapshot.weights);
          optimizer.restore(snapshot.optimizer);
        }
        return { status: "cancelled", epochs: epoch - 1, history, optimizer };
      }
      const ws = batches.load(network, k);
      // the next inputs copy on the kernel's other threads while this one runs the rest of the step
      runBatch(network, ws, totals, epoch, history, classify, () => batches.prefetch(network, k + 1));
      batches.update(optimizer, k);
      recordGradients(network, optimizer.gradientNorms, totals, epoch, history);
    }
    const dense = network.dense.find((d) => !allFinite(d.weights.data) || !allFinite(d.bias));
    if (dense) throw new TrainingDivergedError(epoch, dense.name, "weights", history);
    const metrics = epochMetrics(network, epoch, lr, n, totals, optimizer.updateRatios, classify);
    validate(network, metrics, options.validation);
    history.push(metrics);
    options.onEpoch?.(metrics, optimizer);
    const verdict = stopper?.observe(metrics);
    if (verdict === "improved" && epoch < last) best = { weights: exportWeights(network), optimizer: optimizer.state() };
    if (verdict === "stop") return stoppedEarly(network, stopper!, best, epoch, history, optimizer);
  }
  return { status: "completed", epochs: last, history, optimizer };
}

// The run ends holding its best epoch's weights and optimizer state, so a resume continues from there.
function stoppedEarly(network: Network, stopper: EarlyStopper, best: Snapshot | undefined, epoch: number, history: EpochMetrics[], optimizer: Optimizer): TrainResult {
  if (best) {
    importWeights(network, best.weights);
    optimizer.restore(best.optimizer);
  }
  return { status: "completed", epochs: stopper.bestEpoch, history, optimizer, stopped: stopper.report(epoch) };
}
