/** The hover of a layer: its forward equations and its backward pass (backprop §1, §5, §6.2, §6.4). */
import type { LayerSpec, NetworkSpec } from "../../../engine/index";
import {
  type LayerGraph, type LayerDeltas, activationSymbol, escapeMarkdown, layerDeltas, graphOf, lossGradientDefinition, predecessors, realSpace,
  countText, renderExpr, superscript, mentions,
} from "../../formula/index";
import type { Expr } from "../../formula/index";
import type { RunRecord } from "../run";
import { formatNumber, lastRunLines } from "./run";
import { outputReading, slopeReading } from "./reading";

const HOVER_OPTIONS = { maxFactors: 14 };
const targetSumNote = (output: string): string =>
  `Σⱼyⱼ: the sum of the example's targets; it is 1 for one-hot or distribution targets, where ${math(output, "a")}·Σⱼyⱼ − y reduces to ${math(output, "a")} − y`;
const MAX_PATHS = 4;

const math = (name: string, symbol: string): string => `${symbol}${superscript(name)}`;
const code = (text: string): string => `\`${text.replace(/`/g, "")}\``;

/** a of a layer's source: x for the input, aˡ otherwise. */
function sourceSymbol(graph: LayerGraph, name: string): string {
  return name === graph.spec.input.name ? "x" : math(name, "a");
}

function partsNote(graph: LayerGraph, source: string): string {
  const layer = graph.layer.get(source);
  if (!layer || layer.kind === "dense" || layer.kind === "dropout") return "";
  const sizes = layer.from.map((part) => `${graph.units.get(part) ?? "?"} (${code(part)})`);
  return layer.kind === "concat" ? ` — ${layer.units} = ${sizes.join(" + ")}` : ` — ${layer.units} units, ${sizes.join(" = ")}`;
}

function forwardLines(graph: LayerGraph, layer: LayerSpec): string[] {
  const a = math(layer.name, "a");
  if (layer.kind === "dropout") {
    const m = math(layer.name, "m");
    const keep = formatNumber(1 / (1 - layer.rate));
    return [
      `training: ${a} = ${m} ⊙ ${sourceSymbol(graph, layer.from)} ∈ ${realSpace(layer.units)}, each ${m}ᵢ = 1/(1 − p) = ${keep} with probability 1 − p, else 0 (p = ${layer.rate}, a fresh mask per batch from the run's seed)`,
      `evaluation, validation and prediction: ${a} = ${sourceSymbol(graph, layer.from)} (inverted dropout: no rescaling needed)`,
    ];
  }
  if (layer.kind === "add") {
    return [`${a} = ${layer.from.map((part) => sourceSymbol(graph, part)).join(" + ")} ∈ ${realSpace(layer.units)} (no parameters, no activation)`];
  }
  if (layer.kind === "concat") {
    const sizes = layer.from.map((part) => graph.units.get(part) ?? 0).join(" + ");
    return [`${a} = [${layer.from.map((part) => sourceSymbol(graph, part)).join("; ")}] ∈ ${realSpace(layer.units)}, ${layer.units} = ${sizes} (stacked, no parameters)`];
  }
  const fanIn = graph.units.get(layer.from) ?? 0;
  const z = math(layer.name, "z");
  const sigma = activationSymbol(layer.activation);
  return [
    `${z} = ${math(layer.name, "W")} ${sourceSymbol(graph, layer.from)} + ${math(layer.name, "b")}, with ${math(layer.name, "W")} ∈ ${realSpace(layer.units, fanIn)}${partsNote(graph, layer.from)}, ${math(layer.name, "b")} ∈ ${realSpace(layer.units)}`,
    `${a} = ${sigma}(${z})`,
  ];
}

function successorNote(graph: LayerGraph, layer: LayerSpec): string {
  const edges = graph.successors.get(layer.name) ?? [];
  if (edges.length === 0) return "this layer does not reach the output, so δ = 0 and it does not learn";
  if (edges.length === 1) return `one outgoing edge, to ${code(edges[0]!.to.name)}`;
  return `the sum over its ${edges.length} outgoing edges, to ${edges.map((edge) => code(edge.to.name)).join(", ")}`;
}

// The engine takes log aᴸ only inside the clip; outside it the loss is flat, so its gradient is 0 (engine/losses.ts).
function clipNote(loss: "cross_entropy" | "binary_cross_entropy", a: string): string {
  const range = loss === "cross_entropy" ? "below 10⁻¹²" : "outside (10⁻¹², 1 − 10⁻¹²)";
  return `where ${a} is ${range}, the loss clips it and is flat there, so ∇ₐC = 0 (an activation that stays inside (0, 1) never reaches the clip)`;
}

function backwardLines(graph: LayerGraph, layer: LayerSpec, deltas: LayerDeltas): string[] {
  const lines = [`${math(layer.name, "δ")} = ${renderExpr(deltas.delta, HOVER_OPTIONS)}`];
  if (deltas.lossGradient) lines.push(`∇ₐC = ${renderExpr(deltas.lossGradient)}`);
  if (mentions(deltas.delta, "softmaxJacobianT")) lines.push(`${math(layer.name, "J")} = diag(${math(layer.name, "a")}) − ${math(layer.name, "a")} (${math(layer.name, "a")})ᵀ, the softmax Jacobian`);
  if (mentions(deltas.delta, "rows")) lines.push("[i..j]: the rows of a concatenation's δ that belong to this operand");
  if (mentions(deltas.delta, "mask")) lines.push(`${math(layer.name, "m")}: the same mask as the forward pass, so δ flows only through the units that were kept (scaled by 1/(1 − p)); 1 at evaluation`);
  if (deltas.lossGradient && (graph.spec.loss === "cross_entropy" || graph.spec.loss === "binary_cross_entropy")) lines.push(clipNote(graph.spec.loss, math(layer.name, "a")));
  if (deltas.lossGradient && mentions(deltas.lossGradient, "sign")) lines.push("sign(0) = 0: at aᴸ = y the loss has a kink and this is a subgradient (the gradient check flags it)");
  if (mentions(deltas.delta, "targetSum")) lines.push(targetSumNote(layer.name));
  if (!deltas.output) lines.push(`_${successorNote(graph, layer)}_`);
  return lines;
}

function gradientLines(layer: LayerSpec, deltas: LayerDeltas): string[] {
  if (!deltas.bp3 || !deltas.bp4) return ["no parameters: this layer only routes δ to its operands"];
  const db = `∂C/∂${math(layer.name, "b")}`;
  const dW = `∂C/∂${math(layer.name, "W")}`;
  return [
    `BP3: ${db} = ${renderExpr(deltas.bp3.single)} · batch of m: ${db} = ${renderExpr(deltas.bp3.batched)}`,
    `BP4: ${dW} = ${renderExpr(deltas.bp4.single)} · batch of m: ${dW} = ${renderExpr(deltas.bp4.batched)}`,
  ];
}

function shapeLine(graph: LayerGraph, layer: LayerSpec): string {
  const n = layer.units;
  const delta = `${math(layer.name, "δ")} ∈ ${realSpace(n)}, ${math(layer.name, "Δ")} ∈ ${realSpace(n)}ˣᵐ`;
  if (layer.kind !== "dense") return delta;
  const fanIn = graph.units.get(layer.from) ?? 0;
  return `${math(layer.name, "W")}, ∂C/∂${math(layer.name, "W")} ∈ ${realSpace(n, fanIn)} · ${math(layer.name, "b")}, ∂C/∂${math(layer.name, "b")} ∈ ${realSpace(n)} · ${delta}`;
}

function unrolledLines(graph: LayerGraph, layer: LayerSpec, deltas: LayerDeltas): string[] {
  if (deltas.paths === 0) return [];
  const heading = deltas.paths === 1 ? "" : ` — the sum over its ${countText(deltas.paths)} paths to the output`;
  const lines = [`${math(layer.name, "δ")} = ${renderExpr(deltas.unrolled, HOVER_OPTIONS)}${heading}`];
  if (mentions(deltas.unrolled, "slopeMatrix")) lines.push("with Sˡ = diag(σ′(zˡ)), the slopes of each layer");
  if (mentions(deltas.unrolled, "maskMatrix")) lines.push("and diag(mˡ), each dropout layer's mask");
  const output = deltas.output ? undefined : graph.output;
  if (output && mentions(deltas.unrolled, "targetSum")) lines.push(targetSumNote(output.name));
  if (output && mentions(deltas.unrolled, "lossGradient")) lines.push(`and ∇ₐC = ${renderExpr(lossGradientDefinition(graph.spec.loss, output.name))}`);
  return lines;
}

/** σ′ ≤ ¼ for each sigmoid on the first path: the bound on its slopes' product (backprop §6.2). */
function sigmoidBound(deltas: LayerDeltas): string | undefined {
  const path = deltas.unrolled.op === "sum" ? deltas.unrolled.terms[0] : deltas.unrolled;
  const factors = path?.op === "product" ? path.factors : [];
  const sigmoids = factors.filter((factor) => factor.op === "slopeMatrix" && factor.activation.name === "sigmoid").length;
  if (sigmoids < 2) return undefined;
  return `_${sigmoids} sigmoid slopes on the way to the output, each ≤ ¼: together they scale δ by at most (¼)${superscript(String(sigmoids))} = ${formatNumber(0.25 ** sigmoids)}._`;
}

function reading(spec: NetworkSpec, layer: LayerSpec, deltas: LayerDeltas): string {
  const slope = math(layer.name, "S");
  if (deltas.output) return outputReading(spec, layer.kind === "dense" ? layer.activation : undefined, slope);
  if (layer.kind === "dense") return slopeReading(layer.activation, slope);
  if (layer.kind === "dropout") return `dropout multiplies δ by the forward pass's mask: dropped units pass no gradient, kept ones pass it scaled by 1/(1 − p); p = ${layer.rate}.`;
  return layer.kind === "add"
    ? "add passes its δ unchanged to every operand: a residual path carries the gradient past the layers it skips."
    : "concat hands each operand the rows of δ that belong to it.";
}

function header(graph: LayerGraph, layer: LayerSpec): string {
  const l = graph.index.get(layer.name) ?? 0;
  const L = graph.spec.layers.length;
  const role = layer === graph.output ? "output layer" : "hidden layer";
  const what = layer.kind === "dense"
    ? `dense ${layer.units} ${escapeMarkdown(layer.activation.name)} · from ${code(layer.from)}`
    : layer.kind === "dropout"
      ? `dropout p = ${layer.rate} · from ${code(layer.from)} · ${layer.units} units`
      : `${layer.kind}(${predecessors(layer).map(code).join(", ")}) · ${layer.units} units`;
  return `**${code(layer.name)}** — ${role}, l = ${l} of L = ${L} · ${what}`;
}

function factorsOf(expr: Expr): number {
  const term = expr.op === "sum" ? expr.terms[0] : expr;
  return term?.op === "product" ? term.factors.length : 1;
}

// The title leads the section's first line: a line of its own per title would push the run's
// figures, δ or the shapes below the bottom of VS Code's hover box (250 px in 1.100).
const section = (title: string, lines: string[]): string => (lines.length === 0 ? "" : `**${title}** ${lines.join("  \n")}`);

export function layerHover(spec: NetworkSpec, name: string, run?: RunRecord): string | undefined {
  const graph = graphOf(spec);
  const layer = graph.layer.get(name);
  const first = layerDeltas(spec, name, { maxPaths: MAX_PATHS }, graph);
  if (!layer || !first) return undefined;
  // long paths differ only inside their ⋯, so a deep DAG shows one path and counts the rest
  const deltas = first.paths > 1 && factorsOf(first.unrolled) > HOVER_OPTIONS.maxFactors ? layerDeltas(spec, name, { maxPaths: 1 }, graph)! : first;
  // The first screen of VS Code's hover box answers "what is this layer, and its δ" (with the
  // run's figures); the gradients, the unrolled product and the reading follow below the rule.
  const top = [
    header(graph, layer),
    section("Last run", run ? lastRunLines(spec, run, name) : []),
    section("Forward", forwardLines(graph, layer)),
    section(`Backward: ${deltas.rule}`, backwardLines(graph, layer, deltas)),
    section("Shapes", [shapeLine(graph, layer)]),
  ];
  const rest = [
    section("Gradients", gradientLines(layer, deltas)),
    section("Unrolled", unrolledLines(graph, layer, deltas)),
    `_${reading(spec, layer, deltas)}_`,
    sigmoidBound(deltas) ?? "",
  ];
  return [...top, "---", ...rest].filter((part) => part.length > 0).join("\n\n");
}
