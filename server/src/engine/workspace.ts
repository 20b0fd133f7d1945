/**
 * The buffers one batch size needs: z, a and δ per node (n×m each, batch as
 * columns, backprop §6.4) and the targets. The forward pass caches z and a here
 * for the backward pass (backprop §6.1). The last, partial batch of an epoch has
 * its own workspace.
 */
import { transposeInto } from "./matrix";
import type { Network } from "./network";

export interface Workspace {
  batch: number;
  /** z per dense node (null for input, add, concat) */
  z: (Float64Array | null)[];
  /** a per node; a[0] is the input batch. An identity layer's a is its z. */
  a: Float64Array[];
  /** δ = ∂C/∂z per node (∂C/∂a for add and concat, whose z is a; for dropout ∂C/∂a_from, the mask applied); null for the input */
  delta: (Float64Array | null)[];
  /** per dropout node, its mask m (0 or 1/(1 − p) per unit and example); null for the others */
  mask: (Float64Array | null)[];
  /** per node and incoming edge: the rows of the successor's δ that edge carries */
  edgeDelta: Float64Array[][];
  targets: Float64Array;
  /**
   * The input batch as rows (example × feature), a[0] transposed, as the batch
   * loader gathers it: BP4 of a layer on the input reads it as it is rather
   * than transposing a[0]. Only while `inputRowsCurrent`: whatever else writes
   * a[0] clears that.
   */
  inputRows: Float64Array;
  inputRowsCurrent: boolean;
  /** where the next batch's rows are copied while BP4 still reads these (batches.ts); made on first use */
  spareRows?: Float64Array;
}

export function buildWorkspace(network: Network, m: number): Workspace {
  const z: (Float64Array | null)[] = [];
  const a: Float64Array[] = [];
  const delta: (Float64Array | null)[] = [];
  const mask: (Float64Array | null)[] = [];
  for (const node of network.plan.nodes) {
    mask.push(node.kind === "dropout" ? network.allocate(node.units * m).fill(1) : null);
    const size = node.units * m;
    if (node.kind === "dense") {
      const weighted = network.allocate(size);
      z.push(weighted);
      a.push(node.cachesZ ? network.allocate(size) : weighted);
    } else {
      z.push(null);
      a.push(network.allocate(size));
    }
    delta.push(node.kind === "input" ? null : network.allocate(size));
  }
  const edgeDelta = network.incoming.map((edges) =>
    edges.map((edge) => (delta[edge.successor] as Float64Array).subarray(edge.start * m, edge.end * m)),
  );
  const targets = network.allocate(network.nodes[network.output].units * m);
  const inputRows = network.allocate(network.nodes[0].units * m);
  return { batch: m, z, a, delta, mask, edgeDelta, targets, inputRows, inputRowsCurrent: false };
}

/** a⁰ from the input rows (ws.batch × features): their transpose, in the kernel's own code where it has it. */
export function inputColumns(network: Network, ws: Workspace): void {
  const features = network.nodes[0].units;
  if (!network.kernel.vector?.transpose(ws.inputRows, ws.batch, features, ws.a[0])) transposeInto(ws.inputRows, ws.batch, features, ws.a[0]);
}
