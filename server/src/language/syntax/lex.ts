/** The token stream as plain data, for highlighting and formatting: kinds and spans, comments included. */
import { tokenMatcher } from "chevrotain";
import type { Span } from "./ast";
import { Keyword, nnetLexer } from "./tokens";

export interface LexedToken {
  /** the token's name: Identifier, NumberLiteral, StringLiteral, LineComment, BlockComment, Arrow, LCurly, Layer, … */
  type: string;
  span: Span;
  keyword: boolean;
}

/** Every token of the text in source order. Never throws; unlexable characters are left out. */
export function lex(text: string): LexedToken[] {
  try {
    const result = nnetLexer.tokenize(text);
    const all = [...result.tokens, ...(result.groups.comments ?? [])].sort((a, b) => a.startOffset - b.startOffset);
    return all
      .filter((token) => token.tokenType.name !== "Newline")
      .map((token) => ({
        type: token.tokenType.name,
        span: { start: token.startOffset, end: token.startOffset + token.image.length },
        keyword: tokenMatcher(token, Keyword),
      }));
  } catch {
    return [];
  }
}
