/**
 * `parse(text)`: tokens, one reused parser, the CST → AST visitor. It never
 * throws; lexer and parser problems come back as errors with spans.
 */
import type { ILexingError, IRecognitionException, IToken } from "chevrotain";
import type * as ast from "./ast";
import { nnetParser } from "./grammar";
import type { CstNode } from "chevrotain";
import { blockStrayRuns, networkOf, strayRuns } from "./entries";
import { nodesOf } from "./visitor";
import { closest, didYouMean } from "../suggest";
import { tokenSpan } from "./visitor";
import { BlockComment, foreignKeywords, Identifier, keywords, nnetLexer, StringLiteral } from "./tokens";

/** Past this many errors a file is not worth reporting on further. */
export const maxSyntaxErrors = 100;

function lexingErrorOf(error: ILexingError, text: string): ast.SyntaxError {
  // control characters (a binary file, an escape sequence) would be invisible or act on the terminal
  const found = text.slice(error.offset, error.offset + Math.min(error.length, 20))
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`);
  return {
    message: `unexpected character${error.length > 1 ? "s" : ""} '${found}'; expected a name, a number, a string or one of { } ( ) : , ; ->`,
    span: { start: error.offset, end: error.offset + error.length },
  };
}

function unterminated(tokens: IToken[], comments: IToken[]): ast.SyntaxError[] {
  const errors: ast.SyntaxError[] = [];
  for (const token of tokens) {
    if (token.tokenType !== StringLiteral) continue;
    const closed = token.image.length >= 2 && token.image.endsWith('"') && !/(^|[^\\])(\\\\)*\\"$/.test(token.image);
    if (!closed) errors.push({ message: "unterminated string: add the closing '\"' on this line", span: tokenSpan(token) });
  }
  for (const comment of comments) {
    if (comment.tokenType === BlockComment && !(comment.image.length >= 4 && comment.image.endsWith("*/"))) {
      errors.push({ message: "unterminated comment: '/*' has no closing '*/'", span: { start: comment.startOffset, end: comment.startOffset + 2 } });
    }
  }
  return errors;
}

/** A misspelt keyword where the parser expected one, such as 'dens' for 'dense'. */
function keywordSuggestion(error: IRecognitionException): string | undefined {
  if (error.token.tokenType !== Identifier) return undefined;
  const expected = /^expected (.*?) in /.exec(error.message)?.[1] ?? "";
  const words = [...expected.matchAll(/'([a-z]+)'/g)].map((match) => match[1]).filter((word) => keywords.includes(word));
  const foreign = Object.hasOwn(foreignKeywords, error.token.image) ? foreignKeywords[error.token.image] : undefined;
  return foreign && words.includes(foreign) ? foreign : closest(error.token.image, words);
}

function recognitionErrorOf(error: IRecognitionException, textLength: number): ast.SyntaxError {
  const token = error.token;
  if (Number.isFinite(token.startOffset) && token.tokenType.name !== "EOF") {
    const suggestion = keywordSuggestion(error);
    return { message: error.message + didYouMean(suggestion), span: tokenSpan(token), ...(suggestion ? { suggestion } : {}) };
  }
  // at the end of the text, point just after the last real token
  const previous = (error as IRecognitionException & { previousToken?: IToken }).previousToken;
  const at = previous && Number.isFinite(previous.startOffset) ? previous.startOffset + previous.image.length : textLength;
  return { message: error.message, span: { start: at, end: at } };
}

const entryWords = ["input", "layer", "loss", "data", "train", "gradcheck"];

function strayErrors(runs: IToken[][], where: string, words: string[] = []): ast.SyntaxError[] {
  return runs.map((run) => {
    const suggestion = run[0].tokenType === Identifier ? closest(run[0].image, words) : undefined;
    const message = `unexpected '${run[0].image.slice(0, 20)}' ${where}${didYouMean(suggestion)}`;
    return { message, span: tokenSpan(run[0]), ...(suggestion ? { suggestion } : {}) };
  });
}

const outside = "outside a network; a file holds 'network NAME { … }' blocks";
const inside = "in a network body; expected an entry: input, layer, loss, data, train or gradcheck";
const inSettings = "in a settings block; expected KEY VALUE entries such as 'epochs 100'";
const inRows = "in inline data; expected rows of numbers such as '0 1 -> 1', separated by new lines or ';'";

/** Junk that the body, settings and inline-data rules skipped, one error per run. */
function blockStray(network: CstNode, text: string): ast.SyntaxError[] {
  const settings = nodesOf(network, "settingsBlock");
  const inline = nodesOf(network, "dataEntry").flatMap((entry) => nodesOf(entry, "inlineData"));
  return [
    ...strayErrors(blockStrayRuns(network, "BodyStray", text), inside, entryWords),
    ...settings.flatMap((block) => strayErrors(blockStrayRuns(block, "SettingStray", text), inSettings)),
    ...inline.flatMap((block) => strayErrors(blockStrayRuns(block, "RowStray", text), inRows)),
  ];
}

/** Junk right after a parser error on the same line is the tail of that error, not a new one. */
function withoutEchoes(stray: ast.SyntaxError[], parserErrors: ast.SyntaxError[], text: string): ast.SyntaxError[] {
  const starts = parserErrors.map((error) => error.span.start).sort((a, b) => a - b);
  let next = 0;
  return stray.filter((error) => {
    while (next + 1 < starts.length && starts[next + 1] <= error.span.start) next++;
    const at = starts[next];
    return at === undefined || at > error.span.start || /[\r\n]/.test(text.slice(at, error.span.start));
  });
}

const commentOf = (token: IToken): ast.Comment => ({ text: token.image, span: tokenSpan(token), block: token.tokenType === BlockComment });

/** Recovery throws one exception per error; their stack traces are never read and dominate the cost. */
function withoutStackTraces<T>(run: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return run();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

function parseUnsafe(text: string): ast.ParseResult {
  const lexed = nnetLexer.tokenize(text);
  const comments = lexed.groups.comments ?? [];
  nnetParser.input = lexed.tokens;
  const cst = withoutStackTraces(() => nnetParser.file());
  const networks = cst.children.network ?? [];
  const parserErrors = nnetParser.errors.map((error) => recognitionErrorOf(error, text.length));
  const stray = [
    ...strayErrors(strayRuns(cst), outside, ["network"]),
    ...networks.flatMap((node) => blockStray(node as CstNode, text)),
  ].sort((a, b) => a.span.start - b.span.start);
  const errors = [
    ...lexed.errors.map((error) => lexingErrorOf(error, text)),
    ...unterminated(lexed.tokens, comments),
    ...parserErrors,
    ...withoutEchoes(stray, parserErrors, text),
  ].sort((a, b) => a.span.start - b.span.start);
  const file: ast.File = {
    networks: networks.map((node) => networkOf(node as never)),
    comments: comments.map(commentOf),
    span: { start: 0, end: text.length },
  };
  return { ast: file, errors: errors.slice(0, maxSyntaxErrors) };
}

/** Parse a whole .nnet text. Never throws: an internal failure becomes one error on the whole text. */
export function parse(text: string): ast.ParseResult {
  try {
    return parseUnsafe(typeof text === "string" ? text : String(text));
  } catch (failure) {
    const message = failure instanceof Error ? failure.message : String(failure);
    return {
      ast: { networks: [], comments: [], span: { start: 0, end: text?.length ?? 0 } },
      errors: [{ message: `the parser failed: ${message}`, span: { start: 0, end: 0 } }],
    };
  }
}
