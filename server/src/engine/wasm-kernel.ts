/**
 * A matrix multiply in WebAssembly SIMD (f64x2), behind the same Kernel
 * interface as the JavaScript one. Operands are copied into the module's
 * memory as op(A) and op(B), padded with zeros to multiples of 4, multiplied
 * by one 4×4 micro-kernel (gemm.wat) that also applies alpha, and beta·C is
 * added on the way out.
 * Every entry is summed in the same order as the JavaScript kernel, so both
 * give the same bits; where WebAssembly SIMD is missing, none is created.
 */
import { gemmWasmBytes } from "./gemm-wasm";
import type { Kernel } from "./kernel";

interface GemmExports {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  gemm(m: number, n: number, k: number, a: number, b: number, c: number, alpha: number): void;
}

interface WasmRuntime {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: unknown };
}

function instantiate(): GemmExports | undefined {
  const runtime = (globalThis as { WebAssembly?: WasmRuntime }).WebAssembly;
  if (!runtime) return undefined;
  try {
    return new runtime.Instance(new runtime.Module(gemmWasmBytes)).exports as GemmExports;
  } catch {
    return undefined; // no SIMD support in this runtime
  }
}

function copyOperand(
  heap: Float64Array, at: number, source: Float64Array, transposed: boolean, rows: number, cols: number, paddedCols: number,
): void {
  if (!transposed && paddedCols === cols) {
    heap.set(source.subarray(0, rows * cols), at);
    return;
  }
  // plain loops: a batch of 10 makes rows so short that set() and fill() calls would dominate
  for (let r = 0; r < rows; r++) {
    const row = at + r * paddedCols;
    if (transposed) for (let q = 0; q < cols; q++) heap[row + q] = source[q * rows + r];
    else for (let q = 0, from = r * cols; q < cols; q++) heap[row + q] = source[from + q];
    for (let q = cols; q < paddedCols; q++) heap[row + q] = 0;
  }
}

export function createWasmKernel(): Kernel | undefined {
  const wasm = instantiate();
  if (!wasm) return undefined;
  let heap = new Float64Array(wasm.memory.buffer);
  const reserve = (doubles: number): Float64Array => {
    const missing = doubles * 8 - wasm.memory.buffer.byteLength;
    if (missing > 0) {
      wasm.memory.grow(Math.ceil(missing / 65536));
      heap = new Float64Array(wasm.memory.buffer);
    }
    return heap;
  };
  return {
    name: "wasm-simd-4x4",
    gemm(transA, transB, m, n, k, alpha, a, b, beta, c) {
      const mp = (m + 3) & ~3, np = (n + 3) & ~3;
      const bAt = mp * k, cAt = bAt + k * np;
      const h = reserve(cAt + mp * np);
      // op(A) as m×k rows (stored k×m when transposed), zero rows up to mp
      copyOperand(h, 0, a, transA, m, k, k);
      h.fill(0, m * k, mp * k);
      // op(B) as k×n rows padded to np columns (stored n×k when transposed)
      copyOperand(h, bAt, b, transB, k, n, np);
      wasm.gemm(mp, np, k, 0, bAt * 8, cAt * 8, alpha);
      // the module has applied alpha; what is left is the copy out and beta·C
      if (beta === 0 && np === n) {
        c.set(h.subarray(cAt, cAt + m * n));
        return;
      }
      for (let i = 0; i < m; i++) {
        const from = cAt + i * np, to = i * n;
        if (beta === 0) for (let j = 0; j < n; j++) c[to + j] = h[from + j];
        else for (let j = 0; j < n; j++) c[to + j] = h[from + j] + beta * c[to + j];
      }
    },
  };
}

let chosen: Kernel | undefined;

/** The WASM SIMD kernel where the runtime has it, else the JavaScript one; both give the same bits. */
export function defaultKernel(fallback: Kernel): Kernel {
  chosen ??= createWasmKernel() ?? fallback;
  return chosen;
}
