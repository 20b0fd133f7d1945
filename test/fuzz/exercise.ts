/**
 * Runs every language-tooling operation on one text, the way an editor
 * would ask, times each answer, and checks what can be checked without an
 * oracle: nothing throws, spans lie inside the text, and formatting keeps its
 * contract (see `format-contract.ts`). Only `npm run fuzz` also holds each
 * answer to a time budget; the test suite records times but never fails on
 * them, so a loaded machine cannot fail it.
 */
import { performance } from "node:perf_hooks";
import { lex, LineIndex, parse, type FileAccess } from "../../server/src/language/index";
import * as ide from "../../server/src/language/ide/index";
import { formatProblems } from "./format-contract";

/** Under `npm run fuzz`: an answer slower than this, on a text under `timedBelow` characters, fails (if it stays slow when measured again). */
export const budgetMs = 100;
export const timedBelow = 100_000;
/** Measurements of a slow call: the first and this many more; it fails only if every one is over budget. */
export const remeasures = 3;
/** Past this many token offsets, hover is asked at an even sample of them (huge texts only). */
export const maxHoverOffsets = 20_000;

export interface ExerciseOptions {
  /** hold each answer to `budgetMs` (`npm run fuzz`; never the test suite) */
  budgeted?: boolean;
  /** hover at an even sample of at most this many token offsets (default `maxHoverOffsets`) */
  hoverOffsets?: number;
}

export interface OperationStats {
  calls: number;
  totalMs: number;
  slowestMs: number;
  /** the first 200 characters of the text that produced the slowest answer */
  slowestText: string;
  slowestLength: number;
  /** the slowest answer on a text under `timedBelow` characters, the ones held to the budget */
  slowestTimedMs: number;
}

export type Stats = Map<string, OperationStats>;

export interface Outcome {
  problems: string[];
}

/** The CSV a `csv("data/fruit.csv", …)` source reads, so the CSV checks run without touching the disk. */
export const memoryFiles: FileAccess = {
  readFile: (path) => (path.endsWith("data/fruit.csv") ? "length,width,fruit\n1,2,apple\n3,4,pear\n5,6,plum\n" : undefined),
  resolve: (_from, relative) => `/fuzz/${relative}`,
};

function record(stats: Stats, operation: string, ms: number, text: string): void {
  const entry = stats.get(operation) ?? { calls: 0, totalMs: 0, slowestMs: 0, slowestText: "", slowestLength: 0, slowestTimedMs: 0 };
  entry.calls++;
  entry.totalMs += ms;
  if (text.length < timedBelow) entry.slowestTimedMs = Math.max(entry.slowestTimedMs, ms);
  if (ms > entry.slowestMs) Object.assign(entry, { slowestMs: ms, slowestText: text.slice(0, 200), slowestLength: text.length });
  stats.set(operation, entry);
}

class Runner {
  readonly problems: string[] = [];
  constructor(private readonly text: string, private readonly stats: Stats, private readonly budgeted: boolean) {}

  /** Calls `answer`, times it, and turns a throw or a consistently slow answer into a problem. */
  run<T>(operation: string, answer: () => T): T | undefined {
    let result: T;
    let first: number;
    try {
      const start = performance.now();
      result = answer();
      first = performance.now() - start;
    } catch (failure) {
      this.problems.push(`${operation} threw: ${failure instanceof Error ? failure.stack ?? failure.message : String(failure)}`);
      return undefined;
    }
    record(this.stats, operation, first, this.text);
    if (this.budgeted && first > budgetMs && this.text.length < timedBelow) this.confirmSlow(operation, first, answer);
    return result;
  }

  /** A loaded machine makes single measurements noisy: only an answer that is slow every time fails. */
  private confirmSlow(operation: string, first: number, answer: () => unknown): void {
    const again: number[] = [];
    for (let i = 0; i < remeasures; i++) {
      const start = performance.now();
      answer();
      again.push(performance.now() - start);
    }
    if (Math.min(...again) > budgetMs) {
      this.problems.push(`${operation} took ${first.toFixed(1)} ms, then ${again.map((ms) => ms.toFixed(1)).join(", ")} ms (budget ${budgetMs} ms)`);
    }
  }

  span(operation: string, span: { start: number; end: number } | undefined): void {
    if (!span) return;
    if (!(Number.isInteger(span.start) && Number.isInteger(span.end) && span.start >= 0 && span.start <= span.end && span.end <= this.text.length)) {
      this.problems.push(`${operation} answered a span outside the text: ${JSON.stringify(span)} (length ${this.text.length})`);
    }
  }

  words(operation: string, words: string | undefined): void {
    if (words !== undefined && /\bundefined\b|\[object Object\]/.test(words)) this.problems.push(`${operation} answered text with a hole in it: ${JSON.stringify(words.slice(0, 300))}`);
  }
}

/** Every token's start and end, plus 0 and the end of the text; sampled evenly past `most`. */
function tokenOffsets(text: string, most: number): number[] {
  const offsets = new Set<number>([0, text.length]);
  for (const token of lex(text)) offsets.add(token.span.start).add(token.span.end);
  const all = [...offsets].sort((a, b) => a - b);
  if (all.length <= most) return all;
  const step = all.length / most;
  return Array.from({ length: most }, (_, i) => all[Math.floor(i * step)]!).concat(text.length);
}

/** A few offsets spread over the text, some inside tokens, none chosen at random (the case is the randomness). */
function sampleOffsets(text: string, offsets: number[], count: number): number[] {
  const picked = new Set<number>([0, text.length]);
  for (let i = 1; i <= count; i++) {
    picked.add(offsets[Math.floor((i * offsets.length) / (count + 1))] ?? 0);
    picked.add(Math.floor((i * text.length) / (count + 1)));
  }
  return [...picked];
}

function navigation(runner: Runner, document: ide.IdeDocument, offsets: number[]): void {
  for (const offset of offsets) {
    runner.span("definition", runner.run("definition", () => ide.definition(document, offset)));
    for (const span of runner.run("references", () => ide.references(document, offset, true)) ?? []) runner.span("references", span);
    const prepared = runner.run("prepareRename", () => ide.prepareRename(document, offset));
    runner.span("prepareRename", prepared?.span);
    const renamed = runner.run("rename", () => ide.rename(document, offset, "renamed"));
    if (renamed && "edits" in renamed) for (const edit of renamed.edits) runner.span("rename", edit.span);
  }
}

function hovers(runner: Runner, document: ide.IdeDocument, offsets: number[]): void {
  for (const offset of offsets) {
    const found = runner.run("hover", () => ide.hover(document, offset));
    if (!found) continue;
    runner.span("hover", found.span);
    runner.words("hover", found.markdown);
    if (typeof found.markdown !== "string" || found.markdown.length === 0) runner.problems.push(`hover at ${offset} answered empty markdown`);
  }
}

function completions(runner: Runner, document: ide.IdeDocument, offsets: number[]): void {
  for (const offset of offsets) {
    const list = runner.run("completion", () => ide.completion(document, offset));
    if (!list) continue;
    runner.span("completion", list.span);
    for (const item of list.items) runner.words("completion", `${item.label} ${item.detail ?? ""} ${item.insertText ?? ""}`);
  }
}

function semanticTokens(runner: Runner, document: ide.IdeDocument): void {
  const tokens = runner.run("semanticTokens", () => ide.semanticTokens(document)) ?? [];
  let reach = 0;
  for (const token of tokens) {
    runner.span("semanticTokens", token.span);
    if (token.span.start < reach) runner.problems.push(`semanticTokens overlap at ${token.span.start} (previous token ends at ${reach})`);
    reach = Math.max(reach, token.span.end);
  }
}

function outline(runner: Runner, document: ide.IdeDocument): void {
  const visit = (symbols: ide.DocumentSymbol[]): void => symbols.forEach((symbol) => {
    runner.span("documentSymbols", symbol.span);
    runner.span("documentSymbols", symbol.selection);
    runner.words("documentSymbols", `${symbol.name} ${symbol.detail}`);
    if (symbol.selection.start < symbol.span.start || symbol.selection.end > symbol.span.end) {
      runner.problems.push(`documentSymbols: selection ${JSON.stringify(symbol.selection)} outside its symbol ${JSON.stringify(symbol.span)}`);
    }
    visit(symbol.children);
  });
  visit(runner.run("documentSymbols", () => ide.documentSymbols(document)) ?? []);
  for (const range of runner.run("foldingRanges", () => ide.foldingRanges(document)) ?? []) runner.span("foldingRanges", range.span);
  for (const lens of runner.run("codeLenses", () => ide.codeLenses(document)) ?? []) runner.span("codeLenses", lens.span);
}

function editorAnswers(runner: Runner, document: ide.IdeDocument, text: string): void {
  const whole = { start: 0, end: text.length };
  for (const diagnostic of runner.run("diagnostics", () => ide.diagnostics(document)) ?? []) runner.span("diagnostics", diagnostic.span);
  for (const hint of runner.run("inlayHints", () => ide.inlayHints(document, whole)) ?? []) {
    runner.span("inlayHints", { start: hint.offset, end: hint.offset });
    runner.words("inlayHints", hint.label);
  }
  runner.run("inlayHints", () => ide.inlayHints(document, { start: Math.floor(text.length / 3), end: Math.floor((2 * text.length) / 3) }));
  const ranges = [whole, ...document.analysis.diagnostics.slice(0, 20).map((diagnostic) => diagnostic.span)];
  for (const range of ranges) {
    for (const action of runner.run("codeActions", () => ide.codeActions(document, range)) ?? []) {
      action.edits.forEach((edit) => runner.span("codeActions", edit.span));
    }
  }
}

/** Runs every operation on `text`, adding timings to `stats`; the outcome lists whatever went wrong (a slow answer only when `budgeted`). */
export function exercise(text: string, stats: Stats, options: ExerciseOptions = {}): Outcome {
  const runner = new Runner(text, stats, options.budgeted === true);
  const parsed = runner.run("parse", () => parse(text));
  parsed?.errors.forEach((error) => runner.span("parse", error.span));
  if (parsed?.errors.some((error) => error.message.startsWith("the parser failed"))) runner.problems.push(`parse failed inside: ${parsed.errors[0]!.message}`);
  const document = runner.run("analyze", () => ide.analyzeDocument({ uri: "file:///fuzz/case.nnet", version: 1, text, path: "/fuzz/case.nnet", files: memoryFiles }));
  if (!document) return { problems: runner.problems };
  const internal = document.analysis.diagnostics.filter((diagnostic) => diagnostic.code === "nnet/internal");
  internal.forEach((diagnostic) => runner.problems.push(`analyze caught an internal failure: ${diagnostic.message}`));
  const offsets = tokenOffsets(text, options.hoverOffsets ?? maxHoverOffsets);
  hovers(runner, document, offsets);
  const sample = sampleOffsets(text, offsets, 6);
  completions(runner, document, sample);
  navigation(runner, document, sample);
  semanticTokens(runner, document);
  outline(runner, document);
  editorAnswers(runner, document, text);
  const edits = runner.run("format", () => ide.format(document));
  if (edits) runner.problems.push(...formatProblems(text, edits, parsed?.errors.length === 0, (op, answer) => runner.run(op, answer)));
  const lines = new LineIndex(text);
  for (const offset of sample) {
    const back = lines.offset(lines.position(offset));
    const insideCrLf = text[offset - 1] === "\r" && text[offset] === "\n";
    if (back !== offset && !insideCrLf) runner.problems.push(`LineIndex: offset ${offset} → ${JSON.stringify(lines.position(offset))} → ${back}`);
  }
  return { problems: runner.problems };
}
