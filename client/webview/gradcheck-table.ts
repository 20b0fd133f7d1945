/** The gradient check, one row per layer and parameter (backprop §6.5: relative error of ∂C/∂W against central differences). */
import type { GradcheckReport, GradcheckRow } from "../../server/src/protocol";
import { clear, formatNumber, h } from "./dom";

const columns = ["result", "layer", "param", "max rel. error", "median rel. error", "worst (row, col)", "kinks", "checked"];

// Checks across a relu kink or the cross-entropy clip, which are not differentiable there: "⚠ 2", "⚠ 3 clip", "⚠ 1 + 2 clip".
function nonSmooth(row: GradcheckRow): string {
  if (row.kinks + row.clips === 0) return "0";
  if (row.clips === 0) return `⚠ ${row.kinks}`;
  return row.kinks > 0 ? `⚠ ${row.kinks} + ${row.clips} clip` : `⚠ ${row.clips} clip`;
}

export class GradcheckTable {
  readonly card: HTMLElement;
  private readonly summary: HTMLElement;
  private readonly body: HTMLTableSectionElement;

  constructor(private readonly reveal: (layer: string) => void) {
    this.summary = h("p", { className: "gradcheck-summary" });
    this.body = h("tbody");
    const head = h("thead", {}, h("tr", {}, ...columns.map((c) => h("th", { text: c, attrs: { scope: "col" } }))));
    this.card = h(
      "section",
      { className: "card gradcheck-card" },
      h("header", { className: "card-header" }, h("h2", { text: "Gradient check" })),
      this.summary,
      h("div", { className: "table-scroll" }, h("table", { className: "gradcheck" }, head, this.body)),
    );
    this.card.hidden = true;
  }

  render(report: GradcheckReport | undefined): void {
    this.card.hidden = !report;
    clear(this.body);
    if (!report) return;
    const verdict = report.passed ? "PASS" : "FAIL";
    clear(this.summary);
    this.summary.append(
      h("span", { className: `verdict ${report.passed ? "pass" : "fail"}`, text: verdict }),
      ` ${report.network}: tolerance ${formatNumber(report.tolerance)}, ε = ${formatNumber(report.epsilon)}`,
    );
    for (const row of report.rows) this.body.append(this.row(row, report.tolerance));
  }

  private row(row: GradcheckRow, tolerance: number): HTMLTableRowElement {
    const errorClass = (e: number) => (e < tolerance ? "within" : "beyond");
    const tr = h(
      "tr",
      { className: row.passed ? "pass" : "fail", title: `Show ${row.layer} in the editor`, attrs: { tabindex: "0" } },
      ...[
        h("td", { className: `verdict ${row.passed ? "pass" : "fail"}`, text: row.passed ? "PASS" : "FAIL" }),
        h("td", { className: "layer", text: row.layer }),
        h("td", { text: row.param }),
        h("td", { className: `num ${errorClass(row.maxRelError)}`, text: formatNumber(row.maxRelError) }),
        h("td", { className: `num ${errorClass(row.medianRelError)}`, text: formatNumber(row.medianRelError) }),
        h("td", { className: "num", text: `(${row.worst.row}, ${row.worst.col})` }),
        h("td", { className: row.kinks + row.clips > 0 ? "num kink" : "num", text: nonSmooth(row) }),
        h("td", { className: "num", text: `${row.checked}/${row.total}` }),
      ].map((cell, i) => {
        // the column's name, shown beside the value when a narrow panel stacks the table
        cell.dataset.label = columns[i]!;
        return cell;
      }),
    );
    tr.dataset.layer = row.layer;
    tr.addEventListener("click", () => this.reveal(row.layer));
    tr.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        this.reveal(row.layer);
      }
    });
    return tr;
  }
}
