/** The token stream as plain data, for highlighting and formatting: kinds and spans, comments included. */
import { createTokenInstance, tokenMatcher, type IToken } from "chevrotain";
import type { Span } from "./ast";
import { allTokens, Keyword, Newline, nnetLexer } from "./tokens";

export interface LexedToken {
  /** the token's name: Identifier, NumberLiteral, StringLiteral, LineComment, BlockComment, Arrow, LCurly, Layer, …; Unlexed for characters no token matches */
  type: string;
  span: Span;
  keyword: boolean;
}

/** Receives each token of `scan` in source order. */
export type TokenVisitor = (type: string, start: number, end: number, keyword: boolean) => void;

// each kind's name and keyword flag by its index, read once per token: a 1 MB line has half a million tokens
const kinds: { name: string; keyword: boolean }[] = [];
for (const type of allTokens) kinds[type.tokenTypeIdx!] = { name: type.name, keyword: tokenMatcher(createTokenInstance(type, "", 0, 0, 0, 0, 0, 0), Keyword) };

/**
 * Every token of the text in source order, handed to `visit` without
 * building a list (the formatter's path). Never throws; unlexable
 * characters are left out, or with `unlexed` kept as Unlexed tokens, so
 * that the tokens and the whitespace between them are the whole text.
 */
export function scan(text: string, options: { unlexed?: boolean }, visit: TokenVisitor): void {
  let result: ReturnType<typeof nnetLexer.tokenize>;
  try {
    result = nnetLexer.tokenize(text);
  } catch {
    return;
  }
  const code = result.tokens;
  const comments: IToken[] = result.groups.comments ?? [];
  const errors = options.unlexed ? result.errors : [];
  let i = 0, j = 0, k = 0;
  // three lists in source order merged as one, in linear time
  for (;;) {
    const a = i < code.length ? code[i]!.startOffset : Infinity;
    const b = j < comments.length ? comments[j]!.startOffset : Infinity;
    const c = k < errors.length ? errors[k]!.offset : Infinity;
    if (a === Infinity && b === Infinity && c === Infinity) return;
    if (a < b && a < c) {
      const token = code[i++]!;
      if (token.tokenType === Newline) continue;
      const kind = kinds[token.tokenTypeIdx]!;
      visit(kind.name, a, a + token.image.length, kind.keyword);
    } else if (b < c) {
      const token = comments[j++]!;
      visit(token.tokenType.name, b, b + token.image.length, false);
    } else {
      const error = errors[k++]!;
      visit("Unlexed", c, c + error.length, false);
    }
  }
}

/** Every token of the text in source order, as `scan` visits them. */
export function lex(text: string, options: { unlexed?: boolean } = {}): LexedToken[] {
  const tokens: LexedToken[] = [];
  scan(text, options, (type, start, end, keyword) => tokens.push({ type, span: { start, end }, keyword }));
  return tokens;
}
