/**
 * The mini-batches of a training run, one definition for `train` and the
 * debugger's `Stepper`: the batch size the spec asks for, one shuffle per
 * epoch from the run's seed, and batch k of an epoch gathered into the
 * network's workspace. Both loops draw their batches here, so both see the
 * same examples in the same order and make the same optimizer calls.
 */
import { gatherExamples, gatherRows, transposeInto, type Matrix } from "./matrix";
import { workspaceFor, type Network } from "./network";
import type { Optimizer } from "./optimizers";
import { Rng } from "./rng";
import { exampleCount, type Dataset } from "./dataset";
import type { TrainSpec } from "./spec";
import type { Workspace } from "./workspace";

export class Batches {
  readonly examples: number;
  /** examples per mini-batch; the last batch of an epoch may have fewer */
  readonly size: number;
  readonly perEpoch: number;
  /** this epoch's order of the examples */
  readonly order: Int32Array;
  private readonly rng: Rng;
  private readonly xByExample: Matrix;
  private readonly yByExample: Matrix;

  constructor(data: Dataset, private readonly spec: Pick<TrainSpec, "batch" | "seed" | "shuffle">) {
    this.examples = exampleCount(data);
    if (this.examples === 0) throw new Error("the training set is empty");
    this.size = spec.batch === "full" ? this.examples : Math.min(this.examples, Math.floor(spec.batch));
    if (!(this.size > 0)) throw new Error(`batch size must be positive, got ${spec.batch}`);
    this.perEpoch = Math.ceil(this.examples / this.size);
    this.rng = Rng.derive(spec.seed, "shuffle");
    this.order = new Int32Array(this.examples).map((_, i) => i);
    // the data set's own rows: one example per row is the layout a batch gathers from
    this.xByExample = data.x;
    this.yByExample = data.y;
  }

  /** Call once at the start of every epoch (and once per epoch skipped when resuming). */
  beginEpoch(): void {
    if (this.spec.shuffle) this.rng.shuffle(this.order);
  }

  /** the first example of batch k in this epoch's order */
  start(k: number): number {
    return k * this.size;
  }

  count(k: number): number {
    return Math.min(this.size, this.examples - this.start(k));
  }

  /** Batch k of this epoch in the network's workspace for its size: x into a⁰, y into the targets. */
  load(network: Network, k: number): Workspace {
    const start = this.start(k);
    const m = this.count(k);
    const ws = workspaceFor(network, m);
    gatherRows(this.xByExample, this.order, start, m, ws.inputRows);
    const features = this.xByExample.cols;
    if (!network.kernel.vector?.transpose(ws.inputRows, m, features, ws.a[0])) transposeInto(ws.inputRows, m, features, ws.a[0]);
    ws.inputRowsCurrent = true;
    gatherExamples(this.yByExample, this.order, start, m, ws.targets);
    return ws;
  }

  /** The optimizer's step after batch k's gradients; the epoch's last batch tells it so. */
  update(optimizer: Optimizer, k: number): void {
    optimizer.step(k === this.perEpoch - 1);
  }
}
