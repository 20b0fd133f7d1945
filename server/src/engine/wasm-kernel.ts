/**
 * A matrix multiply in WebAssembly SIMD (f64x2), behind the same Kernel
 * interface as the JavaScript one. Operands are copied into the module's
 * memory as op(A) and op(B), padded with zeros to multiples of 4, multiplied
 * by a 4×4 micro-kernel that also applies alpha, and beta·C is added on the
 * way out. Two micro-kernels:
 * - `wasm-simd-4x4` (gemm.wat): separate multiply and add, summed in the
 *   JavaScript kernel's order, so both give the same bits;
 * - `wasm-fma-4x4` (gemm-fma.wat): fused multiply-add from relaxed SIMD, where
 *   the runtime validates it; same order, one rounding per step, so its bits
 *   differ from the others' in the last places (and are the same on every run).
 * The memory is shared, so that a `Split` (the training layer's threads) can
 * give rows of C to other threads instantiating the same module on it.
 */
import { gemmFmaWasmBytes } from "./gemm-fma-wasm";
import { gemmWasmBytes } from "./gemm-wasm";
import type { Kernel } from "./kernel";

export type WasmKernelName = "wasm-fma-4x4" | "wasm-simd-4x4";

interface SharedMemory {
  readonly buffer: ArrayBufferLike;
  grow(pages: number): number;
}

interface WasmRuntime {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => SharedMemory;
  validate(bytes: Uint8Array): boolean;
}

/** A compiled micro-kernel and the shared memory it multiplies in. */
export interface CompiledGemm {
  name: WasmKernelName;
  module: object;
  memory: SharedMemory;
}

/** C = alpha·A·B on padded operands at byte offsets of the memory, B's rows ldb apart (gemm.wat's contract). */
export type Multiply = (m: number, n: number, k: number, a: number, b: number, c: number, alpha: number, ldb: number) => void;

/** Makes the calling thread's multiply one that may hand rows of C to other threads. */
export type Split = (compiled: CompiledGemm, local: Multiply) => Multiply;

const maxPages = 32768; // 2 GiB of operands

const runtime = (): WasmRuntime | undefined => (globalThis as { WebAssembly?: WasmRuntime }).WebAssembly;

/** The micro-kernel compiled with a fresh shared memory, or undefined where the runtime lacks what it needs. */
export function compileGemm(name: WasmKernelName): CompiledGemm | undefined {
  const wasm = runtime();
  const bytes = name === "wasm-fma-4x4" ? gemmFmaWasmBytes : gemmWasmBytes;
  if (!wasm || !wasm.validate(bytes)) return undefined; // no (relaxed) SIMD or threads here
  try {
    return { name, module: new wasm.Module(bytes), memory: new wasm.Memory({ initial: 1, maximum: maxPages, shared: true }) };
  } catch {
    return undefined; // shared memory refused (no SharedArrayBuffer)
  }
}

/** Whether this runtime validates relaxed SIMD (the fused multiply-add kernel). */
export function hasRelaxedSimd(): boolean {
  return runtime()?.validate(gemmFmaWasmBytes) === true;
}

/** The WebAssembly kernels this runtime has, fused multiply-add first. */
export function availableWasmKernels(): WasmKernelName[] {
  return (["wasm-fma-4x4", "wasm-simd-4x4"] as const).filter((name) => compileGemm(name) !== undefined);
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

/**
 * The kernel on `name`'s micro-kernel (default: fused multiply-add where the
 * runtime has it, else plain SIMD), multiplying on this thread unless `split`
 * shares the work; undefined where the runtime has neither.
 */
export function createWasmKernel(name?: WasmKernelName, split?: Split): Kernel | undefined {
  const compiled = name ? compileGemm(name) : compileGemm("wasm-fma-4x4") ?? compileGemm("wasm-simd-4x4");
  if (!compiled) return undefined;
  const instance = new (runtime() as WasmRuntime).Instance(compiled.module, { env: { memory: compiled.memory } });
  const local = (instance.exports as { gemm: Multiply }).gemm;
  const multiply = split ? split(compiled, local) : local;
  const memory = compiled.memory;
  let heap = new Float64Array(memory.buffer);
  const reserve = (doubles: number): Float64Array => {
    const missing = doubles * 8 - heap.byteLength;
    if (missing > 0) {
      memory.grow(Math.ceil(missing / 65536));
      heap = new Float64Array(memory.buffer);
    }
    return heap;
  };
  return {
    name: compiled.name,
    gemm(transA, transB, m, n, k, alpha, a, b, beta, c) {
      const mp = (m + 3) & ~3, np = (n + 3) & ~3;
      // k·np doubles hold B either way; past an unpadded B's end, the last panel reads up to 3 more
      const bAt = mp * k, cAt = bAt + k * np + 4;
      const h = reserve(cAt + mp * np);
      // op(A) as m×k rows (stored k×m when transposed), zero rows up to mp
      copyOperand(h, 0, a, transA, m, k, k);
      h.fill(0, m * k, mp * k);
      // op(B) as k×n rows (stored n×k when transposed): a plain B is copied whole, unpadded
      const ldb = transB ? np : n;
      copyOperand(h, bAt, b, transB, k, n, ldb);
      multiply(mp, np, k, 0, bAt * 8, cAt * 8, alpha, ldb);
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

/**
 * The plain WASM SIMD kernel where the runtime has it, else `fallback`: both
 * give the JavaScript kernel's bits, which the debugger's expressions rely on.
 * Training runs pick their kernel themselves (fused multiply-add where there is one).
 */
export function defaultKernel(fallback: Kernel): Kernel {
  chosen ??= createWasmKernel("wasm-simd-4x4") ?? fallback;
  return chosen;
}
