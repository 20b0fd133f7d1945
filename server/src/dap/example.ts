/**
 * Step Into's per-example view: one column of the batch at the current point
 * (backprop §6.4: the batched quantities are the examples side by side, and the
 * batched gradients the mean of the examples' own). The update point has no
 * such view: it works on W and b, not on examples.
 */
import { lossValue, type DenseNode, type Matrix, type Stepper } from "../engine/index";
import { quantity, shownMatrix, type Family, type Shown } from "./inspect";
import { column, full } from "./values";

/** How many examples Step Into can go through at the current point; 0 where it has nothing per example. */
export function exampleCount(stepper: Stepper): number {
  const point = stepper.point;
  if (!point || point.kind === "update") return 0;
  return stepper.workspace?.batch ?? 0;
}

/** Column j of a units × m matrix. */
export function columnOf(value: Matrix, j: number): Matrix {
  const values = new Float64Array(value.rows);
  for (let r = 0; r < value.rows; r++) values[r] = value.data[r * value.cols + j];
  return column(values);
}

/** The example's own cost Cₓ (C is the mean of the batch's), once the loss is computed. */
export function exampleCost(stepper: Stepper, j: number): number {
  const ws = stepper.workspace as NonNullable<Stepper["workspace"]>;
  const network = stepper.network;
  const out = network.nodes[network.output];
  const m = ws.batch;
  const a = columnOf({ rows: out.units, cols: m, data: ws.a[out.index] }, j);
  const z = ws.z[out.index] ? columnOf({ rows: out.units, cols: m, data: ws.z[out.index] as Float64Array }, j) : a;
  const y = columnOf({ rows: out.units, cols: m, data: ws.targets }, j);
  return lossValue(network.loss, network.rule, z.data, a.data, y.data, out.units, 1, network.huberDelta);
}

/** BP3/BP4 for example j alone: ∂Cₓ/∂W = δₓ (aₓˡ⁻¹)ᵀ and ∂Cₓ/∂b = δₓ; the batch's are their mean. */
export function exampleGradients(stepper: Stepper, node: DenseNode, j: number): { input: Matrix; dW: Matrix; db: Matrix } {
  const ws = stepper.workspace as NonNullable<Stepper["workspace"]>;
  const m = ws.batch;
  const delta = columnOf({ rows: node.units, cols: m, data: ws.delta[node.index] as Float64Array }, j);
  const input = columnOf({ rows: node.fanIn, cols: m, data: ws.a[node.from] }, j);
  const dW = new Float64Array(node.units * node.fanIn);
  for (let r = 0; r < node.units; r++) for (let c = 0; c < node.fanIn; c++) dW[r * node.fanIn + c] = delta.data[r] * input.data[c];
  return { input, dW: { rows: node.units, cols: node.fanIn, data: dW }, db: delta };
}

const symbol: Partial<Record<Family, string>> = { z: "z", a: "a", delta: "δ" };

export function exampleVariables(stepper: Stepper, j: number): Shown[] {
  const ws = stepper.workspace;
  const point = stepper.point;
  if (!ws || !point) return [];
  const network = stepper.network;
  const m = ws.batch;
  const x = columnOf({ rows: network.nodes[0].units, cols: m, data: ws.a[0] }, j);
  const out = network.nodes[network.output];
  const y = columnOf({ rows: out.units, cols: m, data: ws.targets }, j);
  const shown: Shown[] = [
    { name: "example", value: `${stepper.batchExamples()[j]} (row of the training set), column ${j} of the batch` },
    shownMatrix("x", x, undefined, true),
    shownMatrix("y", y, undefined, true),
  ];
  const node = network.nodes[point.node];
  const columnOfFamily = (family: Family): Matrix | undefined => {
    const q = quantity(stepper, node, family);
    return "value" in q ? columnOf(q.value, j) : undefined;
  };
  if (point.kind !== "input") {
    for (const family of ["z", "a", "delta"] as const) {
      const value = columnOfFamily(family);
      if (value) shown.push(shownMatrix(`${symbol[family]}`, value, undefined, true));
    }
  }
  if (point.kind === "loss") shown.push({ name: "Cₓ", value: full(exampleCost(stepper, j)) });
  if (point.kind === "gradients" && node.kind === "dense") {
    const own = exampleGradients(stepper, node, j);
    shown.push(shownMatrix(`a of ${network.nodes[node.from].name} (the layer's input)`, own.input, undefined, true));
    shown.push(shownMatrix("∂Cₓ/∂W", own.dW, undefined));
    shown.push(shownMatrix("∂Cₓ/∂b", own.db, undefined, true));
  }
  return shown;
}
