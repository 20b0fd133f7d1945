/**
 * The .nnet tokens, declared once. Keywords are only the structural words;
 * activation, loss, optimizer, initialiser and data-source names are plain
 * identifiers so that a typo is reported by the checker at that word.
 */
import { createToken, Lexer, type TokenType } from "chevrotain";

/** Every token that cannot begin a network: the file rule skips runs of them as one error. */
export const Stray = createToken({ name: "Stray", pattern: Lexer.NA });
/** Tokens that cannot begin, separate or end an entry: a network body skips runs of them as one error. */
export const BodyStray = createToken({ name: "BodyStray", pattern: Lexer.NA, categories: [Stray] });
/** Tokens that cannot begin a setting: a train/gradcheck block skips them as one error per run. */
export const SettingStray = createToken({ name: "SettingStray", pattern: Lexer.NA });
/** Tokens that cannot appear in an inline row: a data block skips them as one error per run. */
export const RowStray = createToken({ name: "RowStray", pattern: Lexer.NA });
/** The structural words, for completion and highlighting. */
export const Keyword = createToken({ name: "Keyword", pattern: Lexer.NA });
/** Words that begin an entry inside a network body. */
export const EntryKeyword = createToken({ name: "EntryKeyword", pattern: Lexer.NA, categories: [Keyword, Stray] });

export const Identifier = createToken({
  name: "Identifier",
  pattern: /[A-Za-z_][A-Za-z0-9_]*/,
  label: "a name",
  categories: [BodyStray, RowStray],
});

function keyword(word: string, categories: TokenType[] = [Keyword, BodyStray, SettingStray, RowStray]): TokenType {
  return createToken({
    name: word[0].toUpperCase() + word.slice(1),
    pattern: new RegExp(word),
    longer_alt: Identifier,
    label: `'${word}'`,
    categories,
  });
}

export const Network = keyword("network", [Keyword]);
export const Input = keyword("input", [EntryKeyword]);
export const Layer = keyword("layer", [EntryKeyword]);
export const Loss = keyword("loss", [EntryKeyword]);
export const Data = keyword("data", [EntryKeyword]);
export const Train = keyword("train", [EntryKeyword]);
export const Gradcheck = keyword("gradcheck", [EntryKeyword]);
export const Dense = keyword("dense");
export const Add = keyword("add");
export const Concat = keyword("concat");
export const Dropout = keyword("dropout");
export const From = keyword("from");
export const Init = keyword("init");
export const Full = keyword("full");
export const True = keyword("true");
export const False = keyword("false");

export const NumberLiteral = createToken({
  name: "NumberLiteral",
  pattern: /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/,
  label: "a number",
  categories: [BodyStray, SettingStray],
});
/** Unterminated strings still lex as one token; the parse step reports them. */
export const StringLiteral = createToken({
  name: "StringLiteral",
  pattern: /"(?:[^"\\\r\n]|\\.)*"?/,
  label: "a string",
  categories: [BodyStray, SettingStray, RowStray],
});

export const LineComment = createToken({ name: "LineComment", pattern: /\/\/[^\r\n]*/, group: "comments" });
/** Unterminated block comments run to the end of the text and are reported by the parse step. */
export const BlockComment = createToken({
  name: "BlockComment",
  pattern: /\/\*(?:[^*]|\*(?!\/))*(?:\*\/)?/,
  group: "comments",
  line_breaks: true,
});

export const Newline = createToken({ name: "Newline", pattern: /\r\n|\r|\n/, line_breaks: true, label: "a new line" });
export const WhiteSpace = createToken({ name: "WhiteSpace", pattern: /[ \t\f\v\uFEFF\u00A0]+/, group: Lexer.SKIPPED });

export const Arrow = createToken({ name: "Arrow", pattern: /->/, label: "'->'", categories: [BodyStray, SettingStray] });
export const Semicolon = createToken({ name: "Semicolon", pattern: /;/, label: "';'", categories: [BodyStray, SettingStray] });
export const Comma = createToken({ name: "Comma", pattern: /,/, label: "','", categories: [Stray, RowStray] });
export const Colon = createToken({ name: "Colon", pattern: /:/, label: "':'", categories: [BodyStray, SettingStray, RowStray] });
export const LParen = createToken({ name: "LParen", pattern: /\(/, label: "'('", categories: [BodyStray, SettingStray, RowStray] });
export const RParen = createToken({ name: "RParen", pattern: /\)/, label: "')'", categories: [BodyStray, SettingStray, RowStray] });
export const LCurly = createToken({ name: "LCurly", pattern: /\{/, label: "'{'", categories: [BodyStray, SettingStray, RowStray] });
export const RCurly = createToken({ name: "RCurly", pattern: /\}/, label: "'}'", categories: [Stray] });
export const LBracket = createToken({ name: "LBracket", pattern: /\[/, label: "'['", categories: [BodyStray, SettingStray, RowStray] });
export const RBracket = createToken({ name: "RBracket", pattern: /\]/, label: "']'", categories: [BodyStray, SettingStray, RowStray] });

/** Order matters: comments before anything starting with '/', the arrow before numbers, keywords before Identifier. */
export const allTokens: TokenType[] = [
  WhiteSpace, Newline, LineComment, BlockComment,
  Arrow, NumberLiteral, StringLiteral,
  Semicolon, Comma, Colon, LParen, RParen, LCurly, RCurly, LBracket, RBracket,
  Network, Input, Layer, Loss, Data, Train, Gradcheck,
  Dense, Add, Concat, Dropout, From, Init, Full, True, False,
  Identifier,
  Stray, BodyStray, SettingStray, RowStray, Keyword, EntryKeyword,
];

/** The keyword spellings, for completion and the TextMate grammar's tests. */
export const keywords: readonly string[] = [
  "network", "input", "layer", "dense", "add", "concat", "dropout", "from", "init",
  "loss", "data", "train", "gradcheck", "full", "true", "false",
];

/** Keras and PyTorch spellings of structural words, suggested where the parser expects the word. */
export const foreignKeywords: Readonly<Record<string, string>> = { Dense: "dense", Linear: "dense", Add: "add", Concatenate: "concat" };

export const nnetLexer = new Lexer(allTokens, { positionTracking: "onlyOffset", ensureOptimizations: true });
