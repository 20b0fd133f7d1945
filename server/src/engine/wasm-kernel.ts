/**
 * A matrix multiply in WebAssembly SIMD (f64x2), behind the same Kernel
 * interface as the JavaScript one, multiplying with a 4×4 micro-kernel that
 * also applies alpha and beta. Operands that live in the kernel's memory
 * (`allocate`: a run's weights, gradients and workspaces) are read and
 * written where they are; the micro-kernel reads A plain or transposed in
 * place, and only a transposed B, the last rows of a product that is not a
 * multiple of 4 and its last columns go through scratch space. Other operands
 * are copied in, padded with zeros to multiples of 4, and C copied out.
 * A product whose scratch space the memory can no longer hold (the arena took
 * it all) runs in the JavaScript kernel instead.
 * Two micro-kernels:
 * - `wasm-simd-4x4` (gemm.wat): separate multiply and add, summed in the
 *   JavaScript kernel's order, so both give the same bits;
 * - `wasm-fma-4x4` (gemm-fma.wat): fused multiply-add from relaxed SIMD, where
 *   the runtime validates it; same order, one rounding per step, so its bits
 *   differ from the others' in the last places (and are the same on every run).
 * Either way each entry of C is computed alike in place and through scratch.
 * The memory is shared, so that a `Split` (the training layer's threads) can
 * give rows of C to other threads instantiating the same module on it.
 */
import { gemmFmaWasmBytes } from "./gemm-fma-wasm";
import { gemmWasmBytes } from "./gemm-wasm";
import { jsKernel, type BatchGather, type GatherJob, type Kernel } from "./kernel";
import { Arena, type SharedMemory } from "./wasm-arena";
import { elementwiseModule, vectorOps, type Instantiate } from "./wasm-vector";

export type WasmKernelName = "wasm-fma-4x4" | "wasm-simd-4x4";

interface WasmRuntime extends Instantiate {
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => SharedMemory;
  validate(bytes: Uint8Array): boolean;
}

/** A compiled micro-kernel, the element-wise module (elementwise.wat) and the shared memory they work in. */
export interface CompiledGemm {
  name: WasmKernelName;
  module: object;
  elementwise: object;
  memory: SharedMemory;
}

/**
 * C = alpha·op(A)·B + beta·C (gemm.wat's contract): m and n multiples of 4;
 * a, b, c byte offsets; op(A)(i, p) at a + 8(i·asi + p·asp); B's rows ldb and
 * C's ldc doubles apart.
 */
export type Multiply = (
  m: number, n: number, k: number, a: number, asi: number, asp: number, b: number, ldb: number, c: number, ldc: number, alpha: number, beta: number,
) => void;

/** Makes the calling thread's multiply one that may hand rows of C to other threads. */
export type Split = (compiled: CompiledGemm, local: Multiply) => Multiply;

const maxPages = 32768; // 2 GiB

const runtime = (): WasmRuntime | undefined => (globalThis as { WebAssembly?: WasmRuntime }).WebAssembly;

/** The micro-kernel compiled with a fresh shared memory, or undefined where the runtime lacks what it needs. */
export function compileGemm(name: WasmKernelName): CompiledGemm | undefined {
  const wasm = runtime();
  const bytes = name === "wasm-fma-4x4" ? gemmFmaWasmBytes : gemmWasmBytes;
  if (!wasm || !wasm.validate(bytes)) return undefined; // no (relaxed) SIMD or threads here
  try {
    return { name, module: new wasm.Module(bytes), elementwise: elementwiseModule(wasm), memory: new wasm.Memory({ initial: 1, maximum: maxPages, shared: true }) };
  } catch {
    return undefined; // shared memory refused (no SharedArrayBuffer)
  }
}

/** elementwise.wat's transpose on a compiled kernel's memory (byte offsets; dst's rows ldd doubles apart), for a thread that gathers into it. */
export type Transpose = (src: number, rows: number, cols: number, dst: number, ldd: number) => void;

export function transposeIn(compiled: CompiledGemm): Transpose {
  const instance = new (runtime() as WasmRuntime).Instance(compiled.elementwise, { env: { memory: compiled.memory } });
  return (instance.exports as { transpose: Transpose }).transpose;
}

/** Whether this runtime validates relaxed SIMD (the fused multiply-add kernel). */
export function hasRelaxedSimd(): boolean {
  return runtime()?.validate(gemmFmaWasmBytes) === true;
}

/** The WebAssembly kernels this runtime has, fused multiply-add first. */
export function availableWasmKernels(): WasmKernelName[] {
  return (["wasm-fma-4x4", "wasm-simd-4x4"] as const).filter((name) => compileGemm(name) !== undefined);
}

/** rows × cols of op(source) into heap[at…] as rows paddedCols apart, zeros after each row's end. */
export function copyOperand(
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

/** Rows [r0, r1) and columns [c0, c1) of a result ldh apart in heap[from…] into C (n wide), adding beta·C. */
export function copyOut(heap: Float64Array, from: number, ldh: number, c: Float64Array, n: number, r0: number, r1: number, c0: number, c1: number, beta: number): void {
  for (let i = r0; i < r1; i++) {
    const h = from + (i - r0) * ldh - c0, row = i * n;
    if (beta === 0) for (let j = c0; j < c1; j++) c[row + j] = heap[h + j];
    else for (let j = c0; j < c1; j++) c[row + j] = heap[h + j] + beta * c[row + j];
  }
}

/**
 * The kernel on `name`'s micro-kernel (default: fused multiply-add where the
 * runtime has it, else plain SIMD), multiplying on this thread unless `split`
 * shares the work, and gathering batches on other threads where `gather`
 * does; undefined where the runtime has neither.
 */
export function createWasmKernel(name?: WasmKernelName, split?: Split, gather?: BatchGather): Kernel | undefined {
  const compiled = name ? compileGemm(name) : compileGemm("wasm-fma-4x4") ?? compileGemm("wasm-simd-4x4");
  if (!compiled) return undefined;
  const instance = new (runtime() as WasmRuntime).Instance(compiled.module, { env: { memory: compiled.memory } });
  const { gemm: local, gemm2: twoWide } = instance.exports as { gemm: Multiply; gemm2: Multiply };
  const multiply = split ? split(compiled, local) : local;
  const arena = new Arena(compiled.memory);
  const vector = vectorOps(arena, compiled.memory, runtime() as WasmRuntime);

  // Everything through scratch: op(A) and op(B) padded to multiples of 4, C copied out.
  const copied = (transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number, a: Float64Array, b: Float64Array, beta: number, c: Float64Array): void => {
    const mp = (m + 3) & ~3, np = (n + 3) & ~3;
    // k·np doubles hold B either way; past an unpadded B's end, the last panel reads up to 3 more
    const aAt = arena.top, bAt = aAt + mp * k, cAt = bAt + k * np + 4;
    const h = arena.reserve(cAt + mp * np);
    copyOperand(h, aAt, a, transA, m, k, k);
    h.fill(0, aAt + m * k, aAt + mp * k);
    const ldb = transB ? np : n;
    copyOperand(h, bAt, b, transB, k, n, ldb);
    multiply(mp, np, k, aAt * 8, k, 1, bAt * 8, ldb, cAt * 8, np, alpha, 0);
    if (beta === 0 && np === n) c.set(h.subarray(cAt, cAt + m * n));
    else copyOut(h, cAt, np, c, n, 0, m, 0, n, beta);
  };

  // Resident operands: the whole 4×4 tiles straight into C; the edges through scratch.
  const inPlace = (transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number, a: Float64Array, b: Float64Array, beta: number, c: Float64Array): void => {
    const m4 = m & ~3, n4 = n & ~3, np = (n + 3) & ~3;
    const oa = a.byteOffset, oc = c.byteOffset;
    const asi = transA ? 1 : k, asp = transA ? m : 1;
    let at = arena.top, ob = b.byteOffset, ldb = n;
    if (transB) {
      // Bᵀ packed as rows: the micro-kernel streams B's rows
      copyOperand(arena.reserve(at + k * np + 4), at, b, true, k, n, np);
      ob = at * 8;
      ldb = np;
      at += k * np + 8;
    }
    if (m4 > 0 && n4 > 0) multiply(m4, n4, k, oa, asi, asp, ob, ldb, oc, n, alpha, beta);
    if (m4 > 0 && n - n4 === 2) {
      // a batch of 10: the last two columns in place, two wide
      twoWide(m4, 2, k, oa, asi, asp, ob + n4 * 8, ldb, oc + n4 * 8, n, alpha, beta);
    } else if (m4 > 0 && n4 < n) {
      const h = arena.reserve(at + m4 * 4);
      multiply(m4, 4, k, oa, asi, asp, ob + n4 * 8, ldb, at * 8, 4, alpha, 0);
      copyOut(h, at, 4, c, n, 0, m4, n4, n, beta);
    }
    if (m4 < m) {
      const cAt = at + 4 * k;
      const h = arena.reserve(cAt + 4 * np);
      for (let r = 0; r < 4; r++) {
        const row = at + r * k, i = m4 + r;
        if (i >= m) h.fill(0, row, row + k);
        else if (transA) for (let p = 0; p < k; p++) h[row + p] = a[p * m + i];
        else h.set(a.subarray(i * k, i * k + k), row);
      }
      multiply(4, np, k, at * 8, k, 1, ob, ldb, cAt * 8, np, alpha, 0);
      copyOut(h, cAt, np, c, n, m4, m, 0, n, beta);
    }
  };

  return {
    name: compiled.name,
    allocate: (length) => arena.allocate(length),
    vector,
    ...(gather ? {
      gather: { ready: () => gather.ready(), begin: (job) => gatherFits(arena, job) && gather.begin(job), finish: () => gather.finish() },
    } : {}),
    gemm(transA, transB, m, n, k, alpha, a, b, beta, c) {
      if (m === 0 || n === 0) return;
      if (k === 0) {
        // an empty sum: the micro-kernel needs k ≥ 1
        for (let i = 0; i < m * n; i++) c[i] = beta === 0 ? alpha * 0 : alpha * 0 + beta * c[i];
        return;
      }
      const resident = arena.offsetOf(a) >= 0 && arena.offsetOf(b) >= 0 && arena.offsetOf(c) >= 0;
      // an arena that took the whole memory leaves no scratch: such a product runs in JavaScript rather than failing halfway
      if (!scratchFits(arena, scratchOf(resident, transB, m, n, k))) return jsKernel.gemm(transA, transB, m, n, k, alpha, a, b, beta, c);
      (resident ? inPlace : copied)(transA, transB, m, n, k, alpha, a, b, beta, c);
    },
  };
}

// Whether the threads may copy `job` as it stands: rows and columns in the arena and large enough, every example in x.
function gatherFits(arena: Arena, job: GatherJob): boolean {
  const { x, features, order, start, count, rows, columns } = job;
  if (arena.offsetOf(rows) < 0 || arena.offsetOf(columns) < 0 || Math.min(rows.length, columns.length) < count * features) return false;
  if (!(start >= 0 && count >= 0 && start + count <= order.length)) return false;
  const examples = Math.floor(x.length / features);
  for (let j = start; j < start + count; j++) if (!(order[j] >= 0 && order[j] < examples)) return false;
  return true;
}

// The most scratch space (doubles) `copied` or `inPlace` takes above the arena for one product.
function scratchOf(resident: boolean, transB: boolean, m: number, n: number, k: number): number {
  const mp = (m + 3) & ~3, np = (n + 3) & ~3;
  if (!resident) return mp * k + k * np + 4 + mp * np;
  return (transB ? k * np + 8 : 0) + Math.max((m & ~3) * 4, 4 * k + 4 * np);
}

function scratchFits(arena: Arena, doubles: number): boolean {
  try {
    arena.reserve(arena.top + doubles);
    return true;
  } catch {
    return false;
  }
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
