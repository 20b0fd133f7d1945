/**
 * Gradient checking (backprop §6.5): every analytic ∂C/∂θ from BP1–BP4 against
 * the central difference (C(θ + ε) − C(θ − ε)) / 2ε, compared by the relative
 * error |a − n| / max(|a|, |n|, tiny). A check whose two perturbed passes put
 * a relu-family unit on different sides of its kink at z = 0 is counted as a
 * kink: there the function is not differentiable and a mismatch is expected.
 * mae's |a − y| has its kink at a = y: a check whose two passes put an
 * output on different sides of its target is counted as a kink too.
 * Dropout layers draw their masks once, for the unperturbed pass; every
 * perturbed pass reuses them, so both sides see the same network.
 * Likewise a check whose two passes put an output activation on different
 * sides of the cross-entropy clip (engine/losses.ts: a tanh or identity output
 * under binary cross-entropy) is counted as a clip hit, not a failure.
 *
 * The central difference cannot resolve a derivative more finely than its
 * rounding noise, about u·|C|/ε (u = 2⁻⁵², C the batch loss): for ε = 1e-7 and
 * C ≈ 1, some 1e-9. So the denominator's floor `tiny` defaults to
 * 8·u·max(|C|, 1)/ε divided by the tolerance: an entry is judged relative to
 * its size, but never more finely than the arithmetic can tell. A wrong
 * formula still shows: it misses by far more than that noise.
 */
import { checkBatchShape } from "./api";
import { clipSide } from "./losses";
import type { Matrix } from "./matrix";
import { toRows } from "./matrix";
import { workspaceFor, type DenseNode, type Network } from "./network";
import { backwardPass, batchLoss, forwardPass } from "./passes";
import { Rng } from "./rng";
import type { Workspace } from "./workspace";

export interface GradcheckOptions {
  epsilon?: number;
  tolerance?: number;
  /** parameters checked per layer and parameter before sampling */
  maxParams?: number;
  seed?: number;
  /** the floor of the relative error's denominator; by default set from the rounding noise (see above) */
  tiny?: number;
  /** told at the start and end of each layer's W and b and every `progressEvery` entries in between */
  onProgress?(progress: GradcheckProgress): void;
  /** polled between entries; true ends the check with GradcheckStopped */
  shouldStop?(): boolean;
}

/** How far a check has got: within one parameter, and over all of them. */
export interface GradcheckProgress {
  layer: string;
  param: "W" | "b";
  /** entries of this parameter checked, of `toCheck` */
  checked: number;
  toCheck: number;
  /** entries checked over every layer and parameter, of `total` */
  done: number;
  total: number;
}

/** Thrown when shouldStop asked the check to end; `progress` is how far it got. */
export class GradcheckStopped extends Error {
  constructor(readonly progress: { done: number; total: number }) {
    super(`the gradient check was stopped after ${progress.done} of ${progress.total} parameters`);
    this.name = "GradcheckStopped";
  }
}

const progressEvery = 32;

interface Tally {
  done: number;
  total: number;
  onProgress?(progress: GradcheckProgress): void;
  shouldStop?(): boolean;
}

/** Structurally the protocol's GradcheckRow, plus the worst non-kink error. */
export interface GradcheckRow {
  layer: string;
  param: "W" | "b";
  maxRelError: number;
  medianRelError: number;
  worst: { row: number; col: number };
  /** parameters whose check straddled a relu-family kink within ±epsilon */
  kinks: number;
  /** parameters whose check moved an output activation across the cross-entropy clip (engine/losses.ts) */
  clips: number;
  checked: number;
  total: number;
  passed: boolean;
  /** the largest error among checks that straddled no kink and hit no clip; `passed` compares this with the tolerance */
  maxRelErrorAwayFromKinks: number;
}

export interface GradcheckReport {
  network: string;
  epsilon: number;
  tolerance: number;
  /** the floor `tiny` of the relative error's denominator that was used */
  tiny: number;
  /** the unperturbed batch loss C */
  loss: number;
  rows: GradcheckRow[];
  passed: boolean;
}

/** The numbers behind one row: the parameter, both gradients and which entries were checked. */
export interface GradcheckRaw {
  layer: string;
  param: "W" | "b";
  rows: number;
  cols: number;
  /** the parameter's values, row-major */
  values: number[];
  /** the full analytic gradient, row-major */
  analytic: number[];
  /** flat indices of the checked entries; numeric, relError, kink and clip follow this order */
  checkedIndices: number[];
  numeric: number[];
  relError: number[];
  kink: boolean[];
  clip: boolean[];
}

export interface GradcheckResult {
  report: GradcheckReport;
  raw: GradcheckRaw[];
  /** the checked batch: x is features × m, y targets × m (one example per column) */
  batch: { x: number[][]; y: number[][] };
  /** each dropout layer's mask, held fixed for every pass of the check: units × m */
  masks: Record<string, number[][]>;
}

const unitRoundoff = 2 ** -52;

type Checked = Required<Omit<GradcheckOptions, "onProgress" | "shouldStop">>;

/** The default floor of the relative error's denominator for a loss C, step ε and tolerance. */
export function defaultTiny(loss: number, epsilon: number, tolerance: number): number {
  return (8 * unitRoundoff * Math.max(Math.abs(loss), 1)) / epsilon / tolerance;
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((p, q) => p - q);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function chooseIndices(total: number, maxParams: number, rng: Rng): number[] {
  const all = Array.from({ length: total }, (_, i) => i);
  if (total <= maxParams) return all;
  rng.shuffle(all);
  return all.slice(0, maxParams).sort((p, q) => p - q);
}

// The signs of every kinked unit's z (and of a − y under mae), to tell whether two passes straddle a kink.
function kinkSigns(network: Network, ws: Workspace, into: Uint8Array): void {
  let k = 0;
  for (const node of network.dense) {
    if (!node.activation.kinked) continue;
    const z = ws.z[node.index] as Float64Array;
    for (let i = 0; i < z.length; i++) into[k++] = z[i] > 0 ? 1 : 0;
  }
  if (network.loss !== "mae") return;
  const a = ws.a[network.output];
  for (let i = 0; i < a.length; i++) into[k++] = a[i] > ws.targets[i] ? 1 : 0;
}

function kinkedSize(network: Network, m: number): number {
  const outputs = network.loss === "mae" ? network.nodes[network.output].units * m : 0;
  return network.dense.reduce((sum, n) => sum + (n.activation.kinked ? n.units * m : 0), outputs);
}

// Each output activation's side of the loss's clip, to tell whether two passes straddle it.
function clipSides(network: Network, ws: Workspace, into: Uint8Array): void {
  const a = ws.a[network.output] as Float64Array;
  for (let i = 0; i < into.length; i++) into[i] = clipSide(network.loss, network.rule, a[i]);
}

interface Probe {
  network: Network;
  ws: Workspace;
  epsilon: number;
  plus: Uint8Array;
  minus: Uint8Array;
  clipPlus: Uint8Array;
  clipMinus: Uint8Array;
}

const differ = (p: Uint8Array, q: Uint8Array): boolean => {
  for (let i = 0; i < p.length; i++) if (p[i] !== q[i]) return true;
  return false;
};

function centralDifference(probe: Probe, values: Float64Array, index: number): { numeric: number; kink: boolean; clip: boolean } {
  const { network, ws, epsilon, plus, minus, clipPlus, clipMinus } = probe;
  const original = values[index];
  const above = original + epsilon;
  const below = original - epsilon;
  values[index] = above;
  forwardPass(network, ws);
  const up = batchLoss(network, ws);
  kinkSigns(network, ws, plus);
  clipSides(network, ws, clipPlus);
  values[index] = below;
  forwardPass(network, ws);
  const down = batchLoss(network, ws);
  kinkSigns(network, ws, minus);
  clipSides(network, ws, clipMinus);
  values[index] = original;
  // divide by the step actually taken: θ ± ε is rounded
  return { numeric: (up - down) / (above - below), kink: differ(plus, minus), clip: differ(clipPlus, clipMinus) };
}

function checkParameter(
  probe: Probe, layer: DenseNode, param: "W" | "b", options: Checked, rng: Rng, tally: Tally,
): { row: GradcheckRow; raw: GradcheckRaw } {
  const values = param === "W" ? layer.weights.data : layer.bias;
  const gradient = param === "W" ? layer.weightGradient.data : layer.biasGradient;
  const cols = param === "W" ? layer.fanIn : 1;
  const analytic = Array.from(gradient);
  const checkedIndices = chooseIndices(values.length, options.maxParams, rng);
  const raw: GradcheckRaw = {
    layer: layer.name, param, rows: layer.units, cols, values: Array.from(values), analytic,
    checkedIndices, numeric: [], relError: [], kink: [], clip: [],
  };
  let worstIndex = checkedIndices[0] ?? 0;
  let worst = -1;
  let worstAway = 0;
  const report = (checked: number): void =>
    tally.onProgress?.({ layer: layer.name, param, checked, toCheck: checkedIndices.length, done: tally.done, total: tally.total });
  report(0);
  for (const [k, index] of checkedIndices.entries()) {
    if (tally.shouldStop?.()) throw new GradcheckStopped({ done: tally.done, total: tally.total });
    if (k > 0 && k % progressEvery === 0) report(k);
    tally.done++;
    const { numeric, kink, clip } = centralDifference(probe, values, index);
    const a = analytic[index];
    const error = Math.abs(a - numeric) / Math.max(Math.abs(a), Math.abs(numeric), options.tiny);
    raw.numeric.push(numeric);
    raw.relError.push(error);
    raw.kink.push(kink);
    raw.clip.push(clip);
    if (!(error <= worst)) { worst = error; worstIndex = index; }
    if (!kink && !clip && !(error <= worstAway)) worstAway = error;
  }
  report(checkedIndices.length);
  const row: GradcheckRow = {
    layer: layer.name, param, maxRelError: Math.max(worst, 0), medianRelError: median(raw.relError),
    worst: { row: Math.floor(worstIndex / cols), col: worstIndex % cols },
    kinks: raw.kink.filter(Boolean).length, clips: raw.clip.filter(Boolean).length, checked: checkedIndices.length, total: values.length,
    passed: worstAway <= options.tolerance, maxRelErrorAwayFromKinks: worstAway,
  };
  return { row, raw };
}

/**
 * Checks every dense layer's W and b on one batch (x: features × m, y: targets × m).
 * The analytic gradients are those of the loss alone, without l2 or l1.
 * Dropout masks are drawn once from the network's dropout stream (seeded by
 * options.seed) and held fixed; the network's dropout mode is off afterwards.
 */
export function gradcheck(network: Network, x: Matrix, y: Matrix, options: GradcheckOptions = {}): GradcheckResult {
  try {
    return checkAll(network, x, y, options);
  } finally {
    network.dropoutMode = "off";
  }
}

function checkAll(network: Network, x: Matrix, y: Matrix, options: GradcheckOptions): GradcheckResult {
  const epsilon = options.epsilon ?? 1e-7;
  const tolerance = options.tolerance ?? 1e-5;
  if (!(epsilon > 0)) throw new Error(`the gradient check's epsilon must be positive, got ${epsilon}`);
  if (!(tolerance > 0)) throw new Error(`the gradient check's tolerance must be positive, got ${tolerance}`);
  checkBatchShape(network, x, y);
  const m = x.cols;
  const ws = workspaceFor(network, m);
  ws.a[0].set(x.data);
  ws.inputRowsCurrent = false;
  ws.targets.set(y.data);
  if (network.hasDropout) {
    network.dropoutRng = Rng.derive(options.seed ?? 1, "dropout");
    network.dropoutMode = "draw";
  }
  forwardPass(network, ws);
  if (network.hasDropout) network.dropoutMode = "fixed";
  const loss = batchLoss(network, ws);
  if (!Number.isFinite(loss)) throw new Error(`the loss of the checked batch is ${loss}; the gradient check needs a finite loss`);
  backwardPass(network, ws);
  const full: Checked = {
    epsilon, tolerance, maxParams: options.maxParams ?? 2000, seed: options.seed ?? 1,
    tiny: options.tiny ?? defaultTiny(loss, epsilon, tolerance),
  };
  const kinked = kinkedSize(network, m);
  const outputs = network.nodes[network.output].units * m;
  const probe: Probe = {
    network, ws, epsilon, plus: new Uint8Array(kinked), minus: new Uint8Array(kinked), clipPlus: new Uint8Array(outputs), clipMinus: new Uint8Array(outputs),
  };
  const rng = Rng.derive(full.seed, "gradcheck-sample");
  const rows: GradcheckRow[] = [];
  const raw: GradcheckRaw[] = [];
  const total = network.dense.reduce((sum, layer) => sum + Math.min(layer.weights.data.length, full.maxParams) + Math.min(layer.bias.length, full.maxParams), 0);
  const tally: Tally = { done: 0, total, ...(options.onProgress ? { onProgress: options.onProgress } : {}), ...(options.shouldStop ? { shouldStop: options.shouldStop } : {}) };
  for (const layer of network.dense) {
    for (const param of ["W", "b"] as const) {
      const checked = checkParameter(probe, layer, param, full, rng, tally);
      rows.push(checked.row);
      raw.push(checked.raw);
    }
  }
  // leave the caches as the unperturbed pass left them, for hovers and inspection
  forwardPass(network, ws);
  backwardPass(network, ws);
  const report = { network: network.name, epsilon, tolerance, tiny: full.tiny, loss, rows, passed: rows.every((r) => r.passed) };
  const masks: Record<string, number[][]> = {};
  for (const node of network.nodes) {
    if (node.kind === "dropout") masks[node.name] = toRows({ rows: node.units, cols: m, data: ws.mask[node.index] as Float64Array });
  }
  return { report, raw, batch: { x: toRows(x), y: toRows(y) }, masks };
}
