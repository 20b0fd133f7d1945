/**
 * Worker threads that share a WebAssembly kernel's memory and take rows of
 * C: every entry is still summed by one thread in the kernel's order, so the
 * bits do not depend on the thread count. The calling thread takes the first
 * rows itself, then waits on a shared counter (Atomics.wait); the threads
 * wait on a generation number between products. A thread started late sees
 * the generation already past its own and takes the product in hand.
 */
import { Worker } from "node:worker_threads";
import type { CompiledGemm, Multiply, Split } from "../engine/index";

/** Products smaller than this many multiply-adds stay on the calling thread: waking another costs more. */
export const splitAbove = 1 << 19;

// state: [generation, threads still working, stop, a thread failed]; job: Multiply's arguments, then rows per thread
const threadSource = `
const { workerData } = require("node:worker_threads");
const { module, memory, control, index } = workerData;
const gemm = new WebAssembly.Instance(module, { env: { memory } }).exports.gemm;
const state = new Int32Array(control, 0, 4);
const job = new Float64Array(control, 16, 13);
let seen = 0;
for (;;) {
  Atomics.wait(state, 0, seen);
  seen = Atomics.load(state, 0);
  if (Atomics.load(state, 2) !== 0) break;
  try {
    const [m, n, k, a, asi, asp, b, ldb, c, ldc, alpha, beta, per] = job;
    const from = index * per, to = Math.min(m, from + per);
    if (from < to) gemm(to - from, n, k, a + from * asi * 8, asi, asp, b, ldb, c + from * ldc * 8, ldc, alpha, beta);
  } catch {
    Atomics.store(state, 3, 1);
  }
  if (Atomics.sub(state, 1, 1) === 1) Atomics.notify(state, 1);
}
`;

export interface GemmThreads {
  split: Split;
  /** helper threads started so far: none until a product is large enough to split */
  started(): number;
  /** Ends the threads; a later product runs on the calling thread. */
  close(): void;
}

/** `threads` − 1 helper threads for products above `splitAbove` (none when threads is 1). */
export function gemmThreads(threads: number): GemmThreads {
  const workers: Worker[] = [];
  const control = new SharedArrayBuffer(16 + 13 * 8);
  const state = new Int32Array(control, 0, 4);
  const job = new Float64Array(control, 16, 13);
  let closed = false;
  // started on the first product that is split, so that a small network never starts a thread
  const start = (compiled: CompiledGemm): void => {
    for (let index = 1; index < threads; index++) {
      const worker = new Worker(threadSource, { eval: true, workerData: { module: compiled.module, memory: compiled.memory, control, index } });
      worker.unref(); // a run that ends without close() must not keep the process alive
      workers.push(worker);
    }
  };
  const split: Split = (compiled: CompiledGemm, local: Multiply): Multiply => {
    if (threads < 2) return local;
    return (m, n, k, a, asi, asp, b, ldb, c, ldc, alpha, beta) => {
      if (closed || m < 8 || m * n * k < splitAbove) {
        local(m, n, k, a, asi, asp, b, ldb, c, ldc, alpha, beta);
        return;
      }
      if (workers.length === 0) start(compiled);
      const per = Math.ceil(m / 4 / threads) * 4;
      job.set([m, n, k, a, asi, asp, b, ldb, c, ldc, alpha, beta, per]);
      Atomics.store(state, 1, threads - 1);
      Atomics.add(state, 0, 1);
      Atomics.notify(state, 0);
      local(Math.min(per, m), n, k, a, asi, asp, b, ldb, c, ldc, alpha, beta);
      for (let left = Atomics.load(state, 1); left !== 0; left = Atomics.load(state, 1)) Atomics.wait(state, 1, left);
      if (Atomics.load(state, 3) !== 0) throw new Error("a thread of the matrix multiply failed");
    };
  };
  const close = (): void => {
    if (closed) return;
    closed = true;
    Atomics.store(state, 2, 1);
    Atomics.add(state, 0, 1);
    Atomics.notify(state, 0);
    for (const worker of workers) void worker.terminate();
  };
  return { split, started: () => workers.length, close };
}
