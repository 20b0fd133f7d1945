/**
 * What a stop shows: the name of each point as the algorithm says it, the
 * quantities of each layer with what the current point has and has not yet
 * computed, the batch, the loss, the optimizer, and the names expressions
 * read. Plain data; the session turns it into DAP variables.
 */
import type { Matrix, NetworkNode, PlanPoint, Stepper } from "../engine/index";
import { functionNames } from "../language/index";
import { column, full, rowText, summary, type Value } from "./values";

/** One line of the Variables view; `children` expand it, `count` from `start` of them when the client pages. */
export interface Shown {
  name: string;
  value: string;
  evaluateName?: string;
  children?: (start: number, count: number) => Shown[];
  /** how many children, when they form an indexed list (the rows of a matrix, the entries of a row) */
  indexed?: number;
}

// The indices start…start+count (clipped to size), for building only the page the client asks for.
const range = (size: number, start: number, count: number): number[] => {
  const from = Math.min(Math.max(0, start), size);
  return Array.from({ length: Math.min(size, from + count) - from }, (_, i) => from + i);
};

export function pointName(stepper: Stepper, point: PlanPoint): string {
  const network = stepper.network;
  const name = network.nodes[point.node].name;
  switch (point.kind) {
    case "input": return `input ${name}`;
    case "z": return `z at ${name}`;
    case "a": return `a at ${name}`;
    case "loss": return "loss C";
    case "delta":
      if (!network.reachesOutput[point.node]) return `δ = 0 at ${name}`;
      return `${point.node === network.output ? "BP1" : "BP2"} at ${name}`;
    case "gradients": return `BP3/BP4 at ${name}`;
    case "update": return `update at ${name}`;
  }
}

export const families = ["W", "b", "z", "a", "delta", "dW", "db", "ΔW", "Δb", "mask"] as const;
export type Family = (typeof families)[number];

const label: Record<Family, string> = { W: "W", b: "b", z: "z", a: "a", delta: "δ", dW: "∂C/∂W", db: "∂C/∂b", ΔW: "ΔW", Δb: "Δb", mask: "mask" };
const vectors = new Set<Family>(["b", "db", "Δb"]);

// The point of the current step whose run fills a quantity (W and b exist at every point).
const producer: Record<Family, PlanPoint["kind"] | undefined> = {
  W: undefined, b: undefined, z: "z", a: "a", delta: "delta", dW: "gradients", db: "gradients", ΔW: "update", Δb: "update", mask: "a",
};

function has(node: NetworkNode, family: Family): boolean {
  if (family === "mask") return node.kind === "dropout";
  if (node.kind === "input") return family === "a";
  if (node.kind === "dense") return true;
  return family === "a" || family === "delta";
}

/** `later`: the quantity exists but the current step has not computed it yet */
export type Quantity = { value: Matrix } | { missing: string; later?: boolean };

/** A layer's quantity at the current point, or why it has none. */
export function quantity(stepper: Stepper, node: NetworkNode, family: Family): Quantity {
  const where = `${family}.${node.name}`;
  if (!has(node, family)) {
    return { missing: node.kind === "input" ? `the input has only a (${node.name} = x)` : `${node.kind} layer '${node.name}' has no ${label[family]}` };
  }
  const kind = producer[family];
  if (kind && !stepper.computed(kind, node.index)) {
    const at = stepper.pointOf(kind, node.index);
    return { missing: `not yet computed in this step${at !== undefined ? ` (${pointName(stepper, stepper.plan[at])} computes it)` : ""}`, later: true };
  }
  const ws = stepper.workspace;
  if (!ws) return { missing: `${where} is not computed yet`, later: true };
  const m = ws.batch;
  const matrix = (rows: number, cols: number, data: Float64Array): Matrix => ({ rows, cols, data: data.slice() });
  if (family === "a") return { value: matrix(node.units, m, ws.a[node.index]) };
  if (family === "delta") return { value: matrix(node.units, m, ws.delta[node.index] as Float64Array) };
  if (family === "mask") return { value: matrix(node.units, m, ws.mask[node.index] as Float64Array) };
  if (node.kind !== "dense") return { missing: `${where} does not exist` };
  const l = stepper.network.dense.indexOf(node);
  const difference = (now: Float64Array, before: Float64Array): Float64Array => now.map((v, i) => v - before[i]);
  switch (family) {
    case "W": return { value: matrix(node.units, node.fanIn, node.weights.data) };
    case "b": return { value: column(node.bias.slice()) };
    case "z": return { value: matrix(node.units, m, ws.z[node.index] as Float64Array) };
    case "dW": return { value: matrix(node.units, node.fanIn, node.weightGradient.data) };
    case "db": return { value: column(node.biasGradient.slice()) };
    case "ΔW": return { value: { rows: node.units, cols: node.fanIn, data: difference(node.weights.data, stepper.before[l].W) } };
    case "Δb": return { value: column(difference(node.bias, stepper.before[l].b)) };
  }
}

/** A matrix as a line with its shape and norm, expanding to rows and then entries (a vector straight to entries). */
export function shownMatrix(name: string, value: Matrix, evaluateName: string | undefined, vector = false): Shown {
  const entry = (r: number, c: number, text: string): Shown => ({
    name: text, value: full(value.data[r * value.cols + c]),
    ...(evaluateName ? { evaluateName: vector ? `${evaluateName}[${r}]` : `${evaluateName}[${r}, ${c}]` } : {}),
  });
  const children = (start: number, count: number): Shown[] => {
    if (vector) return range(value.rows, start, count).map((r) => entry(r, 0, `[${r}]`));
    return range(value.rows, start, count).map((r) => ({
      name: `[${r}]`, value: rowText(value, r), indexed: value.cols,
      ...(evaluateName ? { evaluateName: `${evaluateName}[${r}]` } : {}),
      children: (from: number, n: number) => range(value.cols, from, n).map((c) => entry(r, c, `[${r}][${c}]`)),
    }));
  };
  return {
    name, value: summary(value, vector), ...(evaluateName ? { evaluateName } : {}),
    ...(value.data.length > 0 ? { children, indexed: value.rows } : {}),
  };
}

export function layerVariables(stepper: Stepper, node: NetworkNode): Shown[] {
  const shown: Shown[] = [];
  for (const family of families) {
    if (!has(node, family)) continue;
    if ((family === "ΔW" || family === "Δb") && !stepper.computed("update", node.index)) continue;
    const q = quantity(stepper, node, family);
    const evaluateName = family.startsWith("Δ") ? undefined : `${family}.${node.name}`;
    if ("missing" in q) shown.push({ name: label[family], value: q.missing });
    else shown.push(shownMatrix(label[family], q.value, evaluateName, vectors.has(family)));
  }
  if (node.kind === "dropout") {
    // the mask exists only while training; evaluation, validation and predictions pass a through
    const keep = 1 / (1 - node.rate);
    shown.push({ name: "rate", value: `${node.rate}: each unit of each example is dropped (mask 0) with this probability, else kept and scaled (mask ${full(keep)})` });
    shown.push({ name: "at evaluation", value: "off: a = a of its input (the mask is all 1), for validation, nnet evaluate and predictions" });
  }
  return shown;
}

export function batchVariables(stepper: Stepper): Shown[] {
  const ws = stepper.workspace;
  if (!ws) return [];
  const input = stepper.network.nodes[0];
  const out = stepper.network.nodes[stepper.network.output];
  const examples = stepper.batchExamples();
  return [
    shownMatrix("x", { rows: input.units, cols: ws.batch, data: ws.a[0].slice() }, "x"),
    shownMatrix("y", { rows: out.units, cols: ws.batch, data: ws.targets.slice() }, "y"),
    { name: "m", value: String(ws.batch), evaluateName: "m" },
    { name: "examples", value: `[${Array.from(examples.slice(0, 8)).join(", ")}${examples.length > 8 ? ", …" : ""}]` },
  ];
}

export function lossVariables(stepper: Stepper): Shown[] {
  const ws = stepper.workspace;
  const network = stepper.network;
  const out = network.nodes[network.output];
  const shown: Shown[] = [];
  shown.push(stepper.computed("loss", network.output)
    ? { name: "C", value: String(stepper.loss), evaluateName: "C" }
    : { name: "C", value: "not yet computed in this step (loss C computes it)" });
  shown.push({ name: "loss", value: network.loss });
  const a = quantity(stepper, out, "a");
  shown.push("missing" in a ? { name: "aᴸ", value: a.missing } : shownMatrix("aᴸ", a.value, `a.${out.name}`));
  if (ws) shown.push(shownMatrix("y", { rows: out.units, cols: ws.batch, data: ws.targets.slice() }, "y"));
  return shown;
}

/** The names and functions an expression may use that start with `prefix`, for the Debug Console's completion. */
export function completions(stepper: Stepper, prefix: string): string[] {
  const nodes = stepper.network.nodes;
  const qualified = families.filter((f) => !f.startsWith("Δ"))
    .flatMap((f) => nodes.filter((n) => has(n, f)).map((n) => `${f}.${n.name}`));
  // the hover's equations by name: BP1 at the output, BP2 at every other layer, BP3/BP4 where there are parameters
  const layers = nodes.slice(1);
  const output = nodes[stepper.network.output];
  const equations = [
    "bp1",
    ...layers.filter((n) => n !== output).map((n) => `bp2.${n.name}`),
    ...layers.filter((n) => n.kind === "dense").flatMap((n) => [`bp3.${n.name}`, `bp4.${n.name}`]),
  ];
  const names = [
    ...qualified, ...nodes.map((n) => n.name), "x", "y", "m", "C", "lr", "step", "epoch", ...equations, "example(", ...functionNames.map((f) => `${f}(`),
  ];
  return [...new Set(names)].filter((name) => name.startsWith(prefix) && name !== prefix);
}

/** A value for the Debug Console or a logpoint: a number in full, a matrix by shape and norm. */
export function valueText(value: Value): string {
  return typeof value === "number" ? full(value) : summary(value);
}

