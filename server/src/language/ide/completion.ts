/** Completion by context: what may be written at the cursor, each with its formula. */
import {
  activations, dataSources, gradcheckKeys, initialisers, losses, lookup, optimizers, trainKeys,
  type KeyInfo, type NameInfo, type NetworkModel,
} from "../semantics/index";
import type { ActivationName, LossName } from "../../engine/index";
import { lossGradientDefinition, realSpace, renderExpr, superscript } from "./deltas/index";
import { networkAt, type IdeDocument } from "./document";
import { activationFormulas, lossFormulas } from "./hover/names";
import type { CompletionEntry, CompletionKind, CompletionList } from "./types";

const word = /[A-Za-z0-9_]/;

function wordSpan(text: string, offset: number): { start: number; end: number } {
  let start = offset;
  while (start > 0 && word.test(text[start - 1]!)) start--;
  let end = offset;
  while (end < text.length && word.test(text[end]!)) end++;
  return { start, end };
}

const named = (info: NameInfo, kind: CompletionKind, documentation: string): CompletionEntry =>
  ({ label: info.name, kind, detail: info.doc, documentation });

/** The catalog's docs are written as Markdown already; only a stray `*` would turn into emphasis. */
const doc = (text: string): string => text.replace(/\*/g, "\\*");

const activationItems = (): CompletionEntry[] => activations.map((info) => {
  const formulas = activationFormulas[info.name as ActivationName];
  return { ...named(info, "activation", `${formulas.value}  \n${formulas.slope}`), ...(info.params.length ? { insertText: `${info.name}(${info.params.map((p, i) => `${p.name}: \${${i + 1}:${p.default}}`).join(", ")})`, snippet: true } : {}) };
});

const lossItems = (): CompletionEntry[] => losses.map((info) =>
  named(info, "loss", `${lossFormulas[info.name as LossName]}  \n∇ₐC = ${renderExpr(lossGradientDefinition(info.name as LossName, "L"))}`));

const simpleItems = (table: readonly NameInfo[], kind: CompletionKind): CompletionEntry[] =>
  table.map((info) => named(info, kind, info.params.map((p) => `${p.name}: ${doc(p.doc)}${p.default !== undefined ? ` (default ${p.default})` : ""}`).join("  \n") || doc(info.doc)));

const keyItems = (keys: readonly KeyInfo[]): CompletionEntry[] =>
  keys.map((key) => ({ label: key.name, kind: "key", detail: `default ${key.default}`, documentation: doc(key.doc), insertText: `${key.name} ` }));

function argumentItems(callee: string): CompletionEntry[] {
  const info = [activations, optimizers, initialisers, dataSources, losses].map((table) => lookup(table as readonly NameInfo[], callee)).find(Boolean);
  return (info?.params ?? []).filter((param) => param.name !== "path").map((param) => ({
    label: param.name, kind: "argument", detail: param.default !== undefined ? `default ${param.default}` : undefined,
    documentation: doc(param.doc), insertText: `${param.name}: `,
  }));
}

const space = (units: number | undefined): string => (units === undefined ? "ℝ^(?)" : realSpace(units));

function layerItems(network: NetworkModel | undefined, before: number): CompletionEntry[] {
  if (!network) return [];
  const items: CompletionEntry[] = network.input ? [{ label: network.input.name, kind: "input", detail: `input ${network.input.units ?? "?"}`, documentation: `a⁰ = x ∈ ${space(network.input.units)}` }] : [];
  for (const layer of network.layers) {
    if (layer.entry.span.end > before) continue;
    items.push({ label: layer.name, kind: "layer", detail: `${layer.kind ?? "layer"} ${layer.units ?? "?"}${layer.activation && layer.kind === "dense" ? ` ${layer.activation.name}` : ""}`, documentation: `a${superscript(layer.name)} ∈ ${space(layer.units)}` });
  }
  return items;
}

const keywordItems = (words: string[]): CompletionEntry[] => words.map((label) => ({ label, kind: "keyword", insertText: `${label} ` }));

const snippets = {
  network: { label: "network", kind: "snippet", detail: "a new network", snippet: true, documentation: "input → hidden → output, with a loss and data",
    insertText: "network ${1:name} {\n  input ${2:x}: ${3:2}\n\n  layer ${4:h1}: dense ${5:16} ${6:tanh}\n  layer ${7:out}: dense ${8:1} ${9:sigmoid}\n\n  loss ${10:binary_cross_entropy}\n\n  data ${11:xor}\n}\n" },
  layer: { label: "layer", kind: "snippet", detail: "a new dense layer", snippet: true, documentation: "z = W a + b, a = σ(z)", insertText: "layer ${1:name}: dense ${2:16} ${3:relu}" },
} satisfies Record<string, CompletionEntry>;

const entryItems = (): CompletionEntry[] => [snippets.layer, ...keywordItems(["input", "loss", "data", "train", "gradcheck"])];

/** The innermost block `train {` or `gradcheck {` left open before the cursor, if any. */
function openBlock(text: string, before: number): "train" | "gradcheck" | undefined {
  let depth = 0;
  for (let i = before - 1; i >= 0; i--) {
    const c = text[i];
    if (c === "}") depth++;
    else if (c === "{") {
      if (depth > 0) { depth--; continue; }
      const head = /\b(train|gradcheck)\s*$/.exec(text.slice(Math.max(0, i - 20), i));
      return head ? (head[1] as "train" | "gradcheck") : undefined;
    }
  }
  return undefined;
}

function insideNetwork(text: string, before: number): boolean {
  let depth = 0;
  for (let i = before - 1; i >= 0; i--) {
    if (text[i] === "}") depth++;
    else if (text[i] === "{") { if (depth === 0) return true; depth--; }
  }
  return false;
}

function callContext(line: string): CompletionEntry[] | undefined {
  const open = /([A-Za-z_]\w*)\s*\(([^()]*)$/.exec(line);
  if (!open) return undefined;
  const callee = open[1]!;
  if (/\b(add|concat)\s*\($/.test(line.slice(0, open.index + open[0].length - open[2]!.length))) return [];
  const last = open[2]!.split(",").pop() ?? "";
  return last.includes(":") ? [] : argumentItems(callee);
}

function byLine(line: string, network: NetworkModel | undefined, start: number): CompletionEntry[] | undefined {
  if (/\b(?:add|concat)\s*\([^()]*$/.test(line)) return layerItems(network, start);
  const call = callContext(line);
  if (call) return call;
  if (/\bfrom\s+$/.test(line)) return layerItems(network, start);
  if (/\binit\s+$/.test(line)) return simpleItems(initialisers, "initialiser");
  if (/\bloss\s+$/.test(line)) return lossItems();
  if (/\bdata\s+$/.test(line)) return simpleItems(dataSources, "data");
  if (/\blayer\s+\w+\s*:\s*$/.test(line)) return keywordItems(["dense", "dropout", "add", "concat"]);
  if (/\bdropout\s+[\d.eE+-]+\s+$/.test(line)) return keywordItems(["from"]);
  if (/\bdense\s+[\d.eE+-]+\s+$/.test(line)) return [...activationItems(), ...keywordItems(["from", "init"])];
  if (/\bdense\s+[\d.eE+-]+\s+\w+(?:\([^()]*\))?\s+(?:from\s+\w+\s+)?$/.test(line)) return keywordItems(["from", "init"]);
  return undefined;
}

function inBlock(block: "train" | "gradcheck", line: string): CompletionEntry[] {
  if (block === "train" && /\boptimizer\s+$/.test(line)) return simpleItems(optimizers, "optimizer");
  if (block === "train" && /\bbatch\s+$/.test(line)) return keywordItems(["full"]);
  if (block === "train" && /\bshuffle\s+$/.test(line)) return keywordItems(["true", "false"]);
  if (/(^|[{,])\s*$/.test(line)) return keyItems(block === "train" ? trainKeys : gradcheckKeys);
  return [];
}

const contextChars = 400;

export function completion(document: IdeDocument, offset: number): CompletionList {
  const text = document.text;
  const span = wordSpan(text, offset);
  const lineStart = Math.max(text.lastIndexOf("\n", span.start - 1), text.lastIndexOf("\r", span.start - 1)) + 1;
  if (text.slice(lineStart, span.start).includes("//")) return { span, items: [] };
  // the context patterns backtrack: on a very long line only its end can matter, and the whole would cost O(n²)
  const line = text.slice(Math.max(lineStart, span.start - contextChars), span.start);
  const network = networkAt(document, offset);
  const block = openBlock(text, span.start);
  if (block) return { span, items: callContext(line) ?? inBlock(block, line) };
  const items = byLine(line, network, span.start);
  if (items) return { span, items };
  if (!/^\s*$/.test(line)) return { span, items: [] };
  return { span, items: insideNetwork(text, span.start) ? entryItems() : [snippets.network] };
}
