/** The metrics of a run or a saved model as a readable table: per class (or label) and the confusion matrix, or per output. */
import type { ClassificationReport, RegressionReport, RunMetrics } from "../engine/index";

// a NaN (an R² of constant targets) reads back from JSON as null
const f3 = (v: number | null): string => (typeof v !== "number" || Number.isNaN(v) ? "n/a" : v.toFixed(3));
const g6 = (v: number | null): string => (typeof v !== "number" || Number.isNaN(v) ? "n/a" : v.toPrecision(6));

export function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  return rows.map((row) => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join("  ").trimEnd());
}

function classLines(c: ClassificationReport, labels: string[]): string[] {
  const name = (i: number): string => labels[i] ?? String(i);
  return [
    `accuracy ${(100 * c.accuracy).toFixed(1)}%  macro F1 ${f3(c.macroF1)}`, "",
    ...table([["class", "precision", "recall", "F1", "support"], ...c.perClass.map((m, i) => [name(i), f3(m.precision), f3(m.recall), f3(m.f1), String(m.support)])]),
    "", "confusion matrix (rows: true class, columns: predicted)",
    ...table([["", ...c.confusion.map((_, i) => name(i))], ...c.confusion.map((row, i) => [name(i), ...row.map(String)])]),
  ];
}

function labelLines(perLabel: ClassificationReport[], names: string[]): string[] {
  // each label's own yes/no decision: its "yes" class (index 1) is what precision and recall are about
  return table([["label", "accuracy", "precision", "recall", "F1", "support"], ...perLabel.map((c, i) => {
    const yes = c.perClass[1];
    return [names[i] ?? String(i), `${(100 * c.accuracy).toFixed(1)}%`, f3(yes.precision), f3(yes.recall), f3(yes.f1), String(yes.support)];
  })]);
}

function valueLines(r: RegressionReport, names: string[]): string[] {
  const overall = `MAE ${g6(r.mae)}  RMSE ${g6(r.rmse)}  R² ${f3(r.r2)}`;
  if (r.perOutput.length === 1) return [overall];
  return [overall, "", ...table([["output", "MAE", "RMSE", "R²"], ...r.perOutput.map((o, i) => [names[i] ?? String(i), g6(o.mae), g6(o.rmse), f3(o.r2)])])];
}

/** The table's lines; `names` are the class labels, or the output units' names. */
export function metricsLines(metrics: RunMetrics, names: string[]): string[] {
  if (metrics.kind === "classes") return classLines(metrics.report, names);
  if (metrics.kind === "labels") return labelLines(metrics.perLabel, names);
  return valueLines(metrics.report, names);
}

export const partText = (part: RunMetrics["part"]): string => (part === "validation" ? "on the validation split" : "on the training data (no validation split)");
