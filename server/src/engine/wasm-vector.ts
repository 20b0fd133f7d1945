/**
 * The element-wise steps of a run (optimizer updates, the activations and loss
 * sums of wasm-activations.ts, the bias
 * gradients, the fused output deltas, the input's transpose) in WebAssembly SIMD on the arrays of a kernel's arena; each
 * answers that it did nothing when an array lies elsewhere, and the caller
 * runs its JavaScript loop, which gives the same bits.
 */
import { elementwiseWasmBytes } from "./elementwise-wasm";
import type { MeasuredStep, SgdStep, VectorOps } from "./kernel";
import type { Arena, SharedMemory } from "./wasm-arena";
import { activationOps } from "./wasm-activations";

/** What this file needs of the WebAssembly namespace. */
export interface Instantiate {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}

let elementwise: object | undefined;

interface ElementwiseExports {
  sgd(v: number, g: number, n: number, lr: number): number;
  momentum(v: number, g: number, b: number, n: number, lr: number, mu: number, nesterov: number): number;
  transpose(src: number, rows: number, cols: number, dst: number, ldd: number): void;
  relu(z: number, a: number, n: number): void;
  reluSlope(z: number, g: number, d: number, n: number): void;
  sgdStep(v: number, g: number, b: number, n: number, lr: number, decay: number, sparse: number, mu: number, flags: number, out: number): number;
  rmspropStep(v: number, g: number, b: number, s: number, n: number, lr: number, decay: number, sparse: number, rho: number, eps: number, mu: number, flags: number, out: number): number;
  rowMeans(d: number, rows: number, m: number, out: number): void;
  difference(a: number, y: number, d: number, n: number): void;
  softmaxDelta(a: number, y: number, d: number, rows: number, cols: number): void;
  adam(v: number, g: number, m: number, s: number, n: number, beta1: number, beta2: number, step: number, root2: number, eps: number, shrink: number): number;
  dropoutMask(state: number, mask: number, n: number, rate: number, keep: number): void;
  product(m: number, x: number, out: number, n: number): void;
  addInto(x: number, out: number, n: number): void;
  countCorrect(labelwise: number, a: number, y: number, rows: number, cols: number): number;
  adamStep(v: number, g: number, m: number, s: number, n: number, beta1: number, beta2: number, step: number, root2: number, eps: number, shrink: number,
    decay: number, sparse: number, flags: number, out: number): number;
}

const sameLength = (first: Float64Array, ...others: Float64Array[]): boolean => others.every((array) => array.length === first.length);

/** elementwise.wat compiled, once a process: threads that share a kernel's memory instantiate it too. */
export function elementwiseModule(wasm: Instantiate): object {
  elementwise ??= new wasm.Module(elementwiseWasmBytes);
  return elementwise;
}

/** elementwise.wat on a kernel's memory, for the arrays that live in its arena. */
export function vectorOps(arena: Arena, memory: SharedMemory, wasm: Instantiate): VectorOps {
  const ops = new wasm.Instance(elementwiseModule(wasm), { env: { memory } }).exports as ElementwiseExports;
  // where a step writes Σc² and Σθ′²: two doubles made with the kernel, so that no later run takes more of its memory
  const measured = arena.allocate(2);
  const measuredAt = (): number => arena.offsetOf(measured);
  // where the dropout mask's generator state passes between JavaScript and WebAssembly
  const rngState = arena.allocate(2);
  const rngWords = new Int32Array(rngState.buffer, rngState.byteOffset, 4);
  const readMeasured = (squared: number, s: MeasuredStep): number => {
    s.moved = measured[0];
    s.norm = measured[1];
    return squared;
  };
  return {
    sgd(values, gradient, lr) {
      const at = values.length === gradient.length ? arena.offsetsOf(values, gradient) : undefined;
      return at && ops.sgd(at[0], at[1], values.length, lr);
    },
    momentum(values, gradient, buffer, lr, mu, nesterov) {
      const n = values.length;
      const at = gradient.length === n && buffer.length === n ? arena.offsetsOf(values, gradient, buffer) : undefined;
      return at && ops.momentum(at[0], at[1], at[2], n, lr, mu, nesterov ? 1 : 0);
    },
    sgdStep(values, gradient, buffer, s: SgdStep) {
      const v = arena.offsetOf(values), g = arena.offsetOf(gradient), b = arena.offsetOf(buffer);
      const n = values.length;
      if (v < 0 || g < 0 || gradient.length !== n || (s.momentum !== 0 && (b < 0 || buffer.length !== n))) return undefined;
      const out = measuredAt();
      if (out < 0) return undefined;
      const flags = (s.momentum !== 0 ? 1 : 0) | (s.nesterov ? 2 : 0) | (s.measure ? 4 : 0);
      return readMeasured(ops.sgdStep(v, g, b, n, s.lr, s.decay, s.sparse, s.momentum, flags, out), s);
    },
    rmspropStep(values, gradient, buffer, meanSquare, rho, eps, s: SgdStep) {
      const v = arena.offsetOf(values), g = arena.offsetOf(gradient), b = arena.offsetOf(buffer), q = arena.offsetOf(meanSquare);
      const n = values.length;
      if (v < 0 || g < 0 || q < 0 || gradient.length !== n || meanSquare.length !== n || (s.momentum > 0 && (b < 0 || buffer.length !== n))) return undefined;
      const out = measuredAt();
      if (out < 0) return undefined;
      const flags = (s.momentum > 0 ? 1 : 0) | (s.measure ? 4 : 0);
      return readMeasured(ops.rmspropStep(v, g, b, q, n, s.lr, s.decay, s.sparse, rho, eps, s.momentum, flags, out), s);
    },
    adam(values, gradient, first, second, k) {
      const at = sameLength(values, gradient, first, second) ? arena.offsetsOf(values, gradient, first, second) : undefined;
      return at && ops.adam(at[0], at[1], at[2], at[3], values.length, k.beta1, k.beta2, k.step, k.root2, k.eps, k.shrink);
    },
    adamStep(values, gradient, first, second, k, general) {
      const at = sameLength(values, gradient, first, second) ? arena.offsetsOf(values, gradient, first, second, measured) : undefined;
      if (!at) return undefined;
      const flags = general.measure ? 4 : 0;
      const squared = ops.adamStep(at[0], at[1], at[2], at[3], values.length, k.beta1, k.beta2, k.step, k.root2, k.eps, k.shrink, general.decay, general.sparse, flags, at[4]);
      return readMeasured(squared, general);
    },
    dropoutMask(rng, mask, rate, keep) {
      const at = arena.offsetsOf(mask, rngState);
      if (!at) return false;
      rng.saveState(rngWords);
      ops.dropoutMask(at[1], at[0], mask.length, rate, keep);
      rng.loadState(rngWords);
      return true;
    },
    product(m, x, out) {
      const at = sameLength(m, x, out) ? arena.offsetsOf(m, x, out) : undefined;
      if (!at) return false;
      ops.product(at[0], at[1], at[2], m.length);
      return true;
    },
    addInto(x, out) {
      const at = sameLength(x, out) ? arena.offsetsOf(x, out) : undefined;
      if (!at) return false;
      ops.addInto(at[0], at[1], out.length);
      return true;
    },
    countCorrect(labelwise, a, y, rows, cols) {
      const at = a.length >= rows * cols && y.length >= rows * cols ? arena.offsetsOf(a, y) : undefined;
      return at && ops.countCorrect(labelwise ? 1 : 0, at[0], at[1], rows, cols);
    },
    ...activationOps(arena, memory, wasm, ops),
    transpose(src, rows, cols, dst) {
      const from = arena.offsetOf(src), to = arena.offsetOf(dst);
      if (from < 0 || to < 0 || src.length < rows * cols || dst.length < rows * cols) return false;
      ops.transpose(from, rows, cols, to, rows);
      return true;
    },
    rowMeans(d, m, out) {
      const from = arena.offsetOf(d), to = arena.offsetOf(out);
      if (from < 0 || to < 0 || d.length !== out.length * m) return false;
      ops.rowMeans(from, out.length, m, to);
      return true;
    },
    difference(a, y, delta) {
      const p = arena.offsetOf(a), q = arena.offsetOf(y), d = arena.offsetOf(delta);
      if (p < 0 || q < 0 || d < 0 || y.length !== a.length || delta.length !== a.length) return false;
      ops.difference(p, q, d, a.length);
      return true;
    },
    softmaxDelta(a, y, delta, rows, cols) {
      const p = arena.offsetOf(a), q = arena.offsetOf(y), d = arena.offsetOf(delta);
      const n = rows * cols;
      if (p < 0 || q < 0 || d < 0 || a.length < n || y.length < n || delta.length < n) return false;
      ops.softmaxDelta(p, q, d, rows, cols);
      return true;
    },
  };
}
