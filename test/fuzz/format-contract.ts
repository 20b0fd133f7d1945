/**
 * The formatter's contract (server/src/language/ide/format.ts), checked on
 * any text, with or without syntax errors, since it formats every file:
 * - idempotent: format(format(x)) = format(x);
 * - only whitespace changes: x and format(x) are equal once every /\s/ is removed;
 * - every token kept: the language lexer yields the same (kind, text) sequence,
 *   commas and semicolons included (the layout never adds or drops a separator);
 *   the only change inside a token is the trailing blanks of a line comment or of
 *   an unterminated string or block comment, which are layout;
 * - every comment kept: the parser's comment list has the same texts (same trim);
 * and, for a text that parses without errors, format(x) parses without errors
 * and gets the same diagnostics (same codes and messages).
 */
import { analyze, lex, parse } from "../../server/src/language/index";
import { formatText, type TextEdit } from "../../server/src/language/ide/index";

type Timed = <T>(operation: string, answer: () => T) => T | undefined;

function open(type: string, image: string): boolean {
  if (type === "LineComment") return true;
  if (type === "BlockComment") return !(image.length >= 4 && image.endsWith("*/"));
  return type === "StringLiteral" && !/^"(?:[^"\\\r\n]|\\.)*"$/.test(image);
}

/** What "every token" means: the lexer's tokens, kind and text, in order. */
export function tokenSequence(text: string): string[] {
  return lex(text).map((token) => tokenKey(text, token));
}

function tokenKey(text: string, token: { type: string; span: { start: number; end: number } }): string {
  const image = text.slice(token.span.start, token.span.end);
  return `${token.type} ${open(token.type, image) ? image.trimEnd() : image}`;
}

/** The first token that differs, compared in step (huge texts have a million tokens). */
function tokenDifference(before: string, after: string): string | undefined {
  const [a, b] = [lex(before), lex(after)];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const [x, y] = [a[i] && tokenKey(before, a[i]!), b[i] && tokenKey(after, b[i]!)];
    if (x !== y) return `at #${i}: ${JSON.stringify(x?.slice(0, 80))} became ${JSON.stringify(y?.slice(0, 80))} (lengths ${a.length} → ${b.length})`;
  }
  return undefined;
}

export function commentTexts(text: string): string[] {
  return parse(text).ast.comments.map((comment) => (comment.block && comment.text.endsWith("*/") && comment.text.length >= 4 ? comment.text : comment.text.trimEnd()));
}

const meaning = (text: string): string[] => analyze(text).diagnostics.map((d) => `${d.code} ${d.message}`).sort();

/** The first place two sequences differ, for a readable failure. */
function firstDifference(before: readonly string[], after: readonly string[]): string {
  let i = 0;
  while (i < before.length && i < after.length && before[i] === after[i]) i++;
  return `at #${i}: ${JSON.stringify(before[i]?.slice(0, 80))} became ${JSON.stringify(after[i]?.slice(0, 80))} (lengths ${before.length} → ${after.length})`;
}

/** Applies non-overlapping edits; undefined when they overlap or leave the text. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string | undefined {
  const sorted = [...edits].sort((a, b) => b.span.start - a.span.start);
  let result = text;
  let limit = text.length;
  for (const edit of sorted) {
    if (edit.span.start < 0 || edit.span.end > limit || edit.span.start > edit.span.end) return undefined;
    result = result.slice(0, edit.span.start) + edit.newText + result.slice(edit.span.end);
    limit = edit.span.start;
  }
  return result;
}

export function formatProblems(text: string, edits: readonly TextEdit[], parsesCleanly: boolean, run: Timed): string[] {
  const formatted = applyEdits(text, edits);
  if (formatted === undefined) return [`format answered overlapping or out-of-range edits: ${JSON.stringify(edits.map((edit) => edit.span))}`];
  const problems: string[] = [];
  const again = run("format", () => formatText(formatted));
  if (again !== undefined && again !== formatted) {
    problems.push(`format is not idempotent: ${firstDifference(formatted.split("\n"), again.split("\n"))}`);
  }
  if (formatted.replace(/\s/g, "") !== text.replace(/\s/g, "")) {
    problems.push(`format changed more than whitespace: ${firstDifference([...text.replace(/\s/g, "")], [...formatted.replace(/\s/g, "")])}`);
  }
  const tokens = tokenDifference(text, formatted);
  if (tokens) problems.push(`format changed the tokens ${tokens}`);
  const comments = [commentTexts(text), commentTexts(formatted)] as const;
  if (comments[0].join("\u0001") !== comments[1].join("\u0001")) problems.push(`format changed the comments ${firstDifference(...comments)}`);
  if (parsesCleanly && problems.length === 0) {
    const errors = parse(formatted).errors;
    if (errors.length > 0) problems.push(`format broke a valid file: ${errors[0]!.message}`);
    else if (meaning(text).join("\n") !== meaning(formatted).join("\n")) problems.push(`format changed the diagnostics ${firstDifference(meaning(text), meaning(formatted))}`);
  }
  return problems;
}
