/** The token stream as plain data, for highlighting and formatting: kinds and spans, comments included. */
import { tokenMatcher } from "chevrotain";
import type { Span } from "./ast";
import { Keyword, Newline, nnetLexer } from "./tokens";

export interface LexedToken {
  /** the token's name: Identifier, NumberLiteral, StringLiteral, LineComment, BlockComment, Arrow, LCurly, Layer, …; Unlexed for characters no token matches */
  type: string;
  span: Span;
  keyword: boolean;
}

/**
 * Every token of the text in source order. Never throws; unlexable
 * characters are left out, or with `unlexed` kept as Unlexed tokens, so
 * that the tokens and the whitespace between them are the whole text.
 */
export function lex(text: string, options: { unlexed?: boolean } = {}): LexedToken[] {
  try {
    const result = nnetLexer.tokenize(text);
    const code = result.tokens.filter((token) => token.tokenType !== Newline).map((token): LexedToken => ({
      type: token.tokenType.name,
      span: { start: token.startOffset, end: token.startOffset + token.image.length },
      keyword: tokenMatcher(token, Keyword),
    }));
    const comments = (result.groups.comments ?? []).map((token): LexedToken => ({
      type: token.tokenType.name, span: { start: token.startOffset, end: token.startOffset + token.image.length }, keyword: false,
    }));
    const unlexed = options.unlexed
      ? result.errors.map((error): LexedToken => ({ type: "Unlexed", span: { start: error.offset, end: error.offset + error.length }, keyword: false }))
      : [];
    return merge(merge(code, comments), unlexed);
  } catch {
    return [];
  }
}

/** Two lists in source order as one; linear, since a large file has a million tokens. */
function merge(a: LexedToken[], b: LexedToken[]): LexedToken[] {
  if (b.length === 0) return a;
  const out: LexedToken[] = [];
  let i = 0, j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i]!.span.start < b[j]!.span.start)) out.push(a[i++]!);
    else out.push(b[j++]!);
  }
  return out;
}
