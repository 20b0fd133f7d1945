// The training layer's multiply: worker threads that take rows of C give the
// same bits as one thread, for each WebAssembly kernel; bad thread counts and
// kernel names are refused with a message that says what to give.
import { describe, expect, it } from "vitest";
import { Rng, availableWasmKernels, createWasmKernel, jsKernel, type Kernel } from "../../server/src/engine/index";
import { enableRelaxedSimd, gemmThreads, runKernel, splitAbove } from "../../server/src/training/index";

enableRelaxedSimd();

function operands(m: number, n: number, k: number, seed: number) {
  const rng = new Rng(seed);
  const fill = (length: number) => Float64Array.from({ length }, () => rng.normal());
  return { a: fill(m * k), b: fill(k * n), c: fill(m * n) };
}

// above the split size, with row counts that do not divide evenly among the threads
const shapes = [[128, 64, 784], [130, 33, 300], [64, 784, 64], [9, 300, 400], [30, 10, 20]];

/** A 3-thread plain-SIMD kernel whose helper threads carry `fault` (NNET_TEST_MULTIPLY_THREAD), closed afterwards. */
function withFault(fault: "exit" | "start" | "supervisor", check: (kernel: Kernel) => void): void {
  process.env.NNET_TEST_MULTIPLY_THREAD = fault;
  const pool = gemmThreads(3);
  try {
    check(createWasmKernel("wasm-simd-4x4", pool.split)!);
  } finally {
    delete process.env.NNET_TEST_MULTIPLY_THREAD;
    pool.close();
  }
}

describe("the multiply on several threads", () => {
  it("splits the large products here", () => {
    expect(shapes.filter(([m, n, k]) => m * n * k >= splitAbove).length).toBe(4);
  });

  for (const name of availableWasmKernels()) {
    it(`${name}: 2 and 3 threads give one thread's bits, for every transpose and β`, () => {
      const one = createWasmKernel(name)!;
      for (const threads of [2, 3]) {
        const pool = gemmThreads(threads);
        const many = createWasmKernel(name, pool.split)!;
        try {
          for (const [m, n, k] of shapes) {
            for (const [transA, transB, beta] of [[false, false, 1], [true, false, 0], [false, true, 0.5]] as const) {
              const { a, b, c } = operands(m, n, k, m + n + k);
              const single = c.slice();
              const split = c.slice();
              one.gemm(transA, transB, m, n, k, 0.25, a, b, beta, single);
              many.gemm(transA, transB, m, n, k, 0.25, a, b, beta, split);
              expect(split).toEqual(single);
            }
          }
        } finally {
          pool.close();
        }
        // closed: the kernel still multiplies, on the calling thread
        const { a, b, c } = operands(128, 64, 784, 1);
        const after = c.slice();
        const single = c.slice();
        many.gemm(false, false, 128, 64, 784, 1, a, b, 0, after);
        one.gemm(false, false, 128, 64, 784, 1, a, b, 0, single);
        expect(after).toEqual(single);
      }
    });
  }

  it("polls while it waits only when every thread has a core: with more threads than cores they sleep at once, with the same bits", () => {
    const polling = gemmThreads(2, 2);
    const sleeping = gemmThreads(3, 2);
    try {
      expect(polling.pollMs).toBeGreaterThan(0);
      expect(sleeping.pollMs).toBe(0);
      const one = createWasmKernel("wasm-simd-4x4")!;
      const many = createWasmKernel("wasm-simd-4x4", sleeping.split)!;
      for (const [m, n, k] of shapes) {
        const { a, b, c } = operands(m, n, k, m * n);
        const single = c.slice();
        const split = c.slice();
        one.gemm(false, true, m, n, k, 0.5, a, b, 1, single);
        many.gemm(false, true, m, n, k, 0.5, a, b, 1, split);
        expect(split).toEqual(single);
      }
      expect(sleeping.started()).toBe(2);
    } finally {
      polling.close();
      sleeping.close();
    }
  });

  for (const name of availableWasmKernels()) {
    it(`${name}: 2 threads multiply operands resident in the kernel's memory with one thread's bits`, () => {
      const one = createWasmKernel(name)!;
      const pool = gemmThreads(2);
      const many = createWasmKernel(name, pool.split)!;
      try {
        for (const [m, n, k] of shapes) {
          for (const [transA, transB, beta] of [[false, false, 1], [true, false, 0], [false, true, 0.5]] as const) {
            const { a, b, c } = operands(m, n, k, m * n + k);
            const resident = (kernel: typeof one, values: Float64Array) => { const array = kernel.allocate!(values.length); array.set(values); return array; };
            const single = resident(one, c), split = resident(many, c);
            one.gemm(transA, transB, m, n, k, 0.25, resident(one, a), resident(one, b), beta, single);
            many.gemm(transA, transB, m, n, k, 0.25, resident(many, a), resident(many, b), beta, split);
            expect(split).toEqual(single);
          }
        }
        expect(pool.started()).toBe(1);
      } finally {
        pool.close();
      }
    });
  }

  it("starts its threads on the first product large enough to split, not before", () => {
    const pool = gemmThreads(3);
    try {
      const kernel = createWasmKernel("wasm-simd-4x4", pool.split)!;
      const small = operands(30, 10, 20, 2);
      kernel.gemm(false, false, 30, 10, 20, 1, small.a, small.b, 0, small.c);
      expect(pool.started()).toBe(0);
      const large = operands(128, 64, 784, 2);
      kernel.gemm(false, false, 128, 64, 784, 1, large.a, large.b, 0, large.c);
      expect(pool.started()).toBe(2);
    } finally {
      pool.close();
    }
  });

  it("a thread that dies makes this product and every later one throw, instead of waiting forever", () => {
    // the threads copy the environment when they start; only they read this variable
    withFault("exit", (kernel) => {
      const { a, b, c } = operands(128, 64, 784, 3);
      expect(() => kernel.gemm(false, false, 128, 64, 784, 1, a, b, 0, c)).toThrow("a multiply thread stopped: it exited with code 3");
      expect(() => kernel.gemm(false, false, 128, 64, 784, 1, a, b, 0, c)).toThrow("a multiply thread stopped: it exited with code 3");
      // a product too small to split still runs on the calling thread
      const small = operands(30, 10, 20, 4);
      const single = small.c.slice();
      kernel.gemm(false, false, 30, 10, 20, 1, small.a, small.b, 0, small.c);
      jsKernel.gemm(false, false, 30, 10, 20, 1, small.a, small.b, 0, single);
      expect(small.c).toEqual(single);
    });
  });

  it("a thread that cannot be started makes the product throw, instead of waiting forever", () => {
    // the supervisor reads this when it starts the threads: starting the first one fails
    withFault("start", (kernel) => {
      const { a, b, c } = operands(128, 64, 784, 6);
      expect(() => kernel.gemm(false, false, 128, 64, 784, 1, a, b, 0, c)).toThrow("a multiply thread stopped: it could not be started: a fault made for a test");
    });
  });

  it("a supervisor that fails makes the product throw, instead of waiting forever on threads that went with it", () => {
    withFault("supervisor", (kernel) => {
      const { a, b, c } = operands(128, 64, 784, 7);
      expect(() => kernel.gemm(false, false, 128, 64, 784, 1, a, b, 0, c)).toThrow("a multiply thread stopped: its supervisor failed: a fault made for a test");
    });
  });

  it("plain SIMD on 2 threads still gives the JavaScript kernel's bits", () => {
    const run = runKernel(2, "wasm-simd-4x4");
    try {
      expect(run.kernel.name).toBe("wasm-simd-4x4");
      const { a, b, c } = operands(128, 64, 784, 5);
      const viaJs = c.slice();
      const viaThreads = c.slice();
      jsKernel.gemm(false, false, 128, 64, 784, 1, a, b, 1, viaJs);
      run.kernel.gemm(false, false, 128, 64, 784, 1, a, b, 1, viaThreads);
      expect(viaThreads).toEqual(viaJs);
    } finally {
      run.close();
    }
  });

  it("picks fused multiply-add by default, and the kernel NNET_KERNEL names", () => {
    const chosen = runKernel(1, undefined);
    expect(chosen.kernel.name).toBe("wasm-fma-4x4");
    chosen.close();
    expect(runKernel(2, "js-tiled")).toMatchObject({ kernel: { name: "js-tiled" }, threads: 1 });
  });

  it("refuses a thread count that is not an integer ≥ 1, and an unknown kernel", () => {
    expect(() => runKernel(0)).toThrow("the thread count must be an integer of at least 1, got 0");
    expect(() => runKernel(1.5)).toThrow("got 1.5");
    expect(() => runKernel(1, "wasm-avx")).toThrow("unknown kernel 'wasm-avx' (NNET_KERNEL): use one of wasm-fma-4x4, wasm-simd-4x4, js-tiled");
  });
});
