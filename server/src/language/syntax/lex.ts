/** The token stream as plain data, for highlighting and formatting: kinds and spans, comments included. */
import { tokenMatcher } from "chevrotain";
import type { Span } from "./ast";
import { Keyword, nnetLexer } from "./tokens";

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
    const tokens: LexedToken[] = [...result.tokens, ...(result.groups.comments ?? [])]
      .filter((token) => token.tokenType.name !== "Newline")
      .map((token) => ({
        type: token.tokenType.name,
        span: { start: token.startOffset, end: token.startOffset + token.image.length },
        keyword: tokenMatcher(token, Keyword),
      }));
    if (options.unlexed) {
      for (const error of result.errors) tokens.push({ type: "Unlexed", span: { start: error.offset, end: error.offset + error.length }, keyword: false });
    }
    return tokens.sort((a, b) => a.span.start - b.span.start);
  } catch {
    return [];
  }
}
