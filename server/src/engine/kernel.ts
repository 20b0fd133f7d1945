/**
 * The matrix multiply every layer uses, behind one small interface so that a
 * faster kernel (WASM SIMD, say) can replace it without touching the layers.
 */
import type { Rng } from "./rng";
import type { OutputRule } from "./losses";
import type { ActivationName, LossName } from "./spec";

/** An activation as the element-wise steps need it: its name and leaky_relu's or elu's α. */
export interface ActivationKind {
  readonly name: ActivationName;
  readonly alpha: number;
}

export interface Kernel {
  readonly name: string;
  /**
   * C = alpha·op(A)·op(B) + beta·C with op(A) m×k, op(B) k×n and C m×n, all
   * dense row-major. op(A) = Aᵀ when transA (A is then stored k×m); likewise
   * for B (stored n×k when transB). beta = 0 overwrites C without reading it.
   */
  gemm(
    transA: boolean, transB: boolean, m: number, n: number, k: number,
    alpha: number, a: Float64Array, b: Float64Array, beta: number, c: Float64Array,
  ): void;
  /**
   * A zeroed array that `gemm` reads and writes where it lies, with no copy
   * in or out (a WebAssembly kernel's own memory); it lives as long as the
   * kernel. Absent where every array is alike (the JavaScript kernels).
   */
  allocate?(length: number): Float64Array;
  /** element-wise steps in the kernel's own code, on arrays from `allocate` */
  readonly vector?: VectorOps;
  /** a batch's inputs gathered by the kernel's other threads (batches.ts); absent where it has none */
  readonly gather?: BatchGather;
}

/**
 * One batch's inputs: examples order[start…start+count) of x (one example of
 * `features` values per row) as the rows of `rows` (count × features) and as
 * the columns of `columns` (features × count).
 */
export interface GatherJob {
  x: Float64Array;
  features: number;
  order: Int32Array;
  start: number;
  count: number;
  rows: Float64Array;
  columns: Float64Array;
}

/** Copies a batch's inputs on other threads while the calling one does other work; a copy has the same bits whoever makes it. */
export interface BatchGather {
  /** Whether the other threads are there to take a job (they start with the first product large enough to split). */
  ready(): boolean;
  /** Hands the job to the other threads; false, having done nothing, where it cannot (x or order not in shared memory, rows or columns outside the kernel's memory, no thread started yet). */
  begin(job: GatherJob): boolean;
  /** Copies on this thread what the others have not taken of the job begun, and waits for theirs; nothing when none is begun. */
  finish(): void;
}

/** Each step answers undefined, having done nothing, when an array lies outside the kernel's memory. */
/** The constants of one Adam step: θ·shrink − step·(m / (√s / root2 + ε)). */
export interface AdamStep {
  beta1: number;
  beta2: number;
  step: number;
  root2: number;
  eps: number;
  shrink: number;
}

/** A general step's penalties λ and λ₁, and what a measured step measured: Σc² of the change c and Σθ′², summed in index order */
export interface MeasuredStep {
  decay: number;
  sparse: number;
  measure: boolean;
  moved: number;
  norm: number;
}

/** sgd's general step's settings (its change is c = −ηd) */
export interface SgdStep extends MeasuredStep {
  lr: number;
  momentum: number;
  nesterov: boolean;
}

export interface VectorOps {
  /** θ ← θ − η·g, returning Σg² summed as squaredNorm (epoch-totals.ts) sums it */
  sgd(values: Float64Array, gradient: Float64Array, lr: number): number | undefined;
  /** sgd's momentum step without weight decay, as optimizers.ts writes it, on `buffer`; Σg² as `sgd` */
  momentum(values: Float64Array, gradient: Float64Array, buffer: Float64Array, lr: number, mu: number, nesterov: boolean): number | undefined;
  /** sgd's step as optimizers.ts writes it for any λ, λ₁ and momentum (buffer unused without), measured or not; Σg² as `sgd` */
  sgdStep(values: Float64Array, gradient: Float64Array, buffer: Float64Array, step: SgdStep): number | undefined;
  /** RMSprop's step as optimizers.ts writes it (step.momentum > 0 uses buffer), measured or not; Σg² as `sgd` */
  rmspropStep(values: Float64Array, gradient: Float64Array, buffer: Float64Array, meanSquare: Float64Array, rho: number, eps: number, step: SgdStep): number | undefined;
  /** Adam's step (AdamW's with `shrink` ≠ 1) without λ or λ₁, as optimizers.ts writes it; Σg² as `sgd` */
  adam(values: Float64Array, gradient: Float64Array, first: Float64Array, second: Float64Array, moments: AdamStep): number | undefined;
  /** Adam's step as optimizers.ts writes it for any λ and λ₁, measured or not (c = θ′ − θ); Σg² as `sgd` */
  adamStep(values: Float64Array, gradient: Float64Array, first: Float64Array, second: Float64Array, moments: AdamStep, general: MeasuredStep): number | undefined;
  /** a = σ(z) for every activation (softmax per column of rows × cols; identity has nothing to do), as activations.ts computes it; true when done */
  activate(activation: ActivationKind, z: Float64Array, a: Float64Array, rows: number, cols: number): boolean;
  /** δ = g ⊙ σ′ (softmax's Jacobian product per column of rows × cols) for every activation but identity, from a = σ(z) for sigmoid, tanh and softmax, else from z, as activations.ts computes it (δ may be g); true when done */
  slope(activation: ActivationKind, z: Float64Array, a: Float64Array, g: Float64Array, delta: Float64Array, rows: number, cols: number): boolean;
  /** lossValue's sum before its ½ (mse) and its division by m, for every loss but the fused softmax cross-entropy (softmaxCrossEntropy's); the fused sigmoid pair's from z */
  lossSum(loss: LossName, rule: OutputRule, z: Float64Array, a: Float64Array, y: Float64Array, delta: number): number | undefined;
  /** ∇ₐC as lossGradient writes it, for every loss (huber's δ); true when done */
  lossGradient(loss: LossName, a: Float64Array, y: Float64Array, g: Float64Array, delta: number): boolean;
  /** Σ_c Σ_r y·(lse(z_c) − z) over rows × cols, as lossValue sums the fused softmax cross-entropy */
  softmaxCrossEntropy(z: Float64Array, y: Float64Array, rows: number, cols: number): number | undefined;
  /** Σ|d| summed in index order */
  absSum(d: Float64Array): number | undefined;
  /** mask = 0 where rng's next draw (Rng.next) is below rate, else keep, the generator moving on as far; true when done */
  dropoutMask(rng: Rng, mask: Float64Array, rate: number, keep: number): boolean;
  /** out = out + x over the whole arrays; true when done */
  addInto(x: Float64Array, out: Float64Array): boolean;
  /** the right decisions in rows × cols outputs a against targets y, counted as evaluate.ts counts them (labelwise: each unit a yes/no label) */
  countCorrect(labelwise: boolean, a: Float64Array, y: Float64Array, rows: number, cols: number): number | undefined;
  /** out = m ⊙ x over the whole arrays (out may be x); true when done */
  product(m: Float64Array, x: Float64Array, out: Float64Array): boolean;
  /** row j of z (bias.length rows of m) = bias[j]; true when done */
  fillRows(bias: Float64Array, m: number, z: Float64Array): boolean;
  /** dst (cols × rows) = srcᵀ for src (rows × cols); true when done */
  transpose(src: Float64Array, rows: number, cols: number, dst: Float64Array): boolean;
  /** out[j] = (Σ_c d[j·m + c]) / m for each of out.length rows of d (length out.length·m), summed in column order; true when done */
  rowMeans(d: Float64Array, m: number, out: Float64Array): boolean;
  /** δ = a − y over the whole arrays; true when done */
  difference(a: Float64Array, y: Float64Array, delta: Float64Array): boolean;
  /** δ = a·(Σ_r y) − y per column of rows × cols, each column's y summed in row order; true when done */
  softmaxDelta(a: Float64Array, y: Float64Array, delta: Float64Array, rows: number, cols: number): boolean;
}

// op(A)(i, p) lives at a[i·asi + p·asp] and op(B)(p, j) at b[p·bsp + j·bsj]; passing the
// four strides as numbers keeps the multiply free of allocation.

function store(c: Float64Array, index: number, sum: number, alpha: number, beta: number): void {
  c[index] = beta === 0 ? alpha * sum : alpha * sum + beta * c[index];
}

// A 4×4 register tile: 16 accumulators, 8 loads per 16 multiply-adds.
function tile4x4(
  a: Float64Array, ai: number, b: Float64Array, bj: number, asi: number, asp: number, bsp: number, bsj: number, k: number,
  c: Float64Array, ci: number, n: number, alpha: number, beta: number,
): void {
  const asi2 = asi + asi, asi3 = asi2 + asi, bsj2 = bsj + bsj, bsj3 = bsj2 + bsj;
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  let pa = ai, pb = bj;
  for (let p = 0; p < k; p++) {
    const a0 = a[pa], a1 = a[pa + asi], a2 = a[pa + asi2], a3 = a[pa + asi3];
    const b0 = b[pb], b1 = b[pb + bsj], b2 = b[pb + bsj2], b3 = b[pb + bsj3];
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
    pa += asp; pb += bsp;
  }
  const r0 = ci, r1 = ci + n, r2 = r1 + n, r3 = r2 + n;
  store(c, r0, c00, alpha, beta); store(c, r0 + 1, c01, alpha, beta); store(c, r0 + 2, c02, alpha, beta); store(c, r0 + 3, c03, alpha, beta);
  store(c, r1, c10, alpha, beta); store(c, r1 + 1, c11, alpha, beta); store(c, r1 + 2, c12, alpha, beta); store(c, r1 + 3, c13, alpha, beta);
  store(c, r2, c20, alpha, beta); store(c, r2 + 1, c21, alpha, beta); store(c, r2 + 2, c22, alpha, beta); store(c, r2 + 3, c23, alpha, beta);
  store(c, r3, c30, alpha, beta); store(c, r3 + 1, c31, alpha, beta); store(c, r3 + 2, c32, alpha, beta); store(c, r3 + 3, c33, alpha, beta);
}

// Four rows against two columns.
function tile4x2(
  a: Float64Array, ai: number, b: Float64Array, bj: number, asi: number, asp: number, bsp: number, bsj: number, k: number,
  c: Float64Array, ci: number, n: number, alpha: number, beta: number,
): void {
  const asi2 = asi + asi, asi3 = asi2 + asi;
  let c00 = 0, c01 = 0, c10 = 0, c11 = 0, c20 = 0, c21 = 0, c30 = 0, c31 = 0;
  let pa = ai, pb = bj;
  for (let p = 0; p < k; p++) {
    const b0 = b[pb], b1 = b[pb + bsj];
    const a0 = a[pa], a1 = a[pa + asi], a2 = a[pa + asi2], a3 = a[pa + asi3];
    c00 += a0 * b0; c01 += a0 * b1; c10 += a1 * b0; c11 += a1 * b1;
    c20 += a2 * b0; c21 += a2 * b1; c30 += a3 * b0; c31 += a3 * b1;
    pa += asp; pb += bsp;
  }
  const r1 = ci + n, r2 = r1 + n, r3 = r2 + n;
  store(c, ci, c00, alpha, beta); store(c, ci + 1, c01, alpha, beta); store(c, r1, c10, alpha, beta); store(c, r1 + 1, c11, alpha, beta);
  store(c, r2, c20, alpha, beta); store(c, r2 + 1, c21, alpha, beta); store(c, r3, c30, alpha, beta); store(c, r3 + 1, c31, alpha, beta);
}

// Four rows of C against one column: the right-hand edge of a batch that is not a multiple of 4.
function tile4x1(
  a: Float64Array, ai: number, b: Float64Array, bj: number, asi: number, asp: number, bsp: number, _bsj: number, k: number,
  c: Float64Array, ci: number, n: number, alpha: number, beta: number,
): void {
  const asi2 = asi + asi, asi3 = asi2 + asi;
  let c0 = 0, c1 = 0, c2 = 0, c3 = 0;
  let pa = ai, pb = bj;
  for (let p = 0; p < k; p++) {
    const bv = b[pb];
    c0 += a[pa] * bv; c1 += a[pa + asi] * bv; c2 += a[pa + asi2] * bv; c3 += a[pa + asi3] * bv;
    pa += asp; pb += bsp;
  }
  store(c, ci, c0, alpha, beta); store(c, ci + n, c1, alpha, beta);
  store(c, ci + 2 * n, c2, alpha, beta); store(c, ci + 3 * n, c3, alpha, beta);
}

// Two rows against four columns, for the last rows of C.
function tile2x4(
  a: Float64Array, ai: number, b: Float64Array, bj: number, asi: number, asp: number, bsp: number, bsj: number, k: number,
  c: Float64Array, ci: number, n: number, alpha: number, beta: number,
): void {
  const bsj2 = bsj + bsj, bsj3 = bsj2 + bsj;
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let pa = ai, pb = bj;
  for (let p = 0; p < k; p++) {
    const b0 = b[pb], b1 = b[pb + bsj], b2 = b[pb + bsj2], b3 = b[pb + bsj3];
    const a0 = a[pa], a1 = a[pa + asi];
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    pa += asp; pb += bsp;
  }
  const r1 = ci + n;
  store(c, ci, c00, alpha, beta); store(c, ci + 1, c01, alpha, beta); store(c, ci + 2, c02, alpha, beta); store(c, ci + 3, c03, alpha, beta);
  store(c, r1, c10, alpha, beta); store(c, r1 + 1, c11, alpha, beta); store(c, r1 + 2, c12, alpha, beta); store(c, r1 + 3, c13, alpha, beta);
}

function tile2x1(
  a: Float64Array, ai: number, b: Float64Array, bj: number, asi: number, asp: number, bsp: number, _bsj: number, k: number,
  c: Float64Array, ci: number, n: number, alpha: number, beta: number,
): void {
  let c0 = 0, c1 = 0;
  let pa = ai, pb = bj;
  for (let p = 0; p < k; p++) {
    const bv = b[pb];
    c0 += a[pa] * bv; c1 += a[pa + asi] * bv;
    pa += asp; pb += bsp;
  }
  store(c, ci, c0, alpha, beta); store(c, ci + n, c1, alpha, beta);
}

// One row of C against four columns: the bottom edge.
function tile1x4(
  a: Float64Array, ai: number, b: Float64Array, bj: number, _asi: number, asp: number, bsp: number, bsj: number, k: number,
  c: Float64Array, ci: number, alpha: number, beta: number,
): void {
  const bsj2 = bsj + bsj, bsj3 = bsj2 + bsj;
  let c0 = 0, c1 = 0, c2 = 0, c3 = 0;
  let pa = ai, pb = bj;
  for (let p = 0; p < k; p++) {
    const av = a[pa];
    c0 += av * b[pb]; c1 += av * b[pb + bsj]; c2 += av * b[pb + bsj2]; c3 += av * b[pb + bsj3];
    pa += asp; pb += bsp;
  }
  store(c, ci, c0, alpha, beta); store(c, ci + 1, c1, alpha, beta);
  store(c, ci + 2, c2, alpha, beta); store(c, ci + 3, c3, alpha, beta);
}

function tile1x1(
  a: Float64Array, ai: number, b: Float64Array, bj: number, _asi: number, asp: number, bsp: number, _bsj: number, k: number,
  c: Float64Array, ci: number, alpha: number, beta: number,
): void {
  let sum = 0;
  let pa = ai, pb = bj;
  for (let p = 0; p < k; p++) {
    sum += a[pa] * b[pb];
    pa += asp; pb += bsp;
  }
  store(c, ci, sum, alpha, beta);
}

// Columns [from, n) of C for every row: the last one to three columns.
function edgeColumns(
  from: number, m: number, n: number, k: number, alpha: number, a: Float64Array, b: Float64Array, beta: number, c: Float64Array,
  asi: number, asp: number, bsp: number, bsj: number,
): void {
  const m4 = m - (m % 4);
  for (let i = 0; i < m; i += 4) {
    const ai = i * asi, ci = i * n;
    let j = from;
    if (i < m4) {
      // a batch of 10 leaves two columns: one 4×2 tile reads A once for both
      for (; j + 2 <= n; j += 2) tile4x2(a, ai, b, j * bsj, asi, asp, bsp, bsj, k, c, ci + j, n, alpha, beta);
      if (j < n) tile4x1(a, ai, b, j * bsj, asi, asp, bsp, bsj, k, c, ci + j, n, alpha, beta);
    } else {
      let r = i;
      for (; r + 2 <= m; r += 2) for (j = from; j < n; j++) tile2x1(a, r * asi, b, j * bsj, asi, asp, bsp, bsj, k, c, r * n + j, n, alpha, beta);
      if (r < m) for (j = from; j < n; j++) tile1x1(a, r * asi, b, j * bsj, asi, asp, bsp, bsj, k, c, r * n + j, alpha, beta);
    }
  }
}

function gemmTiled(
  transA: boolean, transB: boolean, m: number, n: number, k: number,
  alpha: number, a: Float64Array, b: Float64Array, beta: number, c: Float64Array,
): void {
  const asi = transA ? 1 : k, asp = transA ? m : 1;
  const bsp = transB ? 1 : n, bsj = transB ? k : 1;
  const m4 = m - (m % 4);
  const n4 = n - (n % 4);
  // Copying B into contiguous panels was measured here and gained nothing: the
  // 4×4 loop is bound by arithmetic and register pressure, not by memory.
  for (let i = 0; i < m4; i += 4) {
    const ai = i * asi, ci = i * n;
    for (let j = 0; j < n4; j += 4) tile4x4(a, ai, b, j * bsj, asi, asp, bsp, bsj, k, c, ci + j, n, alpha, beta);
  }
  let i = m4;
  for (; i + 2 <= m; i += 2) {
    for (let j = 0; j < n4; j += 4) tile2x4(a, i * asi, b, j * bsj, asi, asp, bsp, bsj, k, c, i * n + j, n, alpha, beta);
  }
  if (i < m) for (let j = 0; j < n4; j += 4) tile1x4(a, i * asi, b, j * bsj, asi, asp, bsp, bsj, k, c, i * n + j, alpha, beta);
  if (n4 < n) edgeColumns(n4, m, n, k, alpha, a, b, beta, c, asi, asp, bsp, bsj);
}

/** The plain-JavaScript kernel: register-tiled (4×4 with 4×2, 2×4 and smaller edge tiles), allocation-free. */
export const jsKernel: Kernel = { name: "js-tiled", gemm: gemmTiled };

/** A textbook triple loop, kept as the reference the tiled kernel is tested against. */
export const referenceKernel: Kernel = {
  name: "reference",
  gemm(transA, transB, m, n, k, alpha, a, b, beta, c) {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let p = 0; p < k; p++) sum += (transA ? a[p * m + i] : a[i * k + p]) * (transB ? b[j * k + p] : b[p * n + j]);
        store(c, i * n + j, sum, alpha, beta);
      }
    }
  },
};
