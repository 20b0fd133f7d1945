/**
 * The run history of the panel's network: one row per run or gradient check,
 * newest first, with its settings and final figures. Ticking two or more
 * overlays their curves; each row can be pinned, renamed, deleted or saved
 * as CSV or as a PNG of its charts. A run whose text no longer matches the file says so.
 */
import type { HistoryRun } from "../../server/src/protocol";
import { clear, formatNumber, h } from "./dom";

export interface RunsActions {
  select(ids: string[]): void;
  edit(change: { id: string; name?: string; pinned?: boolean; remove?: boolean }): void;
  exportCsv(run: HistoryRun): void;
  exportPng(run: HistoryRun): void;
}

const time = (run: HistoryRun): string => new Date(run.startedAt).toLocaleString(undefined, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit" });

function figures(run: HistoryRun): string {
  const parts = [run.kind === "train" ? "training" : "gradient check", run.status];
  if (run.final) parts.push(`${run.final.epoch} epochs`, `loss ${formatNumber(run.final.loss, 4)}`);
  if (run.final?.accuracy !== undefined) parts.push(`accuracy ${formatNumber(run.final.accuracy, 3)}`);
  if (run.gradcheck) parts.push(`gradcheck ${run.gradcheck.passed ? "PASS" : "FAIL"} ${formatNumber(run.gradcheck.maxRelError)}`);
  return parts.join(" · ");
}

export class RunsCard {
  readonly card: HTMLElement;
  private readonly list: HTMLOListElement;
  private readonly hint: HTMLElement;

  constructor(private readonly actions: RunsActions) {
    this.list = h("ol", { className: "runs-list" });
    this.hint = h("p", { className: "chart-note runs-hint", text: "Tick two or more runs to overlay their curves." });
    this.card = h("section", { className: "card runs-card" }, h("header", { className: "card-header" }, h("h2", { text: "Runs" })), this.hint, this.list);
    this.card.hidden = true;
  }

  render(runs: HistoryRun[] | undefined, selected: string[]): void {
    this.card.hidden = !runs || runs.length === 0;
    clear(this.list);
    if (!runs) return;
    this.hint.hidden = runs.length < 2;
    for (const run of runs) this.list.append(this.row(run, selected));
  }

  private row(run: HistoryRun, selected: string[]): HTMLLIElement {
    const tick = h("input", { attrs: { type: "checkbox", "aria-label": `compare ${run.name ?? time(run)}` } });
    tick.checked = selected.includes(run.id);
    tick.addEventListener("change", () => {
      const ids = tick.checked ? [...selected, run.id] : selected.filter((id) => id !== run.id);
      this.actions.select(ids);
    });
    const name = h("span", { className: "run-name", text: run.name ?? time(run) });
    const settings = Object.entries(run.settings).map(([key, value]) => `${key} ${value}`).join(" · ");
    const stale = run.matchesText === false ? h("span", { className: "run-stale", text: "text changed since", title: "The file no longer has the text this run started on" }) : undefined;
    const pinned = run.pinned ? h("span", { className: "run-pinned", text: "pinned" }) : undefined;
    const rename = h("input", { className: "run-rename", attrs: { type: "text", "aria-label": "new name", placeholder: "name, then Enter" } });
    rename.hidden = true;
    rename.addEventListener("keydown", (event) => {
      if (event.key === "Enter") this.actions.edit({ id: run.id, name: rename.value });
      if (event.key === "Escape") rename.hidden = true;
    });
    const button = (text: string, act: () => void, title: string) => {
      const element = h("button", { className: "secondary run-action", text, title });
      element.addEventListener("click", act);
      return element;
    };
    const item = h(
      "li",
      { className: `run-row${run.matchesText === false ? " stale" : ""}` },
      h("label", { className: "run-title" }, tick, name, pinned, stale),
      h("div", { className: "run-figures", text: figures(run) }),
      h("div", { className: "run-settings", text: settings }),
      h("div", { className: "run-actions" },
        button(run.pinned ? "Unpin" : "Pin", () => this.actions.edit({ id: run.id, pinned: !run.pinned }), "A pinned run is never dropped from the history"),
        button("Rename", () => { rename.hidden = false; rename.value = run.name ?? ""; rename.focus(); }, "Name this run"),
        button("CSV", () => this.actions.exportCsv(run), "Save this run's epochs as CSV"),
        button("PNG", () => this.actions.exportPng(run), "Save this run's loss, accuracy and gradient-norm charts as one PNG"),
        button("Delete", () => this.actions.edit({ id: run.id, remove: true }), "Remove this run from the history"),
        rename),
    );
    item.dataset.run = run.id;
    return item;
  }
}
