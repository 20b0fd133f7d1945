/**
 * Worker threads that share a WebAssembly kernel's memory and take rows of
 * C: every entry is still summed by one thread in the kernel's order, so the
 * bits do not depend on the thread count. The rows come in blocks that each
 * thread, the calling one too, claims from a shared counter until none are
 * left, so a thread that wakes late or runs slower takes fewer; then the
 * caller waits on a shared counter (Atomics.wait) for the blocks in hand. The
 * threads wait on a generation number between products. A thread started
 * late sees the generation already past its own and takes the product in hand.
 *
 * A thread that dies outright (it exits, throws, or runs out of memory) can
 * never count itself done, and the caller, blocked in Atomics.wait, cannot
 * hear the thread's 'exit' event either: events reach only the thread that
 * made the worker. So the threads are made by a supervisor thread that does
 * nothing else. Its event loop is never blocked: on a thread's unexpected
 * 'error' or 'exit' it writes the reason into the shared control block and
 * changes the counter the caller waits on, which wakes the caller, and the
 * caller throws "a multiply thread stopped: …".
 *
 * The same threads copy the next batch's inputs (BatchGather) while the
 * calling thread runs the rest of a step, claiming blocks of examples the
 * same way; a product posted meanwhile first takes what is left of it. The
 * data set and the order of its examples reach them once, by message, as
 * views of shared memory; the job says which of them to read.
 */
import { availableParallelism } from "node:os";
import { MessageChannel, Worker, type MessagePort } from "node:worker_threads";
import { transposeIn, type BatchGather, type CompiledGemm, type GatherJob, type Multiply, type Split, type Transpose } from "../engine/index";
import { gatherExamples, gatherSource } from "./thread-gather";
import { pollFor, waitSource, waitWhile } from "./thread-wait";

/**
 * Products smaller than this many multiply-adds stay on the calling thread:
 * splitting one of 64×64×128 gained nothing measurable, and meanwhile the
 * other threads copy the next batch (docs/performance.md).
 */
export const splitAbove = 1 << 20;

// state (Int32): generation, threads still working, stop, how it went (0 well, 1 a job threw, 2 a thread died), reason's length, blocks claimed, the job's kind
const stateWords = 8;
const claimed = 5;
const kind = 6;
const multiplying = 0;
const gathering = 1;
// job (Float64): Multiply's arguments, then rows per block; or a gather's start, count, features, rows and columns (byte offsets), examples per block and data
const jobAt = stateWords * 4;
const jobWords = 13;
const reasonAt = jobAt + jobWords * 8;
const reasonBytes = 512;
const failed = 1;
const died = 2;

// How every thread, the calling one too, takes its blocks of a job: the next from the shared counter until none is left.
const claimSource = `
function eachBlock(state, size, end, run) {
  for (let from = Atomics.add(state, ${claimed}, 1) * size; from < end; from = Atomics.add(state, ${claimed}, 1) * size) run(from, Math.min(from + size, end));
}
`;
const eachBlock = new Function(`${claimSource}\nreturn eachBlock;`)() as (state: Int32Array, size: number, end: number, run: (from: number, to: number) => void) => void;

// Records the first failure: its kind in state[3], its text in the reason bytes. A thread that died never counts
// itself done, so its death wakes the caller; one whose job threw counts itself done as the others do, so that
// the caller goes on only once no thread writes into the job's arrays.
const reportSource = `
function report(state, reason, kind, text) {
  if (Atomics.compareExchange(state, 3, 0, kind) !== 0) return;
  const bytes = new TextEncoder().encode(text).subarray(0, reason.length);
  reason.set(bytes);
  Atomics.store(state, 4, bytes.length);
  if (kind !== ${failed}) {
    Atomics.store(state, 1, -1);
    Atomics.notify(state, 1);
  }
}
`;

// NNET_TEST_MULTIPLY_THREAD (exit or throw) makes a thread die on its first product, (gather) fail on its first gather, (start) the supervisor fail to start one and (supervisor) the supervisor itself throw: how the tests kill one
const threadSource = `
const { receiveMessageOnPort, workerData } = require("node:worker_threads");
const { module, elementwise, memory, control, index, pollMs, port } = workerData;
${reportSource}
${waitSource}
${claimSource}
${gatherSource}
const gemm = new WebAssembly.Instance(module, { env: { memory } }).exports.gemm;
const transpose = new WebAssembly.Instance(elementwise, { env: { memory } }).exports.transpose;
const state = new Int32Array(control, 0, ${stateWords});
const job = new Float64Array(control, ${jobAt}, ${jobWords});
const reason = new Uint8Array(control, ${reasonAt}, ${reasonBytes});
const fault = process.env.NNET_TEST_MULTIPLY_THREAD;
let seen = 0;
const poll = newPoll(pollMs);
// the data set and order a gather reads, as the caller last sent them
let data = { id: 0 };
function multiply() {
  const [m, n, k, a, asi, asp, b, ldb, c, ldc, alpha, beta, block] = job;
  eachBlock(state, block, m, (from, to) => gemm(to - from, n, k, a + from * asi * 8, asi, asp, b, ldb, c + from * ldc * 8, ldc, alpha, beta));
}
function gather() {
  if (fault === "gather") throw new Error("a fault made for a test");
  const [start, count, features, rowsAt, columnsAt, block, id] = job;
  while (data.id !== id) {
    const received = receiveMessageOnPort(port);
    if (!received) throw new Error("the data set to gather from never arrived");
    data = received.message;
  }
  const rows = new Float64Array(memory.buffer, rowsAt, count * features);
  eachBlock(state, block, count, (from, to) => gatherBlock(data.x, data.order, start, from, to, features, rows, rowsAt, columnsAt, count, transpose));
}
for (;;) {
  waitWhile(state, 0, seen, poll);
  seen = Atomics.load(state, 0);
  if (Atomics.load(state, 2) !== 0) break;
  if (fault === "exit") process.exit(3);
  if (fault === "throw") throw new Error("a fault made for a test");
  try {
    if (Atomics.load(state, ${kind}) === ${gathering}) gather();
    else multiply();
  } catch (error) {
    report(state, reason, ${failed}, error instanceof Error ? error.message : String(error));
  }
  if (Atomics.sub(state, 1, 1) === 1) Atomics.notify(state, 1);
}
`;

// The supervisor: starts the threads and tells the caller when one stops before close() asked it to.
const supervisorSource = `
const { Worker, workerData } = require("node:worker_threads");
const { module, elementwise, memory, control, threads, threadSource, pollMs, ports } = workerData;
${reportSource}
const state = new Int32Array(control, 0, ${stateWords});
const reason = new Uint8Array(control, ${reasonAt}, ${reasonBytes});
const stopped = (text) => { if (Atomics.load(state, 2) === 0) report(state, reason, ${died}, text); };
const reasonOf = (error) => (error instanceof Error ? error.message : String(error));
// the supervisor's own end would take its threads with it: the caller must hear of that too
process.on("uncaughtException", (error) => {
  stopped("its supervisor failed: " + reasonOf(error));
  process.exit(1);
});
if (process.env.NNET_TEST_MULTIPLY_THREAD === "supervisor") throw new Error("a fault made for a test");
// a thread that never starts never counts itself done: the caller must hear of it, as of one that dies
try {
  for (let index = 1; index < threads; index++) {
    if (process.env.NNET_TEST_MULTIPLY_THREAD === "start") throw new Error("a fault made for a test");
    const port = ports[index - 1];
    const thread = new Worker(threadSource, { eval: true, workerData: { module, elementwise, memory, control, index, pollMs, port }, transferList: [port] });
    thread.on("error", (error) => stopped(reasonOf(error)));
    thread.on("exit", (code) => stopped("it exited with code " + code));
  }
} catch (error) {
  stopped("it could not be started: " + reasonOf(error));
}
`;

export interface GemmThreads {
  split: Split;
  gather: BatchGather;
  /** how long (ms) a waiting thread polls before it sleeps (thread-wait.ts): not at all when there are more threads than `cores` */
  pollMs: number;
  /** helper threads started so far: none until a product is large enough to split */
  started(): number;
  /** Waits until the threads have done the job in hand, taking none of its blocks: what they copy, the tests check. */
  drain(): void;
  /** Ends the threads; a later product runs on the calling thread. */
  close(): void;
}

/** `threads` − 1 helper threads for products above `splitAbove` (none when threads is 1), on a machine that lets this process use `cores`. */
export function gemmThreads(threads: number, cores = availableParallelism()): GemmThreads {
  const poll = pollFor(threads, cores);
  let supervisor: Worker | undefined;
  const control = new SharedArrayBuffer(reasonAt + reasonBytes);
  const state = new Int32Array(control, 0, stateWords);
  const job = new Float64Array(control, jobAt, jobWords);
  const reason = new Uint8Array(control, reasonAt, reasonBytes);
  let closed = false;
  // one port to each thread, for the data sets it gathers from
  let ports: MessagePort[] = [];
  // the calling thread's own, for its blocks of a gather; made before the threads, so that ready() never finds it missing
  let transpose: Transpose | undefined;
  // started on the first product that is split, so that a small network never starts a thread
  const start = (compiled: CompiledGemm): void => {
    transpose = transposeIn(compiled);
    const channels = Array.from({ length: threads - 1 }, () => new MessageChannel());
    ports = channels.map((channel) => channel.port1);
    const theirs = channels.map((channel) => channel.port2);
    supervisor = new Worker(supervisorSource, {
      eval: true,
      workerData: { module: compiled.module, elementwise: compiled.elementwise, memory: compiled.memory, control, threads, threadSource, pollMs: poll.ms, ports: theirs },
      transferList: theirs,
    });
    supervisor.unref(); // a run that ends without close() must not keep the process alive
  };
  // TextDecoder reads no shared memory: the reason is copied out first
  const problem = (): Error => {
    const text = new TextDecoder().decode(reason.slice(0, Atomics.load(state, 4)));
    return new Error(`a multiply thread ${Atomics.load(state, 3) === died ? "stopped" : "failed"}: ${text}`);
  };
  // Hands the job written in `job` to the threads.
  const post = (what: number): void => {
    Atomics.store(state, kind, what);
    Atomics.store(state, claimed, 0);
    Atomics.store(state, 1, threads - 1);
    // a failure reported before that store had its −1 overwritten: its kind, written first, still shows
    if (Atomics.load(state, 3) !== 0) throw problem();
    Atomics.add(state, 0, 1);
    Atomics.notify(state, 0);
  };
  // Waits for the threads' blocks of the job posted; a thread's death sets the counter to −1, which ends the wait whatever the others do.
  const settle = (): void => {
    for (let left = Atomics.load(state, 1); left > 0; left = Atomics.load(state, 1)) waitWhile(state, 1, left, poll);
    if (Atomics.load(state, 3) !== 0) throw problem();
  };
  let sent: { x: Float64Array; order: Int32Array; id: number } | undefined;
  let begun: GatherJob | undefined;
  const examplesPerBlock = 8; // a cache line of each column
  const gather: BatchGather = {
    ready: () => !closed && supervisor !== undefined && Atomics.load(state, 3) === 0,
    begin(task: GatherJob): boolean {
      if (!gather.ready() || begun) return false;
      if (!(task.x.buffer instanceof SharedArrayBuffer && task.order.buffer instanceof SharedArrayBuffer)) return false;
      if (sent?.x !== task.x || sent.order !== task.order) {
        const id = (sent?.id ?? 0) + 1;
        for (const port of ports) port.postMessage({ id, x: task.x, order: task.order });
        sent = { x: task.x, order: task.order, id };
      }
      job.set([task.start, task.count, task.features, task.rows.byteOffset, task.columns.byteOffset, examplesPerBlock, sent.id]);
      post(gathering);
      begun = task;
      return true;
    },
    finish() {
      const task = begun;
      if (!task) return;
      begun = undefined;
      const own = transpose as Transpose; // made by start(), before begin() could take a job
      try {
        eachBlock(state, examplesPerBlock, task.count, (from, to) => gatherExamples(task, from, to, own));
      } finally {
        settle();
      }
    },
  };
  const split: Split = (compiled: CompiledGemm, local: Multiply): Multiply => {
    if (threads < 2) return local;
    return (m, n, k, a, asi, asp, b, ldb, c, ldc, alpha, beta) => {
      if (closed || m < 8 || m * n * k < splitAbove) {
        local(m, n, k, a, asi, asp, b, ldb, c, ldc, alpha, beta);
        return;
      }
      gather.finish();
      if (Atomics.load(state, 3) !== 0) throw problem();
      if (!supervisor) start(compiled);
      // about four blocks a thread, whole 4-row tiles
      const block = Math.ceil(m / 16 / threads) * 4;
      job.set([m, n, k, a, asi, asp, b, ldb, c, ldc, alpha, beta, block]);
      post(multiplying);
      eachBlock(state, block, m, (from, to) => local(to - from, n, k, a + from * asi * 8, asi, asp, b, ldb, c + from * ldc * 8, ldc, alpha, beta));
      settle();
    };
  };
  const close = (): void => {
    if (closed) return;
    // a thread still copying would write into a workspace that outlives the run
    try {
      gather.finish();
    } catch {
      // a thread that failed is ended below all the same
    }
    closed = true;
    Atomics.store(state, 2, 1);
    Atomics.add(state, 0, 1);
    Atomics.notify(state, 0);
    for (const port of ports) port.close();
    void supervisor?.terminate();
  };
  return { split, gather, pollMs: poll.ms, started: () => (supervisor ? threads - 1 : 0), drain: settle, close };
}
