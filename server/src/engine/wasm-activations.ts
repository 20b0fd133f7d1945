/**
 * The activations and their slopes (relu from elementwise.wat, the others
 * from transcendental.wat, whose exp, expm1, log, log1p and tanh give Math's
 * bits), the losses' sums and gradients, Σ|δ| and the bias broadcast, on the
 * arrays of a kernel's arena. Each answers that it did nothing when an array
 * lies elsewhere, and the caller runs its JavaScript loop, which gives the
 * same bits.
 */
import type { VectorOps } from "./kernel";
import { transcendentalWasmBytes } from "./transcendental-wasm";
import type { Arena, SharedMemory } from "./wasm-arena";
import type { Instantiate } from "./wasm-vector";

interface TranscendentalExports {
  activate(kind: number, z: number, a: number, n: number, alpha: number): void;
  slopeFromZ(kind: number, z: number, g: number, d: number, n: number, alpha: number): void;
  tanhAll(z: number, a: number, n: number): void;
  gelu(kind: number, z: number, g: number, a: number, n: number): void;
  softmaxSlope(a: number, g: number, d: number, rows: number, cols: number): void;
  slopeFromA(kind: number, a: number, g: number, d: number, n: number): void;
  softmax(z: number, a: number, rows: number, cols: number): void;
  lossSum(kind: number, a: number, y: number, n: number, delta: number): number;
  lossGradient(kind: number, a: number, y: number, g: number, n: number, delta: number): void;
  softmaxCrossEntropy(z: number, y: number, rows: number, cols: number): number;
  absSum(d: number, n: number): number;
  fillRows(bias: number, rows: number, m: number, z: number): void;
}

/** elementwise.wat's relu and its slope, over n doubles at byte offsets */
export interface Relu {
  relu(z: number, a: number, n: number): void;
  reluSlope(z: number, g: number, d: number, n: number): void;
}

export type ActivationOps = Pick<VectorOps, "activate" | "slope" | "lossSum" | "lossGradient" | "softmaxCrossEntropy" | "absSum" | "fillRows">;

let compiled: object | undefined;

// transcendental.wat's `activate` kinds, in order
const fromZ = ["sigmoid", "silu", "leaky_relu", "elu", "selu", "softplus"];
// transcendental.wat's `lossSum` kinds of the chain rule's losses (3 is the fused sigmoid pair's), and `lossGradient`'s
const sums = ["mse", "mae", "huber", "", "binary_cross_entropy", "cross_entropy"];
const gradients = ["mse", "mae", "huber", "binary_cross_entropy", "cross_entropy"];

export function activationOps(arena: Arena, memory: SharedMemory, wasm: Instantiate, relu: Relu): ActivationOps {
  compiled ??= new wasm.Module(transcendentalWasmBytes);
  const ops = new wasm.Instance(compiled, { env: { memory } }).exports as TranscendentalExports;
  return {
    activate({ name, alpha }, z, a, rows, cols) {
      const n = rows * cols;
      const at = z.length >= n && a.length >= n ? arena.offsetsOf(z, a) : undefined;
      if (!at) return false;
      const kind = fromZ.indexOf(name);
      if (name === "relu") relu.relu(at[0], at[1], n);
      else if (kind >= 0) ops.activate(kind, at[0], at[1], n, alpha);
      else if (name === "tanh") ops.tanhAll(at[0], at[1], n);
      else if (name === "gelu") ops.gelu(0, at[0], at[0], at[1], n);
      else if (name === "softmax") ops.softmax(at[0], at[1], rows, cols);
      else return false;
      return true;
    },
    slope({ name, alpha }, z, a, g, delta, rows, cols) {
      const n = delta.length;
      const at = z.length === n && a.length === n && g.length === n ? arena.offsetsOf(z, a, g, delta) : undefined;
      if (!at) return false;
      const kind = fromZ.indexOf(name);
      if (name === "relu") relu.reluSlope(at[0], at[2], at[3], n);
      else if (name === "sigmoid" || name === "tanh") ops.slopeFromA(name === "tanh" ? 1 : 0, at[1], at[2], at[3], n);
      else if (kind >= 0) ops.slopeFromZ(kind, at[0], at[2], at[3], n, alpha);
      else if (name === "gelu") ops.gelu(1, at[0], at[2], at[3], n);
      else if (name === "softmax" && rows * cols === n) ops.softmaxSlope(at[1], at[2], at[3], rows, cols);
      else return false;
      return true;
    },
    lossSum(loss, rule, z, a, y, delta) {
      const kind = rule === "fused-sigmoid-binary-cross-entropy" ? 3 : rule === "chain" ? sums.indexOf(loss) : -1;
      const from = kind === 3 ? z : a;
      const at = kind >= 0 && from.length === y.length ? arena.offsetsOf(from, y) : undefined;
      return at && ops.lossSum(kind, at[0], at[1], y.length, delta);
    },
    lossGradient(loss, a, y, g, delta) {
      const kind = gradients.indexOf(loss);
      const at = kind >= 0 && a.length === y.length && g.length === y.length ? arena.offsetsOf(a, y, g) : undefined;
      if (!at) return false;
      ops.lossGradient(kind, at[0], at[1], at[2], y.length, delta);
      return true;
    },
    softmaxCrossEntropy(z, y, rows, cols) {
      const n = rows * cols;
      const at = z.length >= n && y.length >= n ? arena.offsetsOf(z, y) : undefined;
      return at && ops.softmaxCrossEntropy(at[0], at[1], rows, cols);
    },
    absSum(d) {
      const at = arena.offsetsOf(d);
      return at && ops.absSum(at[0], d.length);
    },
    fillRows(bias, m, z) {
      const at = z.length === bias.length * m ? arena.offsetsOf(bias, z) : undefined;
      if (!at) return false;
      ops.fillRows(at[0], bias.length, m, at[1]);
      return true;
    },
  };
}

/** exp, expm1, log, log1p and tanh (through its loop, one element) as transcendental.wat computes them, on a memory of their own: the tests hold them to Math's bits. */
export function transcendentalMath(wasm: Instantiate & { Memory: new (d: { initial: number; maximum: number; shared: boolean }) => SharedMemory }) {
  compiled ??= new wasm.Module(transcendentalWasmBytes);
  const memory = new wasm.Memory({ initial: 1, maximum: 1, shared: true });
  const math = new wasm.Instance(compiled, { env: { memory } }).exports as TranscendentalExports & Record<"exp" | "expm1" | "log" | "log1p", (x: number) => number>;
  const cell = new Float64Array(memory.buffer, 0, 2);
  const tanh = (x: number): number => {
    cell[0] = x;
    math.tanhAll(0, 8, 1);
    return cell[1];
  };
  return { exp: math.exp, expm1: math.expm1, log: math.log, log1p: math.log1p, tanh };
}
