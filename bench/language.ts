/**
 * Parse and check times of generated networks of 10 to 10,000 layers, as
 * medians of several runs, with milliseconds per layer to show the growth
 * is linear, then the editor's budgets on hostile texts (budgets.ts). Run
 * with `npm run bench:language`.
 */
import { analyze, parse } from "../server/src/language/index";
import { measureBudgets } from "./budgets";

/** A network of `layers` layers mixing dense layers with residual adds and concats. */
export function generate(layers: number): string {
  const lines = ["// generated for the language benchmark", "network big {", "  input x: 2"];
  for (let i = 0; i < layers - 1; i++) {
    if (i % 10 === 9) lines.push(`  layer l${i}: add(l${i - 1}, l${i - 3})`);
    else if (i % 10 === 5) lines.push(`  layer l${i}: dense 8 tanh from l${i - 1} init xavier`);
    else lines.push(`  layer l${i}: dense 8 relu`);
  }
  lines.push("  layer out: dense 1 sigmoid", "  loss binary_cross_entropy", "  data moons(samples: 400, noise: 0.1)");
  lines.push("  train {", "    optimizer adam(lr: 0.01)", "    epochs 10", "    batch 32", "  }", "}");
  return lines.join("\n") + "\n";
}

function median(runs: number, task: () => void): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    task();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[times.length >> 1];
}

const sizes = [10, 100, 1000, 10000];
const rows: string[][] = [["layers", "bytes", "parse ms", "check ms", "total ms", "µs/layer"]];
for (const layers of sizes) {
  const text = generate(layers);
  const runs = layers >= 10000 ? 5 : 15;
  median(3, () => analyze(text));
  const parseMs = median(runs, () => parse(text));
  const totalMs = median(runs, () => analyze(text));
  const problems = analyze(text).diagnostics.filter((d) => d.severity === "error").length;
  if (problems > 0) throw new Error(`the generated ${layers}-layer network has ${problems} errors: ${analyze(text).diagnostics[0].message}`);
  rows.push([String(layers), String(text.length), parseMs.toFixed(2), Math.max(0, totalMs - parseMs).toFixed(2), totalMs.toFixed(2), ((totalMs / layers) * 1000).toFixed(1)]);
}
const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
for (const row of rows) console.log(row.map((cell, c) => cell.padStart(widths[c])).join("  "));
console.log("check ms = total (parse + check) minus parse; total is one analyze() call.");
if (measureBudgets() > 0) process.exitCode = 1;
