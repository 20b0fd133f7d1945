/** The run's metrics: per class with the confusion matrix, per label, or per output (MAE, RMSE, R²), named as the data names them. */
import type { ClassificationReport, RunReport } from "../../server/src/protocol";
import { clear, h } from "./dom";

function table(className: string, head: string[], rows: string[][]): HTMLElement {
  return h(
    "div",
    { className: "table-scroll" },
    h(
      "table",
      { className: `metrics ${className}` },
      h("thead", {}, h("tr", {}, ...head.map((c) => h("th", { text: c, attrs: { scope: "col" } })))),
      h("tbody", {}, ...rows.map((row) => h("tr", {}, ...row.map((cell, i) => (i === 0 ? h("th", { text: cell, attrs: { scope: "row" } }) : h("td", { text: cell })))))),
    ),
  );
}

const percent = (v: number): string => (Number.isFinite(v) ? `${(100 * v).toFixed(1)}%` : "n/a");
// as the CLI prints them; an R² of constant targets is NaN
const fixed = (v: number | undefined): string => (v !== undefined && Number.isFinite(v) ? v.toFixed(3) : "n/a");

function classParts(report: ClassificationReport, names: string[]): HTMLElement[] {
  const name = (i: number): string => names[i] ?? String(i);
  return [
    h("p", { className: "metrics-summary", text: `accuracy ${percent(report.accuracy)}, macro F1 ${fixed(report.macroF1)}` }),
    table("per-class", ["class", "precision", "recall", "F1", "support"],
      report.perClass.map((m, i) => [name(i), fixed(m.precision), fixed(m.recall), fixed(m.f1), String(m.support)])),
    h("p", { className: "metrics-caption", text: "Confusion matrix (rows: true class, columns: predicted)" }),
    table("confusion", ["", ...report.confusion.map((_, i) => name(i))], report.confusion.map((row, i) => [name(i), ...row.map(String)])),
  ];
}

function parts(metrics: RunReport): HTMLElement[] {
  if (metrics.kind === "classes") return classParts(metrics.report, metrics.names);
  if (metrics.kind === "labels") {
    // each label's own yes/no decision: precision and recall are about its "yes"
    return [table("per-label", ["label", "accuracy", "precision", "recall", "F1", "support"], metrics.perLabel.map((c, i) => {
      const yes = c.perClass[1];
      return [metrics.names[i] ?? String(i), percent(c.accuracy), fixed(yes?.precision), fixed(yes?.recall), fixed(yes?.f1), String(yes?.support ?? 0)];
    }))];
  }
  const r = metrics.report;
  const rows = [
    ...(r.perOutput.length > 1 ? r.perOutput.map((o, i) => [metrics.names[i] ?? String(i), fixed(o.mae), fixed(o.rmse), fixed(o.r2)]) : []),
    [r.perOutput.length > 1 ? "all" : metrics.names[0] ?? "output", fixed(r.mae), fixed(r.rmse), fixed(r.r2)],
  ];
  return [table("per-output", ["output", "MAE", "RMSE", "R²"], rows)];
}

export class MetricsCard {
  readonly card: HTMLElement;
  private readonly where: HTMLElement;
  private readonly body: HTMLElement;

  constructor() {
    this.where = h("p", { className: "metrics-part" });
    this.body = h("div", { className: "metrics-body" });
    this.card = h("section", { className: "card metrics-card" }, h("header", { className: "card-header" }, h("h2", { text: "Metrics" })), this.where, this.body);
    this.card.hidden = true;
  }

  render(metrics: RunReport | undefined): void {
    this.card.hidden = !metrics;
    clear(this.body);
    if (!metrics) return;
    this.where.textContent = metrics.part === "validation" ? "On the validation split." : "On the training data (the run has no validation split).";
    this.body.append(...parts(metrics));
  }
}
