/**
 * The multiply a training run uses: the kernel (fused multiply-add where the
 * runtime has relaxed SIMD, else plain WebAssembly SIMD, else JavaScript, or
 * the one NNET_KERNEL names) and its threads.
 */
import { availableParallelism } from "node:os";
import { setFlagsFromString } from "node:v8";
import { createWasmKernel, hasRelaxedSimd, jsKernel, type Kernel, type WasmKernelName } from "../engine/index";
import { gemmThreads } from "./gemm-threads";

/**
 * Node 20's V8 has relaxed SIMD only behind a flag, which must be set before
 * the first module is compiled; Electron (VS Code) has it without. The flag is
 * the process's, so worker threads see it too.
 */
export function enableRelaxedSimd(): void {
  if (!hasRelaxedSimd()) setFlagsFromString("--experimental-wasm-relaxed-simd");
}

export const kernelNames = ["wasm-fma-4x4", "wasm-simd-4x4", "js-tiled"] as const;
export type KernelName = (typeof kernelNames)[number];

/** Threads when none are asked for: the cores, up to 8. */
export const defaultThreads = (): number => Math.max(1, Math.min(8, availableParallelism()));

export interface RunKernel {
  kernel: Kernel;
  threads: number;
  /** Ends the kernel's threads; call when the run ends, however it ends. */
  close(): void;
}

/** Whether `value` is a thread count: an integer ≥ 1. */
export function threadCountError(value: unknown): string | undefined {
  return typeof value === "number" && Number.isInteger(value) && value >= 1 ? undefined : `the thread count must be an integer of at least 1, got ${String(value)}`;
}

/**
 * The kernel for one run with `threads` threads (the JavaScript kernel has
 * one). `name` (default: NNET_KERNEL, else the fastest here) must be one of
 * `kernelNames` that this runtime has; anything else is an error that says so.
 */
export function runKernel(threads: number, name: string | undefined = process.env.NNET_KERNEL || undefined): RunKernel {
  const invalid = threadCountError(threads);
  if (invalid) throw new Error(invalid);
  if (name !== undefined && !(kernelNames as readonly string[]).includes(name)) {
    throw new Error(`unknown kernel '${name}' (NNET_KERNEL): use one of ${kernelNames.join(", ")}`);
  }
  if (name === "js-tiled") return { kernel: jsKernel, threads: 1, close: () => {} };
  const pool = gemmThreads(threads);
  const wasm = createWasmKernel(name as WasmKernelName | undefined, pool.split, pool.gather);
  if (!wasm) {
    pool.close();
    if (name) throw new Error(`this runtime has no ${name} kernel (${name === "wasm-fma-4x4" ? "relaxed SIMD" : "WebAssembly SIMD"} is missing)`);
    return { kernel: jsKernel, threads: 1, close: () => {} };
  }
  return { kernel: wasm, threads, close: pool.close };
}
