/**
 * The tokens as the formatter lays them out: the parser's own tokens,
 * comments and unlexable characters, read from the lexer's scan, with the
 * layout of the whitespace before each.
 */
import { scan } from "../syntax/index";

export const enum Kind { Word, String, LineComment, BlockComment, Punctuation, Other }
const enum Flag { Glued = 1, EndsLine = 2 }

const punctuation = new Set(["LCurly", "RCurly", "LParen", "RParen", "Colon", "Comma", "Semicolon", "Arrow", "LBracket", "RBracket"]);
const words = new Set(["Identifier", "NumberLiteral"]);

function kindOf(type: string, keyword: boolean): Kind {
  if (type === "LineComment") return Kind.LineComment;
  if (type === "BlockComment") return Kind.BlockComment;
  if (type === "StringLiteral") return Kind.String;
  if (punctuation.has(type)) return Kind.Punctuation;
  return keyword || words.has(type) ? Kind.Word : Kind.Other;
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
 * One column per field (offsets into
 * the text, not strings or objects per token), since a 1 MB line has half a
 * million tokens and the collector's work, not the layout's, was the cost.
 */
export class FormatTokens {
  count = 0;
  private starts: Int32Array;
  private ends: Int32Array;
  /** line breaks in the whitespace before each */
  private breakCounts: Int32Array;
  private kinds: Uint8Array;
  private flags: Uint8Array;

  constructor(readonly source: string) {
    // a token and a blank per two characters at most, in the densest text (an inline row of digits): rarely grown
    const size = (source.length >> 1) + 64;
    this.starts = new Int32Array(size);
    this.ends = new Int32Array(size);
    this.breakCounts = new Int32Array(size);
    this.kinds = new Uint8Array(size);
    this.flags = new Uint8Array(size);
  }

  push(start: number, end: number, kind: Kind, breaks: number, flags: number): void {
    if (this.count === this.starts.length) this.grow();
    const i = this.count++;
    this.starts[i] = start;
    this.ends[i] = end;
    this.kinds[i] = kind;
    this.breakCounts[i] = breaks;
    this.flags[i] = flags;
  }

  text(i: number): string {
    return this.source.slice(this.starts[i], this.ends[i]);
  }

  /** Copies the token's text to the output, without a string of its own. */
  writeTo(out: { write(source: string, start: number, end: number): void }, i: number): void {
    out.write(this.source, this.starts[i]!, this.ends[i]!);
  }

  kind(i: number): Kind {
    return this.kinds[i]!;
  }

  breaks(i: number): number {
    return this.breakCounts[i]!;
  }

  /** no whitespace at all between it and the token before */
  glued(i: number): boolean {
    return (this.flags[i]! & Flag.Glued) !== 0;
  }

  /** a line comment or an unterminated string: it ends its line */
  endsLine(i: number): boolean {
    return (this.flags[i]! & Flag.EndsLine) !== 0;
  }

  /** The character of a one-character punctuation token, else 0 (-1 past the end). */
  mark(i: number): number {
    if (i >= this.count) return -1;
    const start = this.starts[i]!;
    return this.kinds[i] === Kind.Punctuation && this.ends[i]! - start === 1 ? this.source.charCodeAt(start) : 0;
  }

  private grow(): void {
    const size = this.starts.length * 2;
    const larger = <T extends Int32Array | Uint8Array>(from: T, make: new (n: number) => T): T => {
      const to = new make(size);
      to.set(from);
      return to;
    };
    this.starts = larger(this.starts, Int32Array);
    this.ends = larger(this.ends, Int32Array);
    this.breakCounts = larger(this.breakCounts, Int32Array);
    this.kinds = larger(this.kinds, Uint8Array);
    this.flags = larger(this.flags, Uint8Array);
  }
}

/** The tokens as the formatter lays them out, read from the lexer's scan (no list of its tokens first). */
export function formatTokens(text: string): FormatTokens {
  const tokens = new FormatTokens(text);
  let end = 0;
  scan(text, { unlexed: true }, (type, start, tokenEnd, keyword) => {
    const breaks = lineBreaks(text, end, start);
    const glued = tokens.count === 0 || end === start;
    end = tokenEnd;
    const kind = kindOf(type, keyword);
    let found = tokenEnd;
    let endsLine = kind === Kind.LineComment;
    if (kind === Kind.LineComment || kind === Kind.String || kind === Kind.BlockComment) {
      const raw = text.slice(start, tokenEnd);
      const closed = kind === Kind.String ? /^"(?:[^"\\\n\r]|\\.)*"$/.test(raw) : kind !== Kind.BlockComment || (raw.length >= 4 && raw.endsWith("*/"));
      // trailing blanks of a line comment, or of a block comment or string left open, are layout
      if (kind === Kind.LineComment || !closed) found = start + raw.trimEnd().length;
      endsLine ||= kind === Kind.String && !closed;
    }
    tokens.push(start, found, kind, breaks, (glued ? Flag.Glued : 0) | (endsLine ? Flag.EndsLine : 0));
  });
  return tokens;
}
