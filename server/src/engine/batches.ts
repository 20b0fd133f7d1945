/**
 * The mini-batches of a training run, one definition for `train` and the
 * debugger's `Stepper`: the batch size the spec asks for, one shuffle per
 * epoch from the run's seed, and batch k of an epoch gathered into the
 * network's workspace. Both loops draw their batches here, so both see the
 * same examples in the same order and make the same optimizer calls.
 * A kernel with other threads copies the next batch's inputs on them while
 * the calling thread runs the rest of the step (prefetch): the same copies,
 * so the same bits.
 */
import { gatherExamples, gatherRows, type Matrix } from "./matrix";
import { workspaceFor, type Network } from "./network";
import type { Optimizer } from "./optimizers";
import type { BatchGather } from "./kernel";
import { Rng } from "./rng";
import { exampleCount, type Dataset } from "./dataset";
import type { TrainSpec } from "./spec";
import { inputColumns, type Workspace } from "./workspace";

/** The largest data set (bytes) copied into shared memory for other threads to gather from; the CSV loader's are there already. */
export const copyLimit = 64 * 2 ** 20;

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
  /** x's values copied into shared memory, where x's own are not */
  private sharedX: Float64Array | undefined;
  /** the batch being gathered on other threads, and by whom */
  private pending: { k: number; gather: BatchGather } | undefined;

  constructor(data: Dataset, private readonly spec: Pick<TrainSpec, "batch" | "seed" | "shuffle">) {
    this.examples = exampleCount(data);
    if (this.examples === 0) throw new Error("the training set is empty");
    this.size = spec.batch === "full" ? this.examples : Math.min(this.examples, Math.floor(spec.batch));
    if (!(this.size > 0)) throw new Error(`batch size must be positive, got ${spec.batch}`);
    this.perEpoch = Math.ceil(this.examples / this.size);
    this.rng = Rng.derive(spec.seed, "shuffle");
    // shared memory, so that other threads can gather by it
    this.order = typeof SharedArrayBuffer === "function" ? new Int32Array(new SharedArrayBuffer(4 * this.examples)) : new Int32Array(this.examples);
    this.order.forEach((_, i) => { this.order[i] = i; });
    // the data set's own rows: one example per row is the layout a batch gathers from
    this.xByExample = data.x;
    this.yByExample = data.y;
  }

  /** Call once at the start of every epoch (and once per epoch skipped when resuming). */
  beginEpoch(): void {
    this.settle();
    if (this.spec.shuffle) this.rng.shuffle(this.order);
  }

  /** the first example of batch k in this epoch's order */
  start(k: number): number {
    return k * this.size;
  }

  count(k: number): number {
    return Math.min(this.size, this.examples - this.start(k));
  }

  /**
   * Starts copying batch k's inputs on the kernel's other threads, where it
   * has them; load(k) finishes. Call once the forward pass is done with a⁰
   * (Network.lastInputReader): the rows go to the workspace's spare rows,
   * since BP4 of a layer on the input still reads the current ones.
   * Nothing once the epoch's batches are done.
   */
  prefetch(network: Network, k: number): void {
    const gather = network.kernel.gather;
    if (!gather?.ready() || k >= this.perEpoch || this.pending) return;
    const x = this.shareableX();
    if (!x) return;
    const ws = workspaceFor(network, this.count(k));
    ws.spareRows ??= network.allocate(ws.inputRows.length);
    const job = { x, features: this.xByExample.cols, order: this.order, start: this.start(k), count: this.count(k), rows: ws.spareRows, columns: ws.a[0] };
    if (gather.begin(job)) this.pending = { k, gather };
  }

  /** Waits for a prefetch still in hand, so that no other thread writes into a workspace after this returns. */
  settle(): void {
    const pending = this.pending;
    this.pending = undefined;
    pending?.gather.finish();
  }

  /**
   * Ends a run: waits for a prefetch still in hand and, since its batch was
   * never loaded, puts back the a⁰ it overwrote from the rows of the batch
   * before, so that the last pass's caches (lastCaches) are that pass's own.
   */
  end(network: Network): void {
    const pending = this.pending;
    try {
      this.settle();
    } finally {
      const ws = network.last;
      if (pending && ws && ws === network.workspaces.get(this.count(pending.k))) inputColumns(network, ws);
    }
  }

  /** Batch k of this epoch in the network's workspace for its size: x into a⁰, y into the targets. */
  load(network: Network, k: number): Workspace {
    const start = this.start(k);
    const m = this.count(k);
    const ws = workspaceFor(network, m);
    const prefetched = this.pending?.k === k;
    this.settle();
    if (prefetched) {
      [ws.inputRows, ws.spareRows] = [ws.spareRows as Float64Array, ws.inputRows];
    } else {
      gatherRows(this.xByExample, this.order, start, m, ws.inputRows);
      inputColumns(network, ws);
    }
    ws.inputRowsCurrent = true;
    gatherExamples(this.yByExample, this.order, start, m, ws.targets);
    return ws;
  }

  // A data set outside shared memory is copied there once a run, up to copyLimit bytes; a larger one is gathered by the calling thread alone.
  private shareableX(): Float64Array | undefined {
    const data = this.xByExample.data;
    if (data.buffer instanceof SharedArrayBuffer) return data;
    if (typeof SharedArrayBuffer !== "function" || data.byteLength > copyLimit) return undefined;
    if (!this.sharedX) {
      this.sharedX = new Float64Array(new SharedArrayBuffer(data.byteLength));
      this.sharedX.set(data);
    }
    return this.sharedX;
  }

  /** The optimizer's step after batch k's gradients; the epoch's last batch tells it so. */
  update(optimizer: Optimizer, k: number): void {
    optimizer.step(k === this.perEpoch - 1);
  }
}
