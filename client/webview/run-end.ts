/** The end-of-run card: what a finished training run can become (a model file, a PyTorch project, an ONNX graph). */
import { storedModelMissing, type ExportTarget, type PanelState } from "../../server/src/protocol";
import { h } from "./dom";

export interface RunEndEvents {
  save(): void;
  export(to: ExportTarget): void;
}

export class RunEndCard {
  readonly card: HTMLElement;
  private readonly summary: HTMLElement;
  private readonly stopped: HTMLElement;
  private readonly missing: HTMLElement;
  private readonly buttons: HTMLButtonElement[];

  constructor(events: RunEndEvents) {
    const button = (className: string, text: string, title: string, act: () => void): HTMLButtonElement => {
      const element = h("button", { className, text, title, attrs: { "data-title": title } });
      element.addEventListener("click", act);
      return element;
    };
    this.summary = h("p", { className: "run-end-summary" });
    this.stopped = h("p", { className: "run-end-stopped" });
    this.missing = h("p", { className: "run-end-missing" });
    this.buttons = [
      button("save-model", "Save Model…", "Save this run's weights as a .nnetmodel file", () => events.save()),
      button("export-pytorch secondary", "Export to PyTorch…", "Write a PyTorch project with this run's weights", () => events.export("pytorch")),
      button("export-onnx secondary", "Export to ONNX…", "Write this run's inference graph as an .onnx file", () => events.export("onnx")),
    ];
    this.card = h(
      "section",
      { className: "card run-end-card" },
      h("header", { className: "card-header" }, h("h2", { text: "Trained model" })),
      this.stopped,
      this.summary,
      this.missing,
      h("div", { className: "run-end-actions" }, ...this.buttons),
    );
    this.card.hidden = true;
  }

  /** Shown once a training run has ended with at least one whole epoch (a stopped run keeps its last one). */
  render(state: PanelState): void {
    const last = state.history[state.history.length - 1];
    const ended = state.kind === "train" && (state.status === "completed" || state.status === "cancelled") && last !== undefined;
    this.card.hidden = !ended;
    if (!ended) return;
    const stop = state.stopped;
    this.stopped.hidden = !stop;
    this.stopped.textContent = stop ? `Stopped early at epoch ${stop.epoch}: ${stop.reason}.` : "";
    const epoch = stop ? stop.bestEpoch : last.epoch;
    this.summary.textContent = `${state.network ?? "The network"} after epoch ${epoch}${state.status === "cancelled" ? " (stopped)" : ""}: save it to predict later, or export it.`;
    // a run drawn from the history (the editor was reopened) can be saved only while its model is kept
    const stored = state.runs?.find((run) => run.id === state.jobId);
    const why = stored && storedModelMissing(stored);
    this.missing.hidden = !why;
    this.missing.textContent = why ? `This run cannot be saved or exported: ${why}. Train again to save a model.` : "";
    for (const each of this.buttons) {
      each.disabled = Boolean(why);
      each.title = why ? `Not available: ${why}` : (each.dataset.title ?? "");
    }
  }
}
