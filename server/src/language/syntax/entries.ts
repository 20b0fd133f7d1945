/** CST → AST for networks and their entries (see visitor.ts for the shared readers). */
import type { CstNode, IToken } from "chevrotain";
import type * as ast from "./ast";
import { callOf, firstToken, nameOf, nodeSpan, nodesOf, numberOf, tokenSpan, tokensOf, valueOf } from "./visitor";

function keywordSpan(node: CstNode, key: string, span: ast.Span): ast.Span {
  const token = firstToken(node, key);
  return token ? tokenSpan(token) : { start: span.start, end: span.start };
}

function inputOf(node: CstNode): ast.InputEntry {
  const span = nodeSpan(node, 0);
  return {
    kind: "input",
    span,
    keyword: keywordSpan(node, "Input", span),
    name: nameOf(firstToken(node, "Identifier")),
    units: numberOf(firstToken(node, "NumberLiteral")),
  };
}

function denseOf(node: CstNode): ast.DenseBody {
  const span = nodeSpan(node, 0);
  return {
    kind: "dense",
    span,
    keyword: keywordSpan(node, "Dense", span),
    units: numberOf(firstToken(node, "NumberLiteral")),
    activation: callOf(nodesOf(node, "activation")[0]),
    from: nameOf(firstToken(node, "Identifier")),
    init: callOf(nodesOf(node, "init")[0]),
  };
}

function dropoutOf(node: CstNode): ast.DropoutBody {
  const span = nodeSpan(node, 0);
  return {
    kind: "dropout",
    span,
    keyword: keywordSpan(node, "Dropout", span),
    rate: numberOf(firstToken(node, "NumberLiteral")),
    from: nameOf(firstToken(node, "Identifier")),
  };
}

function mergeOf(node: CstNode): ast.MergeBody {
  const span = nodeSpan(node, 0);
  const add = firstToken(node, "Add");
  return {
    kind: add ? "add" : "concat",
    span,
    keyword: keywordSpan(node, add ? "Add" : "Concat", span),
    operands: tokensOf(node, "Identifier").map((token) => nameOf(token)!),
  };
}

function layerOf(node: CstNode): ast.LayerEntry {
  const span = nodeSpan(node, 0);
  const dense = nodesOf(node, "denseBody")[0];
  const merge = nodesOf(node, "mergeBody")[0];
  const dropout = nodesOf(node, "dropoutBody")[0];
  return {
    kind: "layer",
    span,
    keyword: keywordSpan(node, "Layer", span),
    name: nameOf(firstToken(node, "Identifier")),
    body: dense ? denseOf(dense) : dropout ? dropoutOf(dropout) : merge ? mergeOf(merge) : undefined,
  };
}

function lossOf(node: CstNode): ast.LossEntry {
  const span = nodeSpan(node, 0);
  return { kind: "loss", span, keyword: keywordSpan(node, "Loss", span), loss: callOf(nodesOf(node, "call")[0]) };
}

function rowOf(node: CstNode): ast.InlineRow {
  const arrow = firstToken(node, "Arrow");
  const numbers = (key: string): ast.NumberLit[] => tokensOf(node, key).map((token) => numberOf(token)!);
  return { span: nodeSpan(node, 0), features: numbers("features"), targets: numbers("targets"), arrow: arrow && tokenSpan(arrow) };
}

function dataOf(node: CstNode): ast.DataEntry {
  const span = nodeSpan(node, 0);
  const inline = nodesOf(node, "inlineData")[0];
  const source: ast.DataEntry["source"] = inline
    ? { kind: "inline", span: nodeSpan(inline, span.end), rows: nodesOf(inline, "inlineRow").map(rowOf) }
    : callOf(nodesOf(node, "call")[0]);
  return { kind: "data", span, keyword: keywordSpan(node, "Data", span), source };
}

// `stop_early(…)`: the key with its arguments reads as a call of the key's own name
function settingOf(node: CstNode): ast.Setting {
  const span = nodeSpan(node, 0);
  const key = nameOf(firstToken(node, "Identifier"));
  if (nodesOf(node, "args").length === 0) return { span, key, value: valueOf(nodesOf(node, "value")[0]) };
  return { span, key, value: callOf(node) };
}

function settingsOf(node: CstNode): ast.SettingsBlock {
  const span = nodeSpan(node, 0);
  const gradcheck = firstToken(node, "Gradcheck");
  return {
    kind: gradcheck ? "gradcheck" : "train",
    span,
    keyword: keywordSpan(node, gradcheck ? "Gradcheck" : "Train", span),
    settings: nodesOf(node, "setting").map(settingOf),
  };
}

const entryReaders: Record<string, (node: CstNode) => ast.Entry> = {
  inputEntry: inputOf,
  layerEntry: layerOf,
  lossEntry: lossOf,
  dataEntry: dataOf,
  settingsBlock: settingsOf,
};

/** Junk inside a block (`key` is its stray category), one run per stretch of tokens that only spaces separate. */
export function blockStrayRuns(block: CstNode, key: string, text: string): IToken[][] {
  const runs: IToken[][] = [];
  let previousEnd = -1;
  for (const token of tokensOf(block, key)) {
    const between = previousEnd < 0 ? "\n" : text.slice(previousEnd, token.startOffset);
    if (/[^ \t]/.test(between) || runs.length === 0) runs.push([]);
    runs[runs.length - 1].push(token);
    previousEnd = token.startOffset + token.image.length;
  }
  return runs;
}

export function networkOf(node: CstNode): ast.Network {
  const span = nodeSpan(node, 0);
  const entries: ast.Entry[] = [];
  for (const [rule, read] of Object.entries(entryReaders)) {
    for (const child of nodesOf(node, rule)) entries.push(read(child));
  }
  // the CST groups children by kind; the source order is what "declared above" means
  entries.sort((a, b) => a.span.start - b.span.start);
  const open = firstToken(node, "LCurly");
  const close = firstToken(node, "RCurly");
  const body = open ? { start: open.startOffset, end: close ? tokenSpan(close).end : span.end } : undefined;
  return { kind: "network", span, keyword: keywordSpan(node, "Network", span), name: nameOf(firstToken(node, "Identifier")), entries, body };
}

/** Stray tokens at the top level, grouped into runs that no network separates. */
export function strayRuns(file: CstNode): IToken[][] {
  const starts = nodesOf(file, "network").map((network) => nodeSpan(network, 0).start);
  const runs: IToken[][] = [];
  let next = 0;
  let previousBoundary = -1;
  for (const token of tokensOf(file, "Stray")) {
    while (next < starts.length && starts[next] < token.startOffset) next++;
    if (next !== previousBoundary) runs.push([]);
    runs[runs.length - 1].push(token);
    previousBoundary = next;
  }
  return runs;
}
