/**
 * One canonical layout: entries one per line, two-space indents, single
 * spaces between tokens, at most one blank line. Only whitespace changes:
 * every token and comment is kept, in order, so formatting twice changes
 * nothing more. A `{ … }` written on one line (a short settings block,
 * inline rows) stays on one line.
 */
import { scan } from "../syntax/index";
import type { IdeDocument } from "./document";
import type { TextEdit } from "./types";

interface Token {
  text: string;
  kind: "word" | "string" | "line-comment" | "block-comment" | "punctuation" | "other";
  /** line breaks in the whitespace before it */
  breaks: number;
  /** no whitespace at all between it and the token before */
  glued: boolean;
  /** a line comment or an unterminated string: it ends its line */
  endsLine: boolean;
}

const punctuation = new Set(["LCurly", "RCurly", "LParen", "RParen", "Colon", "Comma", "Semicolon", "Arrow", "LBracket", "RBracket"]);
const words = new Set(["Identifier", "NumberLiteral"]);

function kindOf(type: string, keyword: boolean): Token["kind"] {
  if (type === "LineComment") return "line-comment";
  if (type === "BlockComment") return "block-comment";
  if (type === "StringLiteral") return "string";
  if (punctuation.has(type)) return "punctuation";
  return keyword || words.has(type) ? "word" : "other";
}

function lineBreaks(text: string, start: number, end: number): number {
  let breaks = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) breaks++;
  }
  return breaks;
}

/**
 * The parser's own tokens, comments and unlexable characters, with the
 * layout of the whitespace before each; read from the lexer's scan, since a
 * list of its tokens first would double what a long line allocates.
 */
export function formatTokens(text: string): Token[] {
  const tokens: Token[] = [];
  let end = 0;
  scan(text, { unlexed: true }, (type, start, tokenEnd, keyword) => {
    const raw = text.slice(start, tokenEnd);
    const breaks = lineBreaks(text, end, start);
    const glued = tokens.length === 0 || end === start;
    end = tokenEnd;
    const kind = kindOf(type, keyword);
    const closed = kind === "string" ? /^"(?:[^"\\\n\r]|\\.)*"$/.test(raw) : kind !== "block-comment" || (raw.length >= 4 && raw.endsWith("*/"));
    // trailing blanks of a line comment, or of a block comment or string left open, are layout
    const found = kind === "line-comment" || !closed ? raw.trimEnd() : raw;
    const endsLine = kind === "line-comment" || (kind === "string" && !closed);
    tokens.push({ text: found, kind, breaks, glued, endsLine });
  });
  return tokens;
}

/** For each `{`, whether it and its `}` sit on one line with no comment inside. */
function inlineBlocks(tokens: Token[]): Set<number> {
  const inline = new Set<number>();
  const open: number[] = [];
  // breaksBefore[i]: tokens before i that break a line or are comments, so each block is checked in O(1), not by rescanning (nested blocks)
  const breaksBefore = [0];
  tokens.forEach((token, index) => {
    breaksBefore.push(breaksBefore[index]! + (token.breaks > 0 || token.kind === "line-comment" || token.kind === "block-comment" ? 1 : 0));
    if (token.text === "{") open.push(index);
    else if (token.text === "}" && open.length > 0) {
      const start = open.pop()!;
      if (breaksBefore[index + 1] === breaksBefore[start + 1]) inline.add(start);
    }
  });
  return inline;
}

/**
 * The `(` … `)` pairs that close before any brace: argument lists, whose
 * line breaks the parser skips. A stray `(` pairs with nothing, so it never
 * pulls the rest of the file onto one line.
 */
function argumentLists(tokens: Token[]): Set<number> {
  const paired = new Set<number>();
  let open: number | undefined;
  tokens.forEach((token, index) => {
    if (token.text === "(") open = index;
    else if (token.text === ")" && open !== undefined) {
      paired.add(open).add(index);
      open = undefined;
    } else if (token.text === "{" || token.text === "}") open = undefined;
  });
  return paired;
}

const noSpaceBefore = new Set([":", ",", ";", ")", "]"]);

// Two tokens written together stay together unless one is punctuation,
// so a space is never inserted where it could split what the parser reads as one token.
function spaced(previous: Token | undefined, token: Token, lists: Set<number>, index: number): boolean {
  if (!previous) return false;
  if (token.glued && previous.kind !== "punctuation" && token.kind !== "punctuation") return false;
  if (noSpaceBefore.has(token.text) && (token.text !== ")" || lists.has(index))) return false;
  if (previous.text === "(" && lists.has(index - 1)) return false;
  if (previous.text === "[") return false;
  if (token.text === "(" && previous.kind === "word" && lists.has(index)) return false;
  return true;
}

/** Real files nest three deep; past this, indenting every level would make n unclosed braces O(n²) characters of output. */
const maxIndent = 16;

class Layout {
  readonly lines: string[] = [];
  line = "";
  indent = 0;

  flush(): void {
    if (this.line.length > 0) this.lines.push(this.line.trimEnd());
    this.line = "";
    this.indent = 0;
  }

  startLine(depth: number, blankBefore: boolean): void {
    this.flush();
    const previous = this.lines[this.lines.length - 1];
    if (blankBefore && previous !== undefined && previous !== "" && !previous.endsWith("{")) this.lines.push("");
    this.line = "  ".repeat(Math.min(Math.max(0, depth), maxIndent));
    this.indent = this.line.length;
  }

  /** Only the indent written so far; compared by length, since trimming the line per token is O(n²) on a long line. */
  get atLineStart(): boolean {
    return this.line.length === this.indent;
  }
}

export function formatText(text: string): string {
  const tokens = formatTokens(text);
  const inline = inlineBlocks(tokens);
  const lists = argumentLists(tokens);
  const layout = new Layout();
  const stack: boolean[] = [];
  let parens = 0;
  let forceBreak = false;
  let previous: Token | undefined;
  tokens.forEach((token, index) => {
    const depth = stack.length + (parens > 0 ? 1 : 0);
    const inInline = stack.length > 0 && stack[stack.length - 1]!;
    const closesExpanded = token.text === "}" && stack.length > 0 && !inInline;
    const wantsBreak = forceBreak || closesExpanded || (token.breaks > 0 && parens === 0 && !inInline);
    if (index === 0 || wantsBreak) {
      layout.startLine(token.text === "}" ? depth - 1 : depth, token.breaks >= 2 && token.text !== "}" && index > 0);
    } else if (spaced(previous, token, lists, index) && !layout.atLineStart) layout.line += " ";
    layout.line += token.text;
    forceBreak = token.endsLine;
    if (token.text === "{") {
      stack.push(inline.has(index));
      forceBreak ||= !inline.has(index);
    } else if (token.text === "}" && stack.length > 0) {
      const wasInline = stack.pop()!;
      const next = tokens[index + 1];
      forceBreak ||= !wasInline && next !== undefined && !noSpaceBefore.has(next.text);
    } else if (token.text === "(" && lists.has(index)) parens++;
    else if (token.text === ")" && lists.has(index)) parens--;
    previous = token;
  });
  layout.flush();
  while (layout.lines.length > 0 && layout.lines[layout.lines.length - 1] === "") layout.lines.pop();
  const body = layout.lines.map((line) => line.replace(/\{ \}$/, "{}")).join("\n");
  return body.length > 0 ? `${body}\n` : "";
}

export function format(document: IdeDocument): TextEdit[] {
  const formatted = formatText(document.text);
  if (formatted === document.text) return [];
  return [{ span: { start: 0, end: document.text.length }, newText: formatted }];
}
