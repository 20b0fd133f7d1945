/**
 * CST → AST. Kept apart from the grammar. After recovery any child may be
 * missing, and recovery may insert virtual tokens without a position, so
 * every read goes through `tokensOf`, which drops those.
 */
import type { CstElement, CstNode, IToken } from "chevrotain";
import type * as ast from "./ast";

type Children = Record<string, CstElement[] | undefined>;

const isToken = (element: CstElement): element is IToken => "image" in element;
const isReal = (token: IToken): boolean => !token.isInsertedInRecovery && Number.isFinite(token.startOffset);

export function tokenSpan(token: IToken): ast.Span {
  return { start: token.startOffset, end: token.startOffset + token.image.length };
}

function tokensOf(node: CstNode | undefined, key: string): IToken[] {
  const found = node?.children[key] as CstElement[] | undefined;
  return (found ?? []).filter((element): element is IToken => isToken(element) && isReal(element));
}

function nodesOf(node: CstNode | undefined, key: string): CstNode[] {
  const found = node?.children[key] as CstElement[] | undefined;
  return (found ?? []).filter((element): element is CstNode => !isToken(element));
}

const firstToken = (node: CstNode | undefined, key: string): IToken | undefined => tokensOf(node, key)[0];

/**
 * A node's span: from the first real token to the end of the last one. Each
 * child list is in source order, so only its ends need reading; recovery can
 * leave virtual tokens there, hence the inward search.
 */
function nodeSpan(node: CstNode, fallback: number): ast.Span {
  let start = Infinity;
  let end = -Infinity;
  const children = node.children as Children;
  for (const key in children) {
    const list = children[key];
    if (!list || list.length === 0) continue;
    start = Math.min(start, edgeOf(list, true));
    end = Math.max(end, edgeOf(list, false));
  }
  return start === Infinity || end === -Infinity ? { start: fallback, end: fallback } : { start, end };
}

/** The start of the first (or end of the last) real token in a child list. */
function edgeOf(list: CstElement[], first: boolean): number {
  for (let k = 0; k < list.length; k++) {
    const element = list[first ? k : list.length - 1 - k];
    if (isToken(element)) {
      if (isReal(element)) return first ? element.startOffset : element.startOffset + element.image.length;
      continue;
    }
    const span = nodeSpan(element, NaN);
    const edge = first ? span.start : span.end;
    if (Number.isFinite(edge)) return edge;
  }
  return first ? Infinity : -Infinity;
}

const joinSpans = (a: ast.Span, b: ast.Span): ast.Span => ({ start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) });

function nameOf(token: IToken | undefined): ast.Name | undefined {
  return token ? { text: token.image, span: tokenSpan(token) } : undefined;
}

export function numberOf(token: IToken | undefined): ast.NumberLit | undefined {
  return token ? { value: Number(token.image), text: token.image, span: tokenSpan(token) } : undefined;
}

/** `\"` and `\\` are the escapes; any other backslash is kept as written. */
export function unquote(image: string): string {
  const closed = image.length >= 2 && image.endsWith('"') && !image.endsWith('\\"');
  const inner = image.slice(1, closed ? -1 : undefined);
  return inner.replace(/\\(["\\])/g, "$1");
}

function literalOf(node: CstNode): ast.Value | undefined {
  const number = firstToken(node, "NumberLiteral");
  if (number) return { kind: "number", number: numberOf(number)!, span: tokenSpan(number) };
  const string = firstToken(node, "StringLiteral");
  if (string) return { kind: "string", string: { value: unquote(string.image), span: tokenSpan(string) }, span: tokenSpan(string) };
  const yes = firstToken(node, "True");
  if (yes) return { kind: "bool", value: true, span: tokenSpan(yes) };
  const no = firstToken(node, "False");
  if (no) return { kind: "bool", value: false, span: tokenSpan(no) };
  const full = firstToken(node, "Full");
  if (full) return { kind: "full", span: tokenSpan(full) };
  return undefined;
}

function bareCall(token: IToken): ast.Call {
  return { kind: "call", name: nameOf(token), args: [], span: tokenSpan(token) };
}

function argValueOf(node: CstNode | undefined): ast.Value | undefined {
  if (!node) return undefined;
  const literal = nodesOf(node, "literal")[0];
  if (literal) return literalOf(literal);
  const list = nodesOf(node, "list")[0];
  if (list) return { kind: "list", items: nodesOf(list, "literal").flatMap((item) => literalOf(item) ?? []), span: nodeSpan(list, 0) };
  const name = firstToken(node, "Identifier");
  return name ? bareCall(name) : undefined;
}

function argOf(node: CstNode): ast.Arg {
  const span = nodeSpan(node, 0);
  const literal = nodesOf(node, "literal")[0];
  if (literal) return { value: literalOf(literal), span };
  const head = firstToken(node, "head");
  if (head && tokensOf(node, "Colon").length === 0) return { value: bareCall(head), span };
  return { name: nameOf(head), value: argValueOf(nodesOf(node, "argValue")[0]), span };
}

export function callOf(node: CstNode | undefined): ast.Call | undefined {
  if (!node) return undefined;
  const name = nameOf(firstToken(node, "Identifier"));
  const argsNode = nodesOf(node, "args")[0];
  const span = nodeSpan(node, name?.span.start ?? 0);
  if (!argsNode) return { kind: "call", name, args: [], span };
  const args = nodesOf(argsNode, "arg").map(argOf);
  return { kind: "call", name, args, parens: nodeSpan(argsNode, span.end), span };
}

export function valueOf(node: CstNode | undefined): ast.Value | undefined {
  if (!node) return undefined;
  const literal = nodesOf(node, "literal")[0];
  return literal ? literalOf(literal) : callOf(nodesOf(node, "call")[0]);
}

export { firstToken, joinSpans, nameOf, nodeSpan, nodesOf, tokensOf };
