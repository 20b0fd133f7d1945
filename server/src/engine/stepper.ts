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
  backwardDelta, backwardParameters, batchLoss, forwardActivation, forwardWeighted,
} from "./passes";
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
  kernel?: Kernel;
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
  private readonly optimizer: Optimizer;
  private readonly batches: Batches;
  private readonly lastBackward: number;
  private readonly index = new Map<string, number>();
  private ws: Workspace | undefined;

  constructor(private readonly config: StepperConfig) {
    const { spec, train, data } = config;
    this.network = createNetwork(spec, { seed: train.seed, ...(config.kernel ? { kernel: config.kernel } : {}) });
    this.plan = stepPlan(this.network);
    this.plan.forEach((p, i) => this.index.set(`${p.kind}:${p.node}`, i));
    this.lastBackward = this.plan.map((p) => p.phase).lastIndexOf("backward");
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
    this.before = this.network.dense.map((d) => ({ W: d.weights.data.slice(), b: d.bias.slice() }));
  }

  /** A fresh stepper on the same run, advanced to `position`: the same bits as this one there. */
  replay(position: number): Stepper {
    const fresh = new Stepper(this.config);
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
    if (k === 0) this.optimizer.setLearningRate(learningRateAt(train.schedule, train.optimizer.lr, step / this.batchesPerEpoch + 1, Math.floor(train.epochs)));
    this.ws = this.batches.load(this.network, k);
    this.loss = Number.NaN;
  }

  private applyUpdate(step: number): void {
    this.network.dense.forEach((d, l) => {
      this.before[l].W.set(d.weights.data);
      this.before[l].b.set(d.bias);
    });
    this.batches.update(this.optimizer, step % this.batchesPerEpoch);
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
