/**
 * One canonical layout: entries one per line, two-space indents, single
 * spaces between tokens, at most one blank line. Only whitespace changes:
 * every token and comment is kept, in order, so formatting twice changes
 * nothing more. A `{ … }` written on one line (a short settings block,
 * inline rows) stays on one line.
 */
import type { IdeDocument } from "./document";
import { formatTokens, Kind, type FormatTokens } from "./format-tokens";
import { Layout } from "./format-layout";
import type { TextEdit } from "./types";

export { formatTokens };

const [lCurly, rCurly, lParen, rParen, lBracket] = ["{", "}", "(", ")", "["].map((c) => c.charCodeAt(0)) as [number, number, number, number, number];
const noSpaceBefore = new Set([":", ",", ";", ")", "]"].map((c) => c.charCodeAt(0)));

/** For each `{`, whether it and its `}` sit on one line with no comment inside. */
function inlineBlocks(tokens: FormatTokens): Uint8Array {
  const inline = new Uint8Array(tokens.count);
  const open: number[] = [];
  // lineEnds: tokens so far that break a line or are comments, so each block is checked in O(1), not by rescanning (nested blocks)
  const lineEndsBefore = new Int32Array(tokens.count + 1);
  for (let index = 0; index < tokens.count; index++) {
    const kind = tokens.kind(index);
    lineEndsBefore[index + 1] = lineEndsBefore[index]! + (tokens.breaks(index) > 0 || kind === Kind.LineComment || kind === Kind.BlockComment ? 1 : 0);
    const mark = tokens.mark(index);
    if (mark === lCurly) open.push(index);
    else if (mark === rCurly && open.length > 0) {
      const start = open.pop()!;
      if (lineEndsBefore[index + 1] === lineEndsBefore[start + 1]) inline[start] = 1;
    }
  }
  return inline;
}

/**
 * The `(` … `)` pairs that close before any brace: argument lists, whose
 * line breaks the parser skips. A stray `(` pairs with nothing, so it never
 * pulls the rest of the file onto one line.
 */
function argumentLists(tokens: FormatTokens): Uint8Array {
  const paired = new Uint8Array(tokens.count);
  let open = -1;
  for (let index = 0; index < tokens.count; index++) {
    const mark = tokens.mark(index);
    if (mark === lParen) open = index;
    else if (mark === rParen && open >= 0) {
      paired[open] = paired[index] = 1;
      open = -1;
    } else if (mark === lCurly || mark === rCurly) open = -1;
  }
  return paired;
}

// Two tokens written together stay together unless one is punctuation,
// so a space is never inserted where it could split what the parser reads as one token.
function spaced(tokens: FormatTokens, index: number, lists: Uint8Array): boolean {
  if (index === 0) return false;
  const mark = tokens.mark(index);
  const previous = tokens.mark(index - 1);
  if (tokens.glued(index) && tokens.kind(index - 1) !== Kind.Punctuation && tokens.kind(index) !== Kind.Punctuation) return false;
  if (noSpaceBefore.has(mark) && (mark !== rParen || lists[index] === 1)) return false;
  if (previous === lParen && lists[index - 1] === 1) return false;
  if (previous === lBracket) return false;
  if (mark === lParen && tokens.kind(index - 1) === Kind.Word && lists[index] === 1) return false;
  return true;
}

export function formatText(text: string): string {
  const tokens = formatTokens(text);
  const inline = inlineBlocks(tokens);
  const lists = argumentLists(tokens);
  const layout = new Layout(text.length + 64);
  const stack: boolean[] = [];
  let parens = 0;
  let forceBreak = false;
  for (let index = 0; index < tokens.count; index++) {
    const mark = tokens.mark(index);
    const breaks = tokens.breaks(index);
    const depth = stack.length + (parens > 0 ? 1 : 0);
    const inInline = stack.length > 0 && stack[stack.length - 1]!;
    const closesExpanded = mark === rCurly && stack.length > 0 && !inInline;
    const wantsBreak = forceBreak || closesExpanded || (breaks > 0 && parens === 0 && !inInline);
    if (index === 0 || wantsBreak) {
      layout.startLine(mark === rCurly ? depth - 1 : depth, breaks >= 2 && mark !== rCurly && index > 0);
    } else if (spaced(tokens, index, lists) && !layout.atLineStart) layout.space();
    tokens.writeTo(layout, index);
    forceBreak = tokens.endsLine(index);
    if (mark === lCurly) {
      stack.push(inline[index] === 1);
      forceBreak ||= inline[index] !== 1;
    } else if (mark === rCurly && stack.length > 0) {
      const wasInline = stack.pop()!;
      const next = tokens.mark(index + 1);
      forceBreak ||= !wasInline && next !== -1 && !noSpaceBefore.has(next);
    } else if (mark === lParen && lists[index] === 1) parens++;
    else if (mark === rParen && lists[index] === 1) parens--;
  }
  return layout.finish();
}

export function format(document: IdeDocument): TextEdit[] {
  const formatted = formatText(document.text);
  if (formatted === document.text) return [];
  return [{ span: { start: 0, end: document.text.length }, newText: formatted }];
}
