/**
 * The running sums of one epoch that its metrics average, one definition for
 * `train` and the debugger's `Stepper`: the loss, the correct count, and per
 * node ‖∂C/∂W‖ and |δ|. The editor's vanishing/exploding warning reads the
 * epoch's mean ‖∂C/∂W‖ (language/ide), and the debugger's filter reads the
 * same mean from the same sums, so both judge the same numbers.
 */
import type { Network } from "./network";

/**
 * Σg² in four running sums, element i into sum i mod 4, then (s0 + s1) + (s2 + s3):
 * the order of the optimizer's SIMD lanes (elementwise.wat), so that every path
 * gives the same bits, and four chains of additions rather than one.
 */
export function squaredNorm(g: Float64Array): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  const n = g.length, n4 = n - (n % 4);
  let i = 0;
  for (; i < n4; i += 4) {
    s0 += g[i] * g[i]; s1 += g[i + 1] * g[i + 1]; s2 += g[i + 2] * g[i + 2]; s3 += g[i + 3] * g[i + 3];
  }
  if (i < n) s0 += g[i] * g[i];
  if (i + 1 < n) s1 += g[i + 1] * g[i + 1];
  if (i + 2 < n) s2 += g[i + 2] * g[i + 2];
  return (s0 + s1) + (s2 + s3);
}

/** ‖g‖ as the optimizer measures it while it updates (optimizers.ts), so the bits agree with it. */
export function gradientNorm(gradient: Float64Array): number {
  return Math.sqrt(squaredNorm(gradient));
}

export class EpochTotals {
  loss = 0;
  correct = 0;
  batches = 0;
  /** per node index: Σ over the epoch's batches of ‖∂C/∂W‖ (dense nodes only) */
  readonly gradNorm: Float64Array;
  /** per node index: Σ |δ| over the epoch's batches */
  readonly absDelta: Float64Array;

  constructor(network: Network) {
    this.gradNorm = new Float64Array(network.nodes.length);
    this.absDelta = new Float64Array(network.nodes.length);
  }

  reset(): void {
    this.loss = this.correct = this.batches = 0;
    this.gradNorm.fill(0);
    this.absDelta.fill(0);
  }

  /** One batch's ‖∂C/∂W‖ per dense layer (`norms[l]` for network.dense[l]), as the optimizer measured them. */
  addGradientNorms(network: Network, norms: ArrayLike<number>): void {
    for (let l = 0; l < network.dense.length; l++) this.gradNorm[network.dense[l].index] += norms[l];
  }

  /**
   * ‖∂C/∂W‖ of a dense node averaged over the epoch's batches so far; with `pending`, also over one
   * more batch whose norm that is (the debugger's current batch, before its update has counted it).
   */
  meanGradNorm(node: number, pending?: number): number {
    return pending === undefined ? this.gradNorm[node] / this.batches : (this.gradNorm[node] + pending) / (this.batches + 1);
  }
}
