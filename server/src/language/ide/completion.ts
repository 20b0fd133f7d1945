/** Completion by context: what may be written at the cursor, each with its formula. */
import {
  activations, dataSources, gradcheckKeys, initialisers, losses, lookup, optimizers, schedules, stopEarly, trainKeys,
  type KeyInfo, type NameInfo, type NetworkModel,
} from "../semantics/index";
import type { ActivationName, LossName } from "../../engine/index";
import { lossGradientDefinition, realSpace, renderExpr, superscript } from "../formula/index";
import { lex, type LexedToken, type Span } from "../syntax/index";
import { columnItems, type OpenString, type SpannedWord } from "./csv-columns";
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
  const info = [activations, optimizers, initialisers, dataSources, losses, schedules, [stopEarly]].map((table) => lookup(table as readonly NameInfo[], callee)).find(Boolean);
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

/** A significant token: its lexer type and spelling. */
interface Word {
  type: string;
  text: string;
}

type Block = "network" | "train" | "gradcheck" | "other";

/** Where the cursor stands: the block open around it and the tokens of the entry it is writing. */
interface Context {
  /** the cursor is inside a comment or a string */
  quoted: boolean;
  block: Block | undefined;
  /** tokens since the entry began (a line break outside parentheses, `{`, `}`, `;`, or in a settings block `,`), at most the last `entryWindow` */
  entry: Word[];
  /** the string literal the cursor is inside */
  string?: OpenString;
  /** the significant tokens of the document, and how many of them end before the cursor */
  tokens: SpannedWord[];
  before: number;
}

/** Entries are a few tokens long; only this many before the cursor are read, so an inline row of a million numbers costs no more. */
const entryWindow = 64;

/**
 * The document's tokens read once: after each significant token, the block
 * it leaves open and where its entry began. Completion then costs a binary
 * search, not a scan of the text before the cursor.
 */
interface Scan {
  /** every token, comments included, in source order */
  all: LexedToken[];
  /** the significant tokens */
  code: SpannedWord[];
  ends: number[];
  /** per count k of significant tokens before the cursor: the innermost open block, the entry's first token, open parentheses */
  block: (Block | undefined)[];
  entryStart: number[];
  parens: number[];
}

const scans = new WeakMap<IdeDocument, Scan>();

const isOpen = (type: string, image: string): boolean =>
  (type === "StringLiteral" && !/^"(?:[^"\\\r\n]|\\.)*"$/.test(image)) || type === "LineComment"
  || (type === "BlockComment" && !(image.length >= 4 && image.endsWith("*/")));

const quotable = new Set(["StringLiteral", "LineComment", "BlockComment"]);

function blockOpenedBy(entry: Word[]): Block {
  if (entry[0]?.type === "Network") return "network";
  if (entry.length === 1 && entry[0]!.type === "Train") return "train";
  if (entry.length === 1 && entry[0]!.type === "Gradcheck") return "gradcheck";
  return "other";
}

function scan(text: string): Scan {
  const all = lex(text);
  const result: Scan = { all, code: [], ends: [], block: [undefined], entryStart: [0], parens: [0] };
  const blocks: Block[] = [];
  let entryStart = 0;
  let parens = 0;
  let end = 0;
  for (const token of all) {
    const newLine = /[\r\n]/.test(text.slice(end, token.span.start));
    end = token.span.end;
    if (token.type === "LineComment" || token.type === "BlockComment") continue;
    const word = { type: token.type, text: text.slice(token.span.start, token.span.end), span: token.span };
    const index = result.code.length;
    result.code.push(word);
    result.ends.push(token.span.end);
    if (newLine && parens === 0) entryStart = index;
    const block = blocks[blocks.length - 1];
    if (token.type === "LCurly") {
      blocks.push(blockOpenedBy(result.code.slice(entryStart, Math.min(index, entryStart + entryWindow))));
      entryStart = index + 1;
      parens = 0;
    } else if (token.type === "RCurly") {
      blocks.pop();
      entryStart = index + 1;
      parens = 0;
    } else if (token.type === "Semicolon" || (token.type === "Comma" && parens === 0 && (block === "train" || block === "gradcheck"))) {
      entryStart = index + 1;
    } else if (token.type === "LParen") parens++;
    else if (token.type === "RParen") parens = Math.max(0, parens - 1);
    result.block.push(blocks[blocks.length - 1]);
    result.entryStart.push(entryStart);
    result.parens.push(parens);
  }
  return result;
}

/** How many of `ends` are at most `offset`. */
function countUpTo(ends: number[], offset: number): number {
  let low = 0, high = ends.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (ends[mid]! <= offset) low = mid + 1;
    else high = mid;
  }
  return low;
}

function contextOf(document: IdeDocument, offset: number): Context {
  let found = scans.get(document);
  if (!found) scans.set(document, (found = scan(document.text)));
  const { all, code, ends } = found;
  // the token that starts before the cursor and reaches it: the cursor is inside it when it is an open or unfinished comment or string
  let low = 0, high = all.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (all[mid]!.span.start < offset) low = mid + 1;
    else high = mid;
  }
  const around = all[low - 1];
  const image = around ? document.text.slice(around.span.start, around.span.end) : "";
  const quoted = !!around && quotable.has(around.type)
    && (around.span.end > offset || (around.span.end === offset && isOpen(around.type, image)));
  const k = countUpTo(ends, offset);
  const brokenLine = /[\r\n]/.test(document.text.slice(k > 0 ? ends[k - 1]! : 0, offset));
  const start = brokenLine && found.parens[k] === 0 ? k : Math.max(found.entryStart[k]!, k - entryWindow);
  const string = quoted && around!.type === "StringLiteral" ? { span: around!.span, closed: !isOpen(around!.type, image) } : undefined;
  return { quoted, block: found.block[k], entry: code.slice(start, k), tokens: code, before: k, ...(string ? { string } : {}) };
}

/** The innermost call left open in the entry: its callee and the tokens of the argument being written. */
function openCall(entry: Word[]): { callee: string; argument: Word[] } | undefined {
  let depth = 0;
  for (let i = entry.length - 1; i >= 0; i--) {
    const type = entry[i]!.type;
    if (type === "RParen") depth++;
    else if (type === "LParen") {
      if (depth > 0) { depth--; continue; }
      const after = entry.slice(i + 1);
      const comma = after.map((word) => word.type).lastIndexOf("Comma");
      return { callee: entry[i - 1]?.text ?? "", argument: after.slice(comma + 1) };
    }
  }
  return undefined;
}

function callItems(entry: Word[], network: NetworkModel | undefined, before: number): CompletionEntry[] | undefined {
  const call = openCall(entry);
  if (!call) return undefined;
  if (call.callee === "add" || call.callee === "concat") return layerItems(network, before);
  const colon = call.argument.findIndex((word) => word.type === "Colon");
  if (colon < 0) return argumentItems(call.callee);
  if (colon !== call.argument.length - 1) return [];
  const param = [...optimizers, ...schedules, stopEarly].find((info) => info.name === call.callee)?.params.find((p) => p.name === call.argument[colon - 1]?.text);
  if (param?.kind === "choice") return keywordItems([...param.choices!]);
  if (param?.kind === "bool") return keywordItems(["true", "false"]);
  return [];
}

const types = (words: Word[]): string => words.map((word) => word.type).join(" ");

function entryContext(entry: Word[], network: NetworkModel | undefined, before: number): CompletionEntry[] | undefined {
  const last = entry[entry.length - 1]?.type;
  if (last === "From") return layerItems(network, before);
  if (last === "Init") return simpleItems(initialisers, "initialiser");
  if (last === "Loss" && entry.length === 1) return lossItems();
  if (last === "Data" && entry.length === 1) return simpleItems(dataSources, "data");
  const dense = entry.findIndex((word) => word.type === "Dense");
  const shape = types(entry);
  if (/^Layer Identifier Colon$/.test(shape)) return keywordItems(["dense", "dropout", "add", "concat"]);
  if (/^Layer Identifier Colon Dropout NumberLiteral$/.test(shape)) return keywordItems(["from"]);
  if (dense < 0 || entry[dense + 1]?.type !== "NumberLiteral") return undefined;
  const rest = types(entry.slice(dense + 2));
  if (rest === "") return [...activationItems(), ...keywordItems(["from", "init"])];
  // an activation, its arguments, and a `from` clause: what may follow is `from` or `init`
  if (/^Identifier(?: LParen[^]*?RParen)?(?: From Identifier)?$/.test(rest)) return keywordItems(["from", "init"]);
  return undefined;
}

function settingItems(block: "train" | "gradcheck", entry: Word[]): CompletionEntry[] {
  const head = entry.length === 1 ? entry[0]!.text : undefined;
  if (block === "train" && head === "optimizer") return simpleItems(optimizers, "optimizer");
  if (block === "train" && head === "schedule") return simpleItems(schedules, "value");
  if (block === "train" && head === "batch") return keywordItems(["full"]);
  if (block === "train" && head === "shuffle") return keywordItems(["true", "false"]);
  return entry.length === 0 ? keyItems(block === "train" ? trainKeys : gradcheckKeys) : [];
}

// A column name replaces the string's content, or the word typed where a quoted name goes.
function columnCompletion(context: Context, network: NetworkModel | undefined, span: Span, offset: number): CompletionList | undefined {
  const items = columnItems(context.tokens, context.before, network?.data?.header, context.string);
  if (!items) return undefined;
  const string = context.string?.span;
  return { span: string ? { start: string.start + 1, end: context.string!.closed ? string.end - 1 : offset } : span, items };
}

export function completion(document: IdeDocument, offset: number): CompletionList {
  const text = document.text;
  const span = wordSpan(text, offset);
  const context = contextOf(document, span.start);
  const network = networkAt(document, offset);
  const columns = context.string || !context.quoted ? columnCompletion(context, network, span, offset) : undefined;
  if (columns) return columns;
  if (context.quoted) return { span, items: [] };
  const call = callItems(context.entry, network, span.start);
  if (call) return { span, items: call };
  const block = context.block;
  if (block === "train" || block === "gradcheck") return { span, items: settingItems(block, context.entry) };
  const items = entryContext(context.entry, network, span.start);
  if (items) return { span, items };
  if (context.entry.length > 0) return { span, items: [] };
  if (block === undefined) return { span, items: [snippets.network] };
  return { span, items: block === "network" ? entryItems() : [] };
}
