/**
 * One training run as a sequence of points, for the debugger: each training
 * step is the input batch, the forward pass node by node (z, then a), the
 * loss, BP1/BP2 and BP3/BP4 node by node from the output down, and the
 * update (backprop §6.1). Every point runs the passes' own per-node code, and the
 * batches, shuffles and optimizer steps are those of `train`, so the numbers
 * are the ones a training run computes. A stepper is deterministic: a fresh
 * one advanced to the same position holds the same bits, which is how the
 * debugger steps back.
 */
import { allFinite } from "./matrix";
import { createNetwork, type Network } from "./network";
import { Batches } from "./batches";
import { Rng } from "./rng";
import { createOptimizer, type Optimizer } from "./optimizers";
import { learningRateAt } from "./schedules";
import {
  backwardDelta, backwardParameters, backwardPass, batchLoss, forwardActivation, forwardPass, forwardWeighted,
} from "./passes";
import { EpochTotals, gradientNorm } from "./epoch-totals";
import type { OptimizerState } from "./optimizers";
import type { Dataset } from "./dataset";
import type { Kernel } from "./kernel";
import type { NetworkSpec, TrainSpec } from "./spec";
import type { Workspace } from "./workspace";

export type Phase = "forward" | "loss" | "backward" | "update";
/** input: a⁰ = x; z, a: the two halves of a forward node; delta: BP1/BP2; gradients: BP3/BP4 */
export type PointKind = "input" | "z" | "a" | "loss" | "delta" | "gradients" | "update";

export interface PlanPoint {
  kind: PointKind;
  phase: Phase;
  /** the node the point computes for (the output for the loss) */
  node: number;
}

export interface StepperConfig {
  spec: NetworkSpec;
  train: TrainSpec;
  /** the prepared training set, as `train` receives it */
  data: Dataset;
  /**
   * The run's kernel, or a maker of one: a resident kernel keeps a network's
   * arrays for as long as it lives, so replays (Step Back, restart) that each
   * build a network need a fresh kernel each, freed with the stepper.
   */
  kernel?: Kernel | (() => Kernel);
}

/** A quantity that is NaN or infinite, and where. */
export interface NonFinite {
  node: string;
  quantity: "x" | "z" | "a" | "C" | "δ" | "∂C/∂W" | "∂C/∂b" | "W" | "b";
}

/** The points of one training step, the same for every step. */
export function stepPlan(network: Network): PlanPoint[] {
  const plan: PlanPoint[] = [{ kind: "input", phase: "forward", node: 0 }];
  for (let n = 1; n < network.nodes.length; n++) {
    if (network.nodes[n].kind === "dense") plan.push({ kind: "z", phase: "forward", node: n });
    plan.push({ kind: "a", phase: "forward", node: n });
  }
  plan.push({ kind: "loss", phase: "loss", node: network.output });
  for (let n = network.output; n > 0; n--) {
    plan.push({ kind: "delta", phase: "backward", node: n });
    if (network.nodes[n].kind === "dense") plan.push({ kind: "gradients", phase: "backward", node: n });
  }
  for (const d of network.dense) plan.push({ kind: "update", phase: "update", node: d.index });
  return plan;
}

export class Stepper {
  readonly network: Network;
  readonly plan: PlanPoint[];
  /** examples per mini-batch, as `train` chooses it */
  readonly batchSize: number;
  readonly examples: number;
  readonly batchesPerEpoch: number;
  readonly totalSteps: number;
  /** points run so far; the current point is plan[(position − 1) mod plan.length] */
  position = 0;
  /** C of the current step, once its loss point has run */
  loss = Number.NaN;
  /** W and b of every dense layer before the current step's update, once it ran */
  readonly before: { W: Float64Array; b: Float64Array }[];
  /** optimizer updates applied so far */
  updates = 0;
  /** the learning rate of the current epoch, the schedule's value as train() sets it */
  lr: number;
  /** this epoch's running sums, as train() keeps them (its metrics and the editor's warnings average them) */
  readonly totals: EpochTotals;
  private readonly optimizer: Optimizer;
  private readonly batches: Batches;
  private readonly lastBackward: number;
  private readonly index = new Map<string, number>();
  private ws: Workspace | undefined;
  private readonly dataFinite: boolean;

  constructor(private readonly config: StepperConfig) {
    const { spec, train, data } = config;
    const kernel = typeof config.kernel === "function" ? config.kernel() : config.kernel;
    this.network = createNetwork(spec, { seed: train.seed, ...(kernel ? { kernel } : {}) });
    this.plan = stepPlan(this.network);
    this.plan.forEach((p, i) => this.index.set(`${p.kind}:${p.node}`, i));
    this.lastBackward = this.plan.map((p) => p.phase).lastIndexOf("backward");
    this.totals = new EpochTotals(this.network);
    this.lr = train.optimizer.lr;
    // the same streams, in the same order, as train(): one optimizer, the same batches
    this.batches = new Batches(data, train);
    this.examples = this.batches.examples;
    this.batchSize = this.batches.size;
    this.batchesPerEpoch = this.batches.perEpoch;
    this.totalSteps = Math.max(0, Math.floor(train.epochs)) * this.batchesPerEpoch;
    this.optimizer = createOptimizer(this.network, train.optimizer, train.l2, train.l1 ?? 0);
    // dropout draws its masks node by node in forward order, as train() does
    this.network.dropoutRng = Rng.derive(train.seed, "dropout");
    this.network.dropoutMode = "draw";
    this.dataFinite = allFinite(data.x.data);
    this.before = this.network.dense.map((d) => ({ W: d.weights.data.slice(), b: d.bias.slice() }));
  }

  /** A fresh stepper on the same run, advanced to `position`: the same bits as this one there. */
  replay(position: number): Stepper {
    const fresh = new Stepper(this.config);
    while (fresh.position + fresh.plan.length <= position && fresh.advanceStep());
    while (fresh.position < position && fresh.advance());
    return fresh;
  }

  get totalPoints(): number {
    return this.totalSteps * this.plan.length;
  }

  get finished(): boolean {
    return this.position >= this.totalPoints;
  }

  /** 0-based training step of the current point */
  get step(): number {
    return Math.floor(Math.max(0, this.position - 1) / this.plan.length);
  }

  /** 1-based */
  get epoch(): number {
    return Math.floor(this.step / this.batchesPerEpoch) + 1;
  }

  /** 0-based, within the epoch */
  get batchInEpoch(): number {
    return this.step % this.batchesPerEpoch;
  }

  get pointIndex(): number {
    return this.position === 0 ? -1 : (this.position - 1) % this.plan.length;
  }

  /** The current point ends the backward pass: every δ and gradient of the batch is computed, the update not yet made. */
  get backwardDone(): boolean {
    return this.position > 0 && this.pointIndex === this.lastBackward;
  }

  get point(): PlanPoint | undefined {
    return this.position === 0 ? undefined : this.plan[this.pointIndex];
  }

  /** z, a, δ and the targets of the current batch */
  get workspace(): Workspace | undefined {
    return this.ws;
  }

  /** the examples (indices into the training set) of the current batch */
  batchExamples(): Int32Array {
    const start = this.batches.start(this.batchInEpoch);
    return this.batches.order.slice(start, start + (this.ws?.batch ?? 0));
  }

  /** Whether the current step has computed this quantity yet (the buffers still hold the last step's until then). */
  computed(kind: PointKind, node: number): boolean {
    const at = this.index.get(`${kind === "a" && node === 0 ? "input" : kind}:${node}`);
    return at !== undefined && this.position > 0 && at <= this.pointIndex;
  }

  /** The plan index that computes a quantity, if any. */
  pointOf(kind: PointKind, node: number): number | undefined {
    return this.index.get(`${kind === "a" && node === 0 ? "input" : kind}:${node}`);
  }

  /** Whether the next point begins a training step (so advanceStep can run the whole step). */
  get atStepStart(): boolean {
    return this.position % this.plan.length === 0 && !this.finished;
  }

  /**
   * Runs the whole next training step at once through the passes train() runs, for a run that
   * nothing could stop inside the step: the same bits as advancing point by point, without the
   * copies of W and b that only an update point shows. False when not at a step's start or at the end.
   */
  advanceStep(): boolean {
    if (!this.atStepStart) return false;
    const step = this.position / this.plan.length;
    this.beginStep(step);
    const ws = this.ws as Workspace;
    forwardPass(this.network, ws);
    this.loss = batchLoss(this.network, ws);
    backwardPass(this.network, ws);
    this.update(step);
    this.position += this.plan.length;
    return true;
  }

  /**
   * After advanceStep: whether the step may have made a value NaN or infinite. Cheap: the loss, the
   * gradient norms the optimizer measured, and the small caches, not every matrix. A non-finite W or b
   * after the update is caught by z of the next step (a non-finite weight makes its row of z
   * non-finite for every example) or, after the last step, by `weightsFinite`.
   */
  mayBeNonFinite(): boolean {
    const ws = this.ws as Workspace;
    if (!Number.isFinite(this.loss) || !allFinite(this.optimizer.gradientNorms)) return true;
    for (let n = 1; n < this.network.nodes.length; n++) {
      const z = ws.z[n];
      if ((z && !allFinite(z)) || !allFinite(ws.a[n]) || !allFinite(ws.delta[n] as Float64Array)) return true;
    }
    if (!this.dataFinite && !allFinite(ws.a[0])) return true;
    return this.network.dense.some((d) => !allFinite(d.biasGradient));
  }

  /** every W and b finite */
  weightsFinite(): boolean {
    return this.network.dense.every((d) => allFinite(d.weights.data) && allFinite(d.bias));
  }

  /** The optimizer's settings in force and its state: a copy, so what the debugger shows cannot change the run. */
  optimizerState(): OptimizerState {
    return this.optimizer.state();
  }

  /** The current point is in the last batch of its epoch. */
  get lastBatchOfEpoch(): boolean {
    return this.batchInEpoch === this.batchesPerEpoch - 1;
  }

  /**
   * ‖∂C/∂W‖ per dense layer averaged over this epoch's batches so far, from the same sums as train()'s
   * epoch metrics; the current batch counts once its backward pass is done.
   */
  epochGradientNorms(): { layer: string; gradNorm: number }[] {
    // between the end of the backward pass and the update, this batch's norms are not yet in the sums
    const pending = this.backwardDone;
    return this.network.dense.map((d) => ({
      layer: d.name, gradNorm: this.totals.meanGradNorm(d.index, pending ? gradientNorm(d.weightGradient.data) : undefined),
    }));
  }

  /** Runs the next point; false when the run has no more. */
  advance(): boolean {
    if (this.finished) return false;
    const at = this.position % this.plan.length;
    const step = Math.floor(this.position / this.plan.length);
    if (at === 0) this.beginStep(step);
    const point = this.plan[at];
    const ws = this.ws as Workspace;
    const n = point.node;
    switch (point.kind) {
      case "input": break;
      case "z": forwardWeighted(this.network, n, ws); break;
      case "a": forwardActivation(this.network, n, ws); break;
      case "loss":
        this.network.last = ws;
        this.loss = batchLoss(this.network, ws);
        break;
      case "delta": backwardDelta(this.network, n, ws); break;
      case "gradients": backwardParameters(this.network, n, ws); break;
      case "update":
        // the optimizer updates every layer in one call; the first update point makes it
        if (n === this.network.dense[0].index) this.applyUpdate(step);
        break;
    }
    this.position++;
    return true;
  }

  private beginStep(step: number): void {
    const k = step % this.batchesPerEpoch;
    if (k === 0) this.batches.beginEpoch();
    // the schedule's rate for this epoch, as train() sets it
    const { train } = this.config;
    if (k === 0) {
      this.lr = learningRateAt(train.schedule, train.optimizer.lr, step / this.batchesPerEpoch + 1, Math.floor(train.epochs));
      this.optimizer.setLearningRate(this.lr);
      this.totals.reset();
    }
    this.ws = this.batches.load(this.network, k);
    this.loss = Number.NaN;
  }

  private applyUpdate(step: number): void {
    this.network.dense.forEach((d, l) => {
      this.before[l].W.set(d.weights.data);
      this.before[l].b.set(d.bias);
    });
    this.update(step);
  }

  // the optimizer's step, and the batch's gradient norms it measured counted into the epoch as train() counts them
  private update(step: number): void {
    this.batches.update(this.optimizer, step % this.batchesPerEpoch);
    this.totals.batches++;
    this.totals.addGradientNorms(this.network, this.optimizer.gradientNorms);
    this.updates++;
  }

  /** The first non-finite quantity the current point computed, if any. */
  nonFinite(): NonFinite | undefined {
    const point = this.point;
    const ws = this.ws;
    if (!point || !ws) return undefined;
    const node = this.network.nodes[point.node];
    const bad = (values: Float64Array | null): boolean => values !== null && !allFinite(values);
    switch (point.kind) {
      case "input": return bad(ws.a[0]) ? { node: node.name, quantity: "x" } : undefined;
      case "z": return bad(ws.z[point.node]) ? { node: node.name, quantity: "z" } : undefined;
      case "a": return bad(ws.a[point.node]) ? { node: node.name, quantity: "a" } : undefined;
      case "loss": return Number.isFinite(this.loss) ? undefined : { node: node.name, quantity: "C" };
      case "delta": return bad(ws.delta[point.node]) ? { node: node.name, quantity: "δ" } : undefined;
      case "gradients":
        if (node.kind !== "dense") return undefined;
        if (bad(node.weightGradient.data)) return { node: node.name, quantity: "∂C/∂W" };
        return bad(node.biasGradient) ? { node: node.name, quantity: "∂C/∂b" } : undefined;
      case "update":
        if (node.kind !== "dense") return undefined;
        if (bad(node.weights.data)) return { node: node.name, quantity: "W" };
        return bad(node.bias) ? { node: node.name, quantity: "b" } : undefined;
    }
  }
}
