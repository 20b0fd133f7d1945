/**
 * The editor's time budgets on hostile and large texts, and the demo's run
 * time: the figures the test suite checks for their answers only, measured
 * here as the fastest of a few warm runs, so that a loaded machine cannot fail
 * `npm test`. A row over its budget is marked OVER and the bench exits 1.
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { analyze, lex } from "../server/src/language/index";
import * as ide from "../server/src/language/ide/index";

interface Row {
  what: string;
  budgetMs: number;
  work: () => unknown;
  runs?: number;
}

function fastestMs(work: () => unknown, runs: number): number {
  work();
  let fastest = Infinity;
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    work();
    fastest = Math.min(fastest, performance.now() - started);
  }
  return fastest;
}

const mb = 1 << 20;
const small = "network n {\n  input x: 2\n  layer h: dense 3 tanh\n  layer out: dense 1 sigmoid\n  loss bce\n  data xor\n}\n";

function deepFile(): string {
  const lines = ["network deep {", "  input x: 4"];
  for (let i = 1; i < 1000; i++) lines.push(i % 10 === 0 ? `  layer h${i}: add(h${i - 1}, h${i - 2})` : `  layer h${i}: dense 8 tanh`);
  lines.push("  layer out: dense 3 softmax", "  loss cross_entropy", "  data iris", "}", "");
  return lines.join("\n");
}

function rows(): Row[] {
  const document = (text: string) => ide.analyzeDocument({ uri: "file:///budget.nnet", version: 1, text });
  const deep = deepFile();
  const deepDocument = document(deep);
  const longName = small.replace("layer h:", `layer ${"h".repeat(60_000)}:`);
  const longNameDocument = document(longName);
  const inlineRow = (bytes: number) => `network n {\n  input x: 2\n  data { ${"1 ".repeat(bytes / 2)}-> 1 }\n}\n`;
  return [
    ...[["1 MB word", "a".repeat(mb)], ["1 MB comment", `// ${"c".repeat(mb)}`], ["1 MB string", `network a { data csv("${"s".repeat(mb)}") }`],
      ["1 MB number run", `network a { data { ${"1 ".repeat(mb / 2)}-> 1 } }`]]
      .map(([name, text]): Row => ({ what: `check a ${name}`, budgetMs: 5000, work: () => analyze(text!), runs: 2 })),
    { what: "check a 1 MB line of 50,000 layers", budgetMs: 10_000, work: () => analyze(`network a { input x: 2 ${"layer h: dense 3 tanh ".repeat(50000)}}`), runs: 1 },
    { what: "format 10,000 nested { }", budgetMs: 100, work: () => ide.formatText(`network n {\n  input x: 2\n  ${"{".repeat(10_000)}${"}".repeat(10_000)}\n}\n`) },
    { what: "format 10,000 unclosed {", budgetMs: 100, work: () => ide.formatText(`network n {${"{".repeat(10_000)}`) },
    { what: "format a 50 KB inline row", budgetMs: 100, work: () => ide.formatText(inlineRow(50_000)) },
    // the lexer's token list, then the whole formatter on the same row: it reads the lexer's scan into columns of offsets, with no list
    { what: "lex a 1 MB inline row", budgetMs: 1500, work: () => lex(inlineRow(mb), { unlexed: true }), runs: 3 },
    { what: "format a 1 MB inline row", budgetMs: 2000, work: () => ide.formatText(inlineRow(mb)), runs: 3 },
    { what: "completion in a 60,000-character name", budgetMs: 100, work: () => ide.completion(longNameDocument, longName.indexOf("hhhh") + 30_000) },
    { what: "completion after that name", budgetMs: 100, work: () => ide.completion(longNameDocument, longName.indexOf(": dense") + 2) },
    { what: "1,000 layers: hover h1", budgetMs: 100, work: () => ide.hover(deepDocument, deep.indexOf("h1:")) },
    { what: "1,000 layers: hover network", budgetMs: 100, work: () => ide.hover(deepDocument, deep.indexOf("deep")) },
    { what: "1,000 layers: completion", budgetMs: 100, work: () => ide.completion(deepDocument, deep.indexOf("dense 8 tanh", deep.length / 2) + 9) },
    { what: "1,000 layers: semantic tokens", budgetMs: 100, work: () => ide.semanticTokens(deepDocument) },
    { what: "1,000 layers: inlay hints", budgetMs: 100, work: () => ide.inlayHints(deepDocument, { start: 0, end: deep.length }) },
    { what: "1,000 layers: symbols", budgetMs: 100, work: () => ide.documentSymbols(deepDocument) },
    { what: "1,000 layers: references", budgetMs: 100, work: () => ide.references(deepDocument, deep.indexOf("h500:"), true) },
    { what: "1,000 layers: format", budgetMs: 100, work: () => ide.format(deepDocument) },
    { what: "nnet demo (spiral, 300 epochs, gradient check)", budgetMs: 30_000, work: () => execFileSync(process.execPath, [join(__dirname, "..", "cli.js"), "demo"], { stdio: "pipe" }), runs: 1 },
  ];
}

/** Prints one line per budget; returns how many were over. */
export function measureBudgets(): number {
  let over = 0;
  console.log("\nbudgets: the fastest of a few warm runs against each budget");
  for (const row of rows()) {
    const ms = fastestMs(row.work, row.runs ?? 4);
    const late = ms > row.budgetMs;
    if (late) over++;
    console.log(`${row.what.padEnd(48)} ${ms.toFixed(1).padStart(9)} ms  budget ${String(row.budgetMs).padStart(6)} ms${late ? "  OVER" : ""}`);
  }
  return over;
}
