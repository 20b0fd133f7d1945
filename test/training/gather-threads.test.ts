// The training threads copy a batch's inputs while the calling thread updates
// the weights: the rows and columns they write are the calling thread's own
// copy and transpose, training gives the same weights with and without them,
// and what they cannot read is refused rather than read wrong.
import { describe, expect, it } from "vitest";
import {
  Rng, createNetwork, createWasmKernel, exportWeights, lastCaches, sharedZeros, train, transposeInto, zeros, type GatherJob, type Kernel, type Matrix, type NetworkSpec, type NodeCache,
} from "../../server/src/engine/index";
import { gatherRows } from "../../server/src/engine/matrix";
import { enableRelaxedSimd, gemmThreads, runKernel, type GemmThreads } from "../../server/src/training/index";

enableRelaxedSimd();

/** A plain-SIMD kernel on `threads` threads, its threads started by one large product, closed afterwards. */
function withThreads(threads: number, check: (kernel: Kernel, pool: GemmThreads) => void): void {
  const pool = gemmThreads(threads);
  try {
    const kernel = createWasmKernel("wasm-simd-4x4", pool.split, pool.gather)!;
    const [a, b, c] = [128 * 784, 784 * 64, 128 * 64].map((length) => kernel.allocate!(length));
    kernel.gemm(false, false, 128, 64, 784, 1, a, b, 0, c);
    expect(pool.started()).toBe(threads - 1);
    check(kernel, pool);
  } finally {
    pool.close();
  }
}

function expectCopied(job: GatherJob): void {
  const expectedRows = new Float64Array(job.count * job.features), expectedColumns = new Float64Array(job.count * job.features);
  gatherRows({ rows: job.x.length / job.features, cols: job.features, data: job.x }, job.order, job.start, job.count, expectedRows);
  transposeInto(expectedRows, job.count, job.features, expectedColumns);
  expect(job.rows).toEqual(expectedRows);
  expect(job.columns).toEqual(expectedColumns);
}

function shuffled(n: number, seed: number): Int32Array {
  const order = new Int32Array(new SharedArrayBuffer(4 * n));
  order.forEach((_, i) => { order[i] = i; });
  new Rng(seed).shuffle(order);
  return order;
}

function randomShared(rows: number, cols: number, seed: number): Matrix {
  const rng = new Rng(seed);
  const x = sharedZeros(rows, cols);
  for (let i = 0; i < x.data.length; i++) x.data[i] = rng.normal();
  return x;
}

// The input is read again after the first layer, by the concat: the next batch may not overwrite it before.
const wide = {
  name: "wide", input: { name: "x", units: 200 }, loss: "cross_entropy",
  layers: [
    { kind: "dense", name: "h", units: 128, from: "x", activation: { name: "relu" }, init: { name: "xavier" } },
    { kind: "dense", name: "h2", units: 16, from: "h", activation: { name: "relu" }, init: { name: "xavier" } },
    { kind: "concat", name: "both", units: 216, from: ["h2", "x"] },
    { kind: "dense", name: "out", units: 3, from: "both", activation: { name: "softmax" }, init: { name: "xavier" } },
  ],
} as NetworkSpec;
const sgd = { optimizer: { name: "sgd" as const, lr: 0.05, momentum: 0.9 }, epochs: 2, batch: 64, validation: 0, seed: 5, shuffle: true, l2: 0 };

function labels(n: number): Matrix {
  const y = zeros(n, 3);
  for (let i = 0; i < n; i++) y.data[i * 3 + (i % 3)] = 1;
  return y;
}

describe("a batch copied on the training threads", () => {
  for (const threads of [2, 3]) {
    it(`${threads} threads copy rows and columns as the calling thread alone does, for odd widths and batches`, () => {
      withThreads(threads, (kernel, pool) => {
        const gather = kernel.gather!;
        for (const [features, count] of [[784, 64], [13, 61], [1, 10], [7, 3]]) {
          const whole = randomShared(300, features, features);
          // a view that starts past its buffer's beginning, as a split data set's does
          const x = whole.data.subarray(3 * features);
          const order = shuffled(297, count);
          const rows = kernel.allocate!(count * features), columns = kernel.allocate!(count * features);
          for (let start = 0; start + count <= 297; start += 37) {
            const job = { x, features, order, start, count, rows, columns };
            expect(gather.begin(job)).toBe(true);
            // every other time the threads copy it all, the calling thread none; else both take blocks
            if (start % 2 === 0) pool.drain();
            gather.finish();
            expectCopied(job);
          }
        }
      });
    });
  }

  it("a gather still in hand when the threads close is finished first", () => {
    const pool = gemmThreads(2);
    const kernel = createWasmKernel("wasm-simd-4x4", pool.split, pool.gather)!;
    const [a, b, c] = [128 * 784, 784 * 64, 128 * 64].map((length) => kernel.allocate!(length));
    kernel.gemm(false, false, 128, 64, 784, 1, a, b, 0, c);
    const x = randomShared(100, 784, 7);
    const job = { x: x.data, features: 784, order: shuffled(100, 7), start: 10, count: 64, rows: kernel.allocate!(64 * 784), columns: kernel.allocate!(64 * 784) };
    expect(kernel.gather!.begin(job)).toBe(true);
    pool.close();
    expectCopied(job);
    expect(kernel.gather!.ready()).toBe(false);
  });

  it("refuses a data set or order outside shared memory, arrays outside the kernel, and a kernel whose threads have not started", () => {
    withThreads(2, (kernel) => {
      const gather = kernel.gather!;
      const x = randomShared(20, 4, 1);
      const job: GatherJob = { x: x.data, features: 4, order: shuffled(20, 1), start: 0, count: 8, rows: kernel.allocate!(32), columns: kernel.allocate!(32) };
      expect(gather.begin({ ...job, x: x.data.slice() })).toBe(false);
      expect(gather.begin({ ...job, order: job.order.slice() })).toBe(false);
      expect(gather.begin({ ...job, rows: new Float64Array(32) })).toBe(false);
      expect(gather.begin({ ...job, columns: new Float64Array(32) })).toBe(false);
      // a job that does not fit its arrays would write past them
      expect(gather.begin({ ...job, count: 9 })).toBe(false);
      expect(gather.begin({ ...job, start: 13 })).toBe(false);
      const outside = shuffled(20, 1);
      outside[3] = 20;
      expect(gather.begin({ ...job, order: outside })).toBe(false);
      expect(gather.begin(job)).toBe(true);
      gather.finish();
    });
    const pool = gemmThreads(2);
    try {
      const kernel = createWasmKernel("wasm-simd-4x4", pool.split, pool.gather)!;
      const x = randomShared(20, 4, 2);
      expect(kernel.gather!.ready()).toBe(false);
      expect(kernel.gather!.begin({ x: x.data, features: 4, order: shuffled(20, 2), start: 0, count: 8, rows: kernel.allocate!(32), columns: kernel.allocate!(32) })).toBe(false);
      expect(pool.started()).toBe(0);
    } finally {
      pool.close();
    }
  });

  it("a thread that fails while copying makes the gather throw, and a training run fail with that reason, instead of hanging", () => {
    // the threads copy the environment when they start; every thread takes part in every job, so the fault fires
    process.env.NNET_TEST_MULTIPLY_THREAD = "gather";
    try {
      withThreads(3, (kernel) => {
        const x = randomShared(20, 4, 3);
        expect(kernel.gather!.begin({ x: x.data, features: 4, order: shuffled(20, 3), start: 0, count: 8, rows: kernel.allocate!(32), columns: kernel.allocate!(32) })).toBe(true);
        expect(() => kernel.gather!.finish()).toThrow("a multiply thread failed: a fault made for a test");
      });
      const run = runKernel(2, "wasm-simd-4x4");
      try {
        const network = createNetwork(wide, { seed: 6, kernel: run.kernel });
        expect(() => train(network, { x: randomShared(200, 200, 8), y: labels(200) }, { ...sgd, epochs: 1 })).toThrow("a multiply thread failed: a fault made for a test");
      } finally {
        run.close();
      }
    } finally {
      delete process.env.NNET_TEST_MULTIPLY_THREAD;
    }
  });

  it("starts copying after the last layer that reads the input: a dense, dropout, add or concat from it", () => {
    const dense = (name: string, units: number, from: string) => ({ kind: "dense", name, units, from, activation: { name: "relu" }, init: { name: "xavier" } });
    const reader = (layers: object[]) => createNetwork({ name: "n", input: { name: "x", units: 4 }, loss: "mse", layers } as NetworkSpec, { seed: 1 }).lastInputReader;
    expect(reader([dense("h", 4, "x"), dense("out", 1, "h")])).toBe(1);
    expect(reader([dense("h", 4, "x"), { kind: "dropout", name: "d", units: 4, from: "x", rate: 0.5 }, { kind: "add", name: "s", units: 4, from: ["h", "d"] }, dense("out", 1, "s")])).toBe(2);
    expect(reader([dense("h", 4, "x"), dense("h2", 4, "h"), { kind: "add", name: "s", units: 4, from: ["h2", "x"] }, dense("out", 1, "s")])).toBe(3);
    expect(reader([dense("h", 4, "x"), dense("h2", 4, "h"), dense("late", 4, "x"), { kind: "concat", name: "c", units: 8, from: ["h2", "late"] }, dense("out", 1, "c")])).toBe(3);
  });

  it("training copies the next batch on the threads and ends with the weights of one thread, from shared and from ordinary arrays", () => {
    const n = 200;
    const shared = randomShared(n, 200, 4);
    const plain = { rows: n, cols: 200, data: shared.data.slice() };
    const y = labels(n);
    const spec = wide, ts = sgd;
    const trained = (threads: number, x: Matrix, stopAt = Infinity): { weights: ReturnType<typeof exportWeights>; caches: NodeCache[]; begun: number } => {
      const run = runKernel(threads, "wasm-simd-4x4");
      let begun = 0;
      const gather = run.kernel.gather;
      if (gather) {
        (run.kernel as { gather: typeof gather }).gather = { ready: () => gather.ready(), begin: (job) => (gather.begin(job) ? (begun++, true) : false), finish: () => gather.finish() };
      }
      try {
        const network = createNetwork(spec, { seed: 6, kernel: run.kernel });
        let batches = 0;
        train(network, { x, y }, ts, { shouldStop: () => ++batches > stopAt });
        return { weights: exportWeights(network), caches: lastCaches(network), begun };
      } finally {
        run.close();
      }
    };
    const one = trained(1, plain);
    expect(one.begun).toBe(0);
    for (const x of [shared, plain]) {
      const two = trained(2, x);
      // every batch but each epoch's first (4 a epoch, n = 200 in 64s), once the first product has started the threads
      expect(two.begun).toBe(2 * 3);
      expect(two.weights).toEqual(one.weights);
      expect(two.caches).toEqual(one.caches);
    }
    // stopped with the next batch copied but never loaded: the last pass's caches are still that pass's
    const stoppedOne = trained(1, plain, 2), stoppedTwo = trained(2, shared, 2);
    expect(stoppedTwo.begun).toBe(2);
    expect(stoppedTwo.caches).toEqual(stoppedOne.caches);
    expect(stoppedTwo.weights).toEqual(stoppedOne.weights);
  });
});
