/** The controls above the charts: status, log scale, smoothing, CSV export. */
import { h } from "./dom";
import type { ViewSettings } from "./chart-data";

export interface ToolbarEvents {
  change(view: ViewSettings): void;
  exportCsv(): void;
}

export class Toolbar {
  readonly element: HTMLElement;
  readonly status: HTMLElement;
  private readonly logScale: HTMLInputElement;
  private readonly smoothing: HTMLInputElement;
  private readonly smoothingValue: HTMLOutputElement;

  constructor(events: ToolbarEvents) {
    this.status = h("div", { className: "status", attrs: { role: "status", "aria-live": "polite" } });
    this.logScale = h("input", { className: "log-scale", attrs: { type: "checkbox" } });
    this.smoothing = h("input", {
      className: "smoothing",
      attrs: { type: "range", min: "0", max: "0.99", step: "0.01", "aria-label": "smoothing" },
    });
    this.smoothingValue = h("output", { className: "smoothing-value" });
    const exportButton = h("button", { className: "export-csv", text: "Export CSV", title: "Save the epoch history as CSV" });
    const changed = () => {
      this.smoothingValue.textContent = Number(this.smoothing.value).toFixed(2);
      events.change(this.read());
    };
    this.logScale.addEventListener("change", changed);
    this.smoothing.addEventListener("input", changed);
    exportButton.addEventListener("click", () => events.exportCsv());
    this.element = h(
      "div",
      { className: "toolbar" },
      this.status,
      h(
        "div",
        { className: "controls" },
        h("label", { className: "control" }, this.logScale, "log scale"),
        h("label", { className: "control" }, "smoothing", this.smoothing, this.smoothingValue),
        exportButton,
      ),
    );
  }

  show(view: ViewSettings): void {
    this.logScale.checked = view.logScale;
    this.smoothing.value = String(view.smoothing);
    this.smoothingValue.textContent = view.smoothing.toFixed(2);
  }

  read(): ViewSettings {
    return { logScale: this.logScale.checked, smoothing: Number(this.smoothing.value) };
  }
}
