/**
 * The forward and backward passes over a workspace (backprop §6.1, batched as
 * in §6.4). Nothing here allocates.
 */
import { lossGradient, lossValue, outputDelta } from "./losses";
import type { DenseNode, DropoutNode, JoinNode, Network } from "./network";
import type { Workspace } from "./workspace";

function weightedInput(network: Network, node: DenseNode, ws: Workspace): void {
  const m = ws.batch;
  const z = ws.z[node.index] as Float64Array;
  if (!network.kernel.vector?.fillRows(node.bias, m, z)) for (let j = 0; j < node.units; j++) z.fill(node.bias[j], j * m, (j + 1) * m);
  // z = W a_from + b 𝟏ᵀ
  network.kernel.gemm(false, false, node.units, m, node.fanIn, 1, node.weights.data, ws.a[node.from], 1, z);
}

function activate(network: Network, node: DenseNode, ws: Workspace): void {
  const z = ws.z[node.index] as Float64Array;
  const a = ws.a[node.index];
  if (a === z) return;
  if (network.kernel.vector?.activate(node.activation, z, a, node.units, ws.batch)) return;
  node.activation.forward(z, a, node.units, ws.batch);
}

function forwardJoin(network: Network, node: JoinNode, ws: Workspace): void {
  const a = ws.a[node.index];
  const m = ws.batch;
  if (node.kind === "concat") {
    node.from.forEach((f, part) => a.set(ws.a[f], node.offsets[part] * m));
    return;
  }
  a.set(ws.a[node.from[0]]);
  for (let p = 1; p < node.from.length; p++) {
    const operand = ws.a[node.from[p]];
    if (!network.kernel.vector?.addInto(operand, a)) for (let i = 0; i < a.length; i++) a[i] += operand[i];
  }
}

// Inverted dropout: keep with probability 1 − p, scaled by 1/(1 − p), so the
// expected activation equals the evaluation-time one.
function forwardDropout(network: Network, node: DropoutNode, ws: Workspace): void {
  const a = ws.a[node.index];
  const source = ws.a[node.from];
  const mask = ws.mask[node.index] as Float64Array;
  if (network.dropoutMode === "off") {
    mask.fill(1);
    a.set(source);
    return;
  }
  const vector = network.kernel.vector;
  if (network.dropoutMode === "draw") {
    const keep = 1 / (1 - node.rate);
    if (!vector?.dropoutMask(network.dropoutRng, mask, node.rate, keep)) {
      for (let i = 0; i < mask.length; i++) mask[i] = network.dropoutRng.next() < node.rate ? 0 : keep;
    }
  }
  if (!vector?.product(mask, source, a)) for (let i = 0; i < a.length; i++) a[i] = mask[i] * source[i];
}

/** The first half of a dense node's forward step (n ≥ 1): z = W a + b. Nothing for other nodes. */
export function forwardWeighted(network: Network, n: number, ws: Workspace): void {
  const node = network.nodes[n];
  if (node.kind === "dense") weightedInput(network, node, ws);
}

/** The second half (n ≥ 1): a = σ(z) for dense, the sum or stack of the operands for add and concat, m ⊙ a_from for dropout. */
export function forwardActivation(network: Network, n: number, ws: Workspace): void {
  const node = network.nodes[n];
  if (node.kind === "dense") activate(network, node, ws);
  else if (node.kind === "dropout") forwardDropout(network, node, ws);
  else if (node.kind !== "input") forwardJoin(network, node, ws);
}

/** One node of the forward pass (n ≥ 1); the debugger runs the two halves as separate points. */
export function forwardNode(network: Network, n: number, ws: Workspace): void {
  forwardWeighted(network, n, ws);
  forwardActivation(network, n, ws);
}

/** Runs the forward pass on ws.a[0] (the input batch), caching z and a; `inputDone` runs once a[0] is no longer read. */
export function forwardPass(network: Network, ws: Workspace, inputDone?: () => void): void {
  for (let n = 1; n < network.nodes.length; n++) {
    forwardNode(network, n, ws);
    if (n === network.lastInputReader) inputDone?.();
  }
  network.last = ws;
}

/** C for the targets in ws.targets, after forwardPass. */
export function batchLoss(network: Network, ws: Workspace): number {
  const out = network.output;
  const a = ws.a[out];
  const z = ws.z[out] ?? a;
  return lossValue(network.loss, network.rule, z, a, ws.targets, network.nodes[out].units, ws.batch, network.huberDelta, network.kernel.vector);
}

// BP1 in WebAssembly where the kernel holds the arrays: the fused pairs, and ∇ₐC of mse, mae and huber before σ′; false leaves it to outputDelta
function vectorOutputDelta(network: Network, node: DenseNode, z: Float64Array, ws: Workspace, delta: Float64Array): boolean {
  const vector = network.kernel.vector;
  const a = ws.a[node.index];
  if (!vector) return false;
  if (network.rule === "fused-softmax-cross-entropy") return vector.softmaxDelta(a, ws.targets, delta, node.units, ws.batch);
  if (network.rule === "fused-sigmoid-binary-cross-entropy") return vector.difference(a, ws.targets, delta);
  if (!vector.lossGradient(network.loss, a, ws.targets, delta, network.huberDelta)) return false;
  if (!vector.slope(node.activation, z, a, delta, delta, node.units, ws.batch)) node.activation.backward(z, a, delta, delta, node.units, ws.batch);
  return true;
}

function seedOutputDelta(network: Network, ws: Workspace): void {
  const node = network.nodes[network.output];
  const delta = ws.delta[node.index] as Float64Array;
  if (node.kind === "dense") {
    const z = ws.z[node.index] as Float64Array;
    if (vectorOutputDelta(network, node, z, ws, delta)) return;
    outputDelta(network.loss, network.rule, node.activation, z, ws.a[node.index], ws.targets, delta, node.units, ws.batch, network.huberDelta);
  } else if (!network.kernel.vector?.lossGradient(network.loss, ws.a[node.index], ws.targets, delta, network.huberDelta)) {
    lossGradient(network.loss, ws.a[node.index], ws.targets, delta, delta.length, network.huberDelta);
  }
}

// BP2's sum over successors: each incoming edge adds its contribution to ∂C/∂a.
function gatherSuccessors(network: Network, n: number, ws: Workspace): void {
  const delta = ws.delta[n] as Float64Array;
  const edges = network.incoming[n];
  const m = ws.batch;
  for (let e = 0; e < edges.length; e++) {
    const edge = edges[e];
    const succ = network.nodes[edge.successor];
    if (succ.kind === "dense") {
      // (W^succ)ᵀ Δ^succ
      network.kernel.gemm(true, false, succ.fanIn, m, succ.units, 1, succ.weights.data, ws.delta[succ.index] as Float64Array, edge.overwrite ? 0 : 1, delta);
    } else {
      const carried = ws.edgeDelta[n][e];
      if (edge.overwrite) delta.set(carried);
      else if (!network.kernel.vector?.addInto(carried, delta)) for (let i = 0; i < delta.length; i++) delta[i] += carried[i];
    }
  }
}

// BP3 and BP4, batched: ∂C/∂W = (1/m) Δ Aᵀ, ∂C/∂b = (1/m) Δ 𝟏.
function parameterGradients(network: Network, node: DenseNode, ws: Workspace): void {
  const m = ws.batch;
  const delta = ws.delta[node.index] as Float64Array;
  // a[0]ᵀ is already at hand as the loader's rows: the same numbers in the same order, with nothing to transpose
  if (node.from === 0 && ws.inputRowsCurrent) network.kernel.gemm(false, false, node.units, node.fanIn, m, 1 / m, delta, ws.inputRows, 0, node.weightGradient.data);
  else network.kernel.gemm(false, true, node.units, node.fanIn, m, 1 / m, delta, ws.a[node.from], 0, node.weightGradient.data);
  if (network.kernel.vector?.rowMeans(delta, m, node.biasGradient)) return;
  for (let j = 0; j < node.units; j++) {
    let sum = 0;
    for (let c = j * m, end = c + m; c < end; c++) sum += delta[c];
    node.biasGradient[j] = sum / m;
  }
}

/** δ of node n (n ≥ 1): BP1 at the output, BP2 elsewhere, 0 where no path reaches the output. */
export function backwardDelta(network: Network, n: number, ws: Workspace): void {
  const node = network.nodes[n];
  const delta = ws.delta[n] as Float64Array;
  if (!network.reachesOutput[n]) {
    delta.fill(0);
  } else if (n === network.output) {
    seedOutputDelta(network, ws);
  } else {
    gatherSuccessors(network, n, ws);
    // δ = (Σ contributions) ⊙ σ′(z); through dropout, ⊙ its mask
    if (node.kind === "dense") {
      const z = ws.z[n] as Float64Array;
      if (!network.kernel.vector?.slope(node.activation, z, ws.a[n], delta, delta, node.units, ws.batch)) node.activation.backward(z, ws.a[n], delta, delta, node.units, ws.batch);
    } else if (node.kind === "dropout") {
      const mask = ws.mask[n] as Float64Array;
      if (!network.kernel.vector?.product(mask, delta, delta)) for (let i = 0; i < delta.length; i++) delta[i] *= mask[i];
    }
  }
}

/** BP3 and BP4 of node n, after its δ; nothing for add and concat. */
export function backwardParameters(network: Network, n: number, ws: Workspace): void {
  const node = network.nodes[n];
  if (node.kind === "dense") parameterGradients(network, node, ws);
}

/** BP1 at the output, BP2 back through the DAG, BP3/BP4 for every dense node. */
export function backwardPass(network: Network, ws: Workspace): void {
  for (let n = network.output; n > 0; n--) {
    backwardDelta(network, n, ws);
    backwardParameters(network, n, ws);
  }
}
