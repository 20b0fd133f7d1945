/**
 * A model's predictions for the rows of a CSV: the predicted class and its
 * probability, then every class's probability (or every output's value).
 * Labels and file names come from files the user chose, so they only ever
 * reach the page as text.
 */
import type { PredictResult } from "../../server/src/protocol";
import { clear, formatNumber, h } from "./dom";

/** Rows drawn at most; the rest are counted in the note. */
export const shownRows = 1_000;

export class PredictionsTable {
  readonly card: HTMLElement;
  private readonly note: HTMLElement;
  private readonly head: HTMLTableSectionElement;
  private readonly body: HTMLTableSectionElement;

  constructor() {
    this.note = h("p", { className: "predictions-note" });
    this.head = h("thead");
    this.body = h("tbody");
    this.card = h(
      "section",
      { className: "card predictions-card" },
      h("header", { className: "card-header" }, h("h2", { text: "Predictions" })),
      this.note,
      h("div", { className: "table-scroll" }, h("table", { className: "predictions" }, this.head, this.body)),
    );
    this.card.hidden = true;
  }

  render(result: PredictResult | undefined): void {
    this.card.hidden = !result;
    clear(this.head);
    clear(this.body);
    if (!result) return;
    const classes = result.kind === "classes";
    const total = result.rows.length + result.omitted;
    const shown = Math.min(result.rows.length, shownRows);
    this.note.textContent = `${result.network} · ${fileName(result.model)} on ${fileName(result.data)} · ${total} row${total === 1 ? "" : "s"}`
      + (shown < total ? ` (the first ${shown} shown)` : "");
    this.note.title = `${result.model}\n${result.data}`;
    const columns = [
      h("th", { text: "#", attrs: { scope: "col" } }),
      ...(classes ? [h("th", { text: "prediction", attrs: { scope: "col" } }), h("th", { className: "num", text: "p", attrs: { scope: "col" } })] : []),
      ...result.columns.map((name) => h("th", { className: classes ? "num value" : "num", text: name, attrs: { scope: "col" } })),
    ];
    this.head.append(h("tr", {}, ...columns));
    for (let i = 0; i < shown; i++) {
      const row = result.rows[i]!;
      this.body.append(h(
        "tr", {},
        h("td", { className: "num", text: String(i + 1) }),
        ...(classes ? [h("td", { className: "label", text: row.label ?? "" }), h("td", { className: "num", text: formatNumber(row.probability, 3) })] : []),
        ...row.values.map((value) => h("td", { className: classes ? "num value" : "num", text: formatNumber(value, 4) })),
      ));
    }
  }
}

const fileName = (path: string): string => path.split(/[\\/]/).pop() ?? path;
